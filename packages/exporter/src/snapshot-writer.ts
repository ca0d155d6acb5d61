/**
 * Atomic, versioned snapshot layout under `--out DIR`:
 *
 *   DIR/.tmp-<id>/            everything is written here first (tables, quarantine, manifest), fsynced
 *   DIR/<id>/                 ... then the folder is renamed (its manifest.json: files relative to it)
 *   DIR/manifest.json.tmp     the top-level manifest (files relative to DIR: "<id>/requests.arrows")
 *   DIR/manifest.json         ... renamed over the old one, last.
 *
 * A crash or kill -9 at any moment leaves DIR/manifest.json pointing at the last complete snapshot.
 * On start, stale `.tmp-*` folders and complete version folders that were never published (a kill
 * between the folder rename and the manifest rename) are removed; the newest `keep` (3) versions
 * are kept. `DIR/.lock` keeps two exporters from writing to one DIR at once (see lock.ts).
 * snapshot_id = UTC time stamp (sortable) + 8 hex chars, e.g. 20261123T101512345Z-1a2b3c4d.
 *
 * Published vs private: everything in DIR/<id>/ except `private/` is for the browser. PII columns
 * (`pii: true` in the schema) are published all-null unless named in `publishPii`; the full table,
 * the quarantined raw rows and the full source paths go to DIR/<id>/private/ with their own
 * manifest.json (sizes, SHA-256). scripts/serve.mjs serves only the published files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRegistry, type RegistryApplied, type RegistrySource } from './registry.js';
import { FORMAT_NAME, FORMAT_VERSION, ParamError, TABLE_NAMES, TABLES, type Manifest, type ManifestTable, type TableName } from '@usage-analytics/queries';
import type { NativeConnector } from './native-connector.js';
import type { WrittenFile } from './arrow-writer.js';
import { acquireLock } from './lock.js';
import { columnsWithValues, readArrow, writeWithoutColumns } from './redact.js';
import { readManifest } from './manifest-file.js';

export { acquireLock };

/** The folder of a version that the browser never reads. */
export const PRIVATE_DIR = 'private';

/** PII columns of the schema (`pii: true`), as `table.column`. */
export const PII_COLUMNS: readonly string[] = TABLE_NAMES.flatMap((t) => TABLES[t].columns.filter((c) => c.pii).map((c) => `${t}.${c.name}`));

/** DIR/<id>/private/manifest.json: what stays on the server. */
export interface PrivateManifest {
  snapshot_id: string;
  generated_at: string;
  /** The source with full paths. */
  source: Manifest['source'];
  /** Full tables whose published copy has PII columns withheld (all null). */
  tables: Partial<Record<TableName, ManifestTable & { withheld: string[] }>>;
  /** Quarantined raw rows (NDJSON), or null. */
  quarantine: (ManifestTable & { reasons: Record<string, number> }) | null;
}

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
  /** Every table; `forecast_history` may be left out (then derived from the others, see forecast-history.ts). */
  tables: Omit<Record<TableName, WrittenFile>, 'forecast_history'> & { forecast_history?: WrittenFile };
  time_range: { start: string; end: string };
  input_rows: number;
  /** `file`: the quarantine file written into the private folder (relative to it), or null. */
  quarantine: { rows: number; file: string | null; reasons: Record<string, number> };
  ground_truth?: Manifest['ground_truth'];
}

export interface WriteSnapshotOptions {
  outDir: string;
  /** The source as published (paths relative or redacted). */
  source: Manifest['source'];
  /** The source for the private manifest (full paths); default `source`. */
  privateSource?: Manifest['source'];
  /** Writes the table files (TABLES[name].file) into `dir` and the quarantine file into `privateDir`. */
  write: (dir: string, privateDir: string) => Promise<SnapshotBody>;
  precompute?: PrecomputeHook;
  keep?: number;
  /** PII columns (`user_name` or `users.user_name`) published as they are; the others are published all-null. */
  publishPii?: readonly string[];
  /** The actions service's agent registry, laid over the `agents` table (see registry.ts); a function is called at each write (--watch). */
  registry?: RegistrySource;
  /** Told what the registry changed (for the CLI's report). */
  onRegistry?: (report: RegistryApplied) => void;
  now?: Date;
  /**
   * Asked after the tables are written: a reason (string) keeps the new version folder complete
   * but NOT published (DIR/manifest.json is left as it was); the reason is written to DIR/<id>/held.json.
   */
  hold?: (body: SnapshotBody) => string | undefined;
  /** Also write the tables as one DuckDB database file (snapshot.duckdb, see database-file.ts); default true. */
  databaseFile?: boolean;
}

/** DIR/<id>/held.json: a complete version that was not published (e.g. too many rows quarantined). */
export const HELD_FILE = 'held.json';

export interface WrittenSnapshot {
  id: string;
  dir: string;
  manifest: Manifest;
  /** DIR/<id>/private when the snapshot has private files. */
  privateDir: string | null;
  privateManifest: PrivateManifest | null;
  /** Set when the version was written but not published (see WriteSnapshotOptions.hold). */
  held?: string;
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

/** Removes `.tmp-*` folders left by interrupted runs, a stale manifest.json.tmp, and lock temp files older than a minute. */
export function cleanStale(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(outDir)) {
    const oldLockTmp =
      /^\.lock\.[0-9a-f]+\.tmp$/.test(name) && Date.now() - (statSync(join(outDir, name), { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 60_000;
    if (name.startsWith('.tmp-') || name === 'manifest.json.tmp' || oldLockTmp) {
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

/**
 * Version folders newer than the published one (DIR/manifest.json) were renamed into place but
 * never published (the process died before the manifest rename): no client can be reading them.
 */
export function removeUnpublished(outDir: string): string[] {
  let published: string | undefined;
  try {
    published = readManifest(outDir)?.snapshot_id;
  } catch {
    return []; // an unreadable manifest: leave everything for a person to look at
  }
  // Held versions (held.json) were deliberately not published: kept for a person to inspect.
  const drop = listVersions(outDir).filter((v) => (published === undefined || v > published) && !existsSync(join(outDir, v, HELD_FILE)));
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
    ...(body.database ? { database: prefixedDatabase(body.database, prefix) } : {}),
    ...(body.precomputed ? { precomputed: { ...body.precomputed, file: `${prefix}/${body.precomputed.file}` } } : {}),
  };
}

/** A precompressed copy of the database file (database-file.ts): its name and size. */
type Sidecar = { file: string; bytes: number };
/** The manifest's `database` entry with the optional sidecars (`zst`, `br`) the schema type does not list. */
type DatabaseEntry = NonNullable<Manifest['database']> & { br?: Sidecar; zst?: Sidecar };
const SIDECARS = ['zst', 'br'] as const;

/** The `database` entry with its paths (the file's and the optional sidecars') under `prefix`. */
function prefixedDatabase(entry: DatabaseEntry, prefix: string): NonNullable<Manifest['database']> {
  const out: DatabaseEntry = { ...entry, file: `${prefix}/${entry.file}` };
  for (const k of SIDECARS) if (entry[k]) out[k] = { ...entry[k], file: `${prefix}/${entry[k].file}` };
  return out;
}

export async function writeSnapshot(opts: WriteSnapshotOptions): Promise<WrittenSnapshot> {
  const { outDir } = opts;
  const publish = checkPublishPii(opts.publishPii ?? []);
  // The first folder this call creates (undefined if DIR existed): removed again if the export fails.
  const made = mkdirSync(outDir, { recursive: true });
  let release: (() => void) | undefined;
  try {
    release = await acquireLock(outDir);
    return await writeLocked(opts, publish);
  } catch (e) {
    release?.();
    release = undefined;
    if (made && readdirSync(outDir).length === 0) rmSync(made, { recursive: true, force: true });
    throw e;
  } finally {
    release?.();
  }
}

/** `user_name` / `users.user_name` → `users.user_name`; anything that is not a PII column is an error. */
function checkPublishPii(names: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const n of names) {
    const full = n.includes('.') ? n : PII_COLUMNS.find((c) => c.endsWith(`.${n}`));
    if (!full || !PII_COLUMNS.includes(full))
      throw new ParamError('publishPii', `--publish-pii: not a PII column: ${JSON.stringify(n)} (PII columns: ${PII_COLUMNS.join(', ')})`, n);
    out.add(full);
  }
  return out;
}

function fileEntry(dir: string, file: string, rows: number): ManifestTable {
  const bytes = readFileSync(join(dir, file));
  return { file, rows, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Moves PII to the private folder: the published table keeps those columns all-null. */
function withholdPii(tmp: string, privateDir: string, tables: Partial<Record<TableName, WrittenFile>>, publish: Set<string>): PrivateManifest['tables'] {
  const out: PrivateManifest['tables'] = {};
  for (const name of TABLE_NAMES) {
    const spec = TABLES[name];
    const withheld = spec.columns.filter((c) => c.pii && !publish.has(`${name}.${c.name}`)).map((c) => c.name);
    if (withheld.length === 0) continue;
    const table = readArrow(join(tmp, spec.file));
    if (columnsWithValues(table, withheld).length === 0) continue; // nothing to withhold
    renameSync(join(tmp, spec.file), join(privateDir, spec.file));
    out[name] = { file: spec.file, ...tables[name]!, withheld };
    tables[name] = writeWithoutColumns(table, join(tmp, spec.file), spec, withheld);
  }
  return out;
}

async function writeLocked(opts: WriteSnapshotOptions, publish: Set<string>): Promise<WrittenSnapshot> {
  const { outDir } = opts;
  cleanStale(outDir);
  removeUnpublished(outDir);
  const now = opts.now ?? new Date();
  const id = newSnapshotId(now);
  const tmp = join(outDir, `.tmp-${id}`);
  const privateTmp = join(tmp, PRIVATE_DIR);
  mkdirSync(privateTmp, { recursive: true });
  try {
    const body = await opts.write(tmp, privateTmp);
    // forecast_history is derived from the published tables below, unless the writer made it.
    const deriveHistory = !body.tables.forecast_history;
    for (const name of TABLE_NAMES) {
      if (!body.tables[name] && !(name === 'forecast_history' && deriveHistory)) throw new Error(`snapshot is missing table ${name}`);
    }
    if (body.input_rows !== body.tables.requests.rows + body.quarantine.rows) {
      throw new Error(`row accounting failed: input ${body.input_rows} != exported ${body.tables.requests.rows} + quarantined ${body.quarantine.rows}`);
    }
    if (opts.registry) {
      const rows = typeof opts.registry === 'function' ? await opts.registry() : opts.registry;
      const { file, report } = applyRegistry(tmp, rows);
      body.tables.agents = file;
      opts.onRegistry?.(report);
    }
    const privateTables = withholdPii(tmp, privateTmp, body.tables, publish);
    let precomputed: Manifest['precomputed'];
    const tables = {} as Record<TableName, ManifestTable>;
    const listTables = () => {
      for (const name of TABLE_NAMES) {
        const w = body.tables[name];
        if (w) tables[name] = { file: TABLES[name].file, rows: w.rows, bytes: w.bytes, sha256: w.sha256 };
      }
    };
    listTables();
    /** The manifest's `database` entry, with the optional sidecars (`zst`, `br`, see database-file.ts) the schema type does not list. */
    let database: DatabaseEntry | undefined;
    {
      // On the published tables only: precomputed.json, forecast_history and snapshot.duckdb are published too.
      const { NativeConnector } = await import('./native-connector.js');
      const db = await NativeConnector.create();
      try {
        await db.loadTables(tmp, Object.fromEntries(Object.keys(tables).map((n) => [n, tables[n as TableName].file])));
        if (deriveHistory) {
          const { writeForecastHistory } = await import('./forecast-history.js');
          const history = await writeForecastHistory(db, tmp, { timeRange: body.time_range, outDir, source: opts.source });
          if (history.warning) process.emitWarning(history.warning, 'ForecastHistoryWarning');
          body.tables.forecast_history = history.file;
          listTables();
          await db.loadTables(tmp, { forecast_history: tables.forecast_history.file });
        }
        if (opts.precompute) precomputed = await opts.precompute(db, tmp, body.time_range);
        if (opts.databaseFile !== false) {
          const { writeDatabaseFile, writeBrotliSidecar, writeZstdSidecar, DATABASE_STORAGE_VERSION } = await import('./database-file.js');
          const file = await writeDatabaseFile(db, tmp);
          const { bytes, sha256 } = fileEntry(tmp, file, 0);
          // The precompressed copies a static host sends with Content-Encoding: zstd / br (before the manifest, like every file), side by side.
          const [zst, br] = await Promise.all([writeZstdSidecar(tmp, file), writeBrotliSidecar(tmp, file)]);
          database = { file, bytes, sha256, storage_version: DATABASE_STORAGE_VERSION, br, zst };
        }
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
      // Counts per reason only: the raw rows stay in the private folder.
      quarantine: { rows: body.quarantine.rows, file: null, reasons: body.quarantine.reasons },
      ...(database ? { database } : {}),
      ...(precomputed ? { precomputed } : {}),
      ...(body.ground_truth ? { ground_truth: body.ground_truth } : {}),
    };
    let privateManifest: PrivateManifest | null = null;
    if (Object.keys(privateTables).length > 0 || body.quarantine.file) {
      privateManifest = {
        snapshot_id: id,
        generated_at: manifest.generated_at,
        source: opts.privateSource ?? opts.source,
        tables: privateTables,
        quarantine: body.quarantine.file ? { ...fileEntry(privateTmp, body.quarantine.file, body.quarantine.rows), reasons: body.quarantine.reasons } : null,
      };
      writeFileDurable(join(privateTmp, 'manifest.json'), JSON.stringify(privateManifest, null, 2) + '\n');
      fsyncPath(privateTmp);
    } else rmSync(privateTmp, { recursive: true });
    await phase();
    writeFileDurable(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    const held = opts.hold?.(body);
    if (held !== undefined) writeFileDurable(join(tmp, HELD_FILE), JSON.stringify({ snapshot_id: id, reason: held }, null, 2) + '\n');
    fsyncPath(tmp);
    await phase();
    const dir = join(outDir, id);
    renameSync(tmp, dir);
    fsyncPath(outDir);
    await phase();
    if (held !== undefined) return { id, dir, manifest, privateDir: privateManifest ? join(dir, PRIVATE_DIR) : null, privateManifest, held };
    const top = join(outDir, 'manifest.json');
    writeFileDurable(`${top}.tmp`, JSON.stringify(prefixed(manifest, id), null, 2) + '\n');
    await phase();
    renameSync(`${top}.tmp`, top);
    fsyncPath(outDir);
    await phase();
    prune(outDir, opts.keep ?? DEFAULT_KEEP, id);
    return { id, dir, manifest, privateDir: privateManifest ? join(dir, PRIVATE_DIR) : null, privateManifest };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export { readManifest };

function checkFile(dir: string, f: { file: string; bytes: number; sha256: string }): string[] {
  const path = join(dir, f.file);
  if (!existsSync(path)) return [`missing ${f.file}`];
  const bytes = readFileSync(path);
  const problems: string[] = [];
  if (bytes.length !== f.bytes) problems.push(`${f.file}: ${bytes.length} bytes, manifest says ${f.bytes}`);
  if (createHash('sha256').update(bytes).digest('hex') !== f.sha256) problems.push(`${f.file}: sha256 mismatch`);
  return problems;
}

/** Recomputes sizes and SHA-256 of every file of a manifest (and of its private folder); returns the problems found. */
export function verifySnapshot(dir: string, manifest: Manifest): string[] {
  const problems: string[] = [];
  const files: { file: string; bytes: number; sha256: string }[] = TABLE_NAMES.map((n) => manifest.tables[n]);
  if (manifest.precomputed) files.push(manifest.precomputed);
  if (manifest.database) files.push(manifest.database);
  for (const f of files) problems.push(...checkFile(dir, f));
  for (const k of SIDECARS) {
    const side = (manifest.database as DatabaseEntry | undefined)?.[k];
    if (!side) continue;
    // A sidecar: present, its recorded size (its content is checked by whoever decodes it: the browser, or tests).
    if (!existsSync(join(dir, side.file))) problems.push(`missing ${side.file}`);
    else if (statSync(join(dir, side.file)).size !== side.bytes)
      problems.push(`${side.file}: ${statSync(join(dir, side.file)).size} bytes, manifest says ${side.bytes}`);
  }
  if (manifest.quarantine.file && !existsSync(join(dir, manifest.quarantine.file))) problems.push(`missing ${manifest.quarantine.file}`);
  // The private folder of this version, when there is one.
  const version = manifest.tables.requests.file.startsWith(`${manifest.snapshot_id}/`) ? manifest.snapshot_id : '';
  const privateDir = join(dir, version, PRIVATE_DIR);
  if (existsSync(join(privateDir, 'manifest.json'))) {
    const pm = JSON.parse(readFileSync(join(privateDir, 'manifest.json'), 'utf8')) as PrivateManifest;
    const rel = join(version, PRIVATE_DIR);
    for (const f of [...Object.values(pm.tables), ...(pm.quarantine ? [pm.quarantine] : [])])
      problems.push(...checkFile(dir, { ...f, file: join(rel, f.file) }));
  }
  return problems;
}
