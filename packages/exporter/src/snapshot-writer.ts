/**
 * Atomic, versioned snapshot layout under `--out DIR`:
 *
 *   DIR/.tmp-<id>/            everything is written here first (tables, quarantine, manifest), fsynced
 *   DIR/<id>/                 ... then the folder is renamed (its manifest.json: files relative to it)
 *   DIR/manifest.json.tmp     the top-level manifest (files relative to DIR: "<id>/requests.arrows")
 *   DIR/manifest.json         ... renamed over the old one, last.
 *
 * A crash or kill -9 at any moment leaves DIR/manifest.json pointing at the last complete snapshot.
 * Stale `.tmp-*` folders are removed on start; the newest `keep` (3) versions are kept.
 * `DIR/.lock` (holding the writer's pid) keeps two exporters from writing to one DIR at once; a
 * lock left by a killed process (pid no longer alive) is taken over.
 * snapshot_id = UTC time stamp (sortable) + 8 hex chars, e.g. 20261123T101512345Z-1a2b3c4d.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMAT_NAME, FORMAT_VERSION, TABLE_NAMES, TABLES, type Manifest, type ManifestTable, type TableName } from '@usage-analytics/queries';
import type { NativeConnector } from './native-connector.js';
import type { WrittenFile } from './arrow-writer.js';

export const SNAPSHOT_ID_RE = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;
export const DEFAULT_KEEP = 3;

/** Fills the first-paint file; runs after the tables are written, before the manifest. */
/**
 * Runs after the tables are written, before the manifest: gets a native DuckDB holding the new
 * tables, the folder, and the data time range (the anchor of relative presets).
 */
export type PrecomputeHook = (
  db: NativeConnector,
  snapshotDir: string,
  timeRange: Manifest['time_range'],
) => Promise<{ file: string; bytes: number; sha256: string } | undefined>;

/** What the table-writing step reports back. */
export interface SnapshotBody {
  tables: Record<TableName, WrittenFile>;
  time_range: { start: string; end: string };
  input_rows: number;
  quarantine: { rows: number; file: string | null; reasons: Record<string, number> };
  ground_truth?: Manifest['ground_truth'];
}

export interface WriteSnapshotOptions {
  outDir: string;
  source: Manifest['source'];
  /** Writes the table files (TABLES[name].file) and the quarantine file into `dir`. */
  write: (dir: string) => Promise<SnapshotBody>;
  precompute?: PrecomputeHook;
  keep?: number;
  now?: Date;
}

export interface WrittenSnapshot {
  id: string;
  dir: string;
  manifest: Manifest;
}

/**
 * Test hook: EXPORTER_PHASE_DELAY_MS=<ms> sleeps before each step of the commit sequence, widening
 * the windows a kill -9 test aims at. Unset in normal use.
 */
async function phase(): Promise<void> {
  const ms = Number(process.env.EXPORTER_PHASE_DELAY_MS ?? 0);
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

export function newSnapshotId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  const hash = createHash('sha256').update(`${process.pid}:${now.getTime()}:`).update(randomBytes(8)).digest('hex').slice(0, 8);
  return `${stamp}-${hash}`;
}

export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeFileDurable(path: string, text: string): void {
  const fd = openSync(path, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const heldHere = new Set<string>();

/** Takes DIR/.lock, waiting up to `waitMs` for a live holder; returns the release function. */
export async function acquireLock(outDir: string, waitMs = 120_000): Promise<() => void> {
  const path = join(outDir, '.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      return () => {
        heldHere.delete(path);
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(path, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    const mine = holder === process.pid;
    if (!Number.isInteger(holder) || holder <= 0 || (mine && !heldHere.has(path)) || (!mine && !pidAlive(holder))) {
      rmSync(path, { force: true }); // stale: its writer died
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${outDir} is being written by another exporter (pid ${holder}); remove ${path} if that is wrong`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Removes `.tmp-*` folders left by interrupted runs (and a stale manifest.json.tmp). */
export function cleanStale(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(outDir)) {
    if (name.startsWith('.tmp-') || name === 'manifest.json.tmp') {
      rmSync(join(outDir, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** Snapshot version folders in DIR, oldest first. */
export function listVersions(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir)
    .filter((n) => SNAPSHOT_ID_RE.test(n))
    .sort();
}

export function prune(outDir: string, keep: number, current: string): string[] {
  const versions = listVersions(outDir).filter((v) => v !== current);
  const drop = versions.slice(0, Math.max(0, versions.length - (keep - 1)));
  for (const v of drop) rmSync(join(outDir, v), { recursive: true, force: true });
  return drop;
}

function prefixed(body: Manifest, prefix: string): Manifest {
  const tables = {} as Record<TableName, ManifestTable>;
  for (const name of TABLE_NAMES) tables[name] = { ...body.tables[name], file: `${prefix}/${body.tables[name].file}` };
  return {
    ...body,
    tables,
    quarantine: { ...body.quarantine, file: body.quarantine.file ? `${prefix}/${body.quarantine.file}` : null },
    ...(body.precomputed ? { precomputed: { ...body.precomputed, file: `${prefix}/${body.precomputed.file}` } } : {}),
  };
}

export async function writeSnapshot(opts: WriteSnapshotOptions): Promise<WrittenSnapshot> {
  const { outDir } = opts;
  mkdirSync(outDir, { recursive: true });
  const release = await acquireLock(outDir);
  try {
    return await writeLocked(opts);
  } finally {
    release();
  }
}

async function writeLocked(opts: WriteSnapshotOptions): Promise<WrittenSnapshot> {
  const { outDir } = opts;
  cleanStale(outDir);
  const now = opts.now ?? new Date();
  const id = newSnapshotId(now);
  const tmp = join(outDir, `.tmp-${id}`);
  mkdirSync(tmp);
  try {
    const body = await opts.write(tmp);
    for (const name of TABLE_NAMES) {
      if (!body.tables[name]) throw new Error(`snapshot is missing table ${name}`);
    }
    if (body.input_rows !== body.tables.requests.rows + body.quarantine.rows) {
      throw new Error(`row accounting failed: input ${body.input_rows} != exported ${body.tables.requests.rows} + quarantined ${body.quarantine.rows}`);
    }
    const tables = {} as Record<TableName, ManifestTable>;
    for (const name of TABLE_NAMES) {
      const w = body.tables[name];
      tables[name] = { file: TABLES[name].file, rows: w.rows, bytes: w.bytes, sha256: w.sha256 };
    }
    let precomputed: Manifest['precomputed'];
    if (opts.precompute) {
      const { NativeConnector } = await import('./native-connector.js');
      const db = await NativeConnector.create();
      try {
        await db.loadTables(tmp, Object.fromEntries(TABLE_NAMES.map((n) => [n, tables[n].file])));
        precomputed = await opts.precompute(db, tmp, body.time_range);
      } finally {
        db.close();
      }
    }
    const manifest: Manifest = {
      format: FORMAT_NAME,
      format_version: FORMAT_VERSION,
      snapshot_id: id,
      generated_at: now.toISOString(),
      source: opts.source,
      time_range: body.time_range,
      tables,
      input_rows: body.input_rows,
      quarantine: body.quarantine,
      ...(precomputed ? { precomputed } : {}),
      ...(body.ground_truth ? { ground_truth: body.ground_truth } : {}),
    };
    await phase();
    writeFileDurable(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    fsyncPath(tmp);
    await phase();
    const dir = join(outDir, id);
    renameSync(tmp, dir);
    fsyncPath(outDir);
    await phase();
    const top = join(outDir, 'manifest.json');
    writeFileDurable(`${top}.tmp`, JSON.stringify(prefixed(manifest, id), null, 2) + '\n');
    await phase();
    renameSync(`${top}.tmp`, top);
    fsyncPath(outDir);
    await phase();
    prune(outDir, opts.keep ?? DEFAULT_KEEP, id);
    return { id, dir, manifest };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Reads DIR/manifest.json (or null when there is none yet). */
export function readManifest(dir: string): Manifest | null {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** Recomputes sizes and SHA-256 of every file of a manifest; returns the problems found. */
export function verifySnapshot(dir: string, manifest: Manifest): string[] {
  const problems: string[] = [];
  const files: { file: string; bytes: number; sha256: string }[] = TABLE_NAMES.map((n) => manifest.tables[n]);
  if (manifest.precomputed) files.push(manifest.precomputed);
  for (const f of files) {
    const path = join(dir, f.file);
    if (!existsSync(path)) {
      problems.push(`missing ${f.file}`);
      continue;
    }
    const bytes = readFileSync(path);
    if (bytes.length !== f.bytes) problems.push(`${f.file}: ${bytes.length} bytes, manifest says ${f.bytes}`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== f.sha256) problems.push(`${f.file}: sha256 mismatch`);
  }
  if (manifest.quarantine.file && !existsSync(join(dir, manifest.quarantine.file))) problems.push(`missing ${manifest.quarantine.file}`);
  return problems;
}
