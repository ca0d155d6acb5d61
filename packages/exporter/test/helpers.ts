import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Table, tableFromIPC } from 'apache-arrow';
import { TABLE_NAMES, type Manifest, type TableName } from '@usage-analytics/queries';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI = resolve(here, '../src/cli.ts');
/** tsx as a loader: the CLI runs in this one process (the tsx CLI forks a child, which kill -9 would orphan). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const created: string[] = [];

/** A fresh folder under the OS temp folder (removed by cleanupTmp). */
export function tmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `exporter-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes the folders made by tmp() (call from afterAll; KEEP_TMP=1 keeps them for debugging). */
export function cleanupTmp(): void {
  if (process.env.KEEP_TMP) return;
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Reads every table of the snapshot that DIR/manifest.json points at. */
export function readSnapshot(dir: string): { manifest: Manifest; tables: Record<TableName, Table> } {
  const manifest = readJson<Manifest>(join(dir, 'manifest.json'));
  const tables = {} as Record<TableName, Table>;
  for (const name of TABLE_NAMES) tables[name] = tableFromIPC(readFileSync(join(dir, manifest.tables[name].file)));
  return { manifest, tables };
}

/** Column values as a plain array (strings, numbers, null). */
export function col<T = unknown>(t: Table, name: string): T[] {
  const v = t.getChild(name);
  if (!v) throw new Error(`no column ${name}`);
  const out = new Array<T>(t.numRows);
  for (let i = 0; i < t.numRows; i++) out[i] = v.get(i) as T;
  return out;
}

/** Timestamp column as exact microseconds (bigint → number; exact below 2^53). */
export function micros(t: Table, name: string): (number | null)[] {
  const v = t.getChild(name)!;
  const out: (number | null)[] = new Array(t.numRows);
  let i = 0;
  for (const data of v.data) {
    const values = data.values as BigInt64Array;
    for (let k = 0; k < data.length; k++, i++) out[i] = data.getValid(k) ? Number(values[data.offset + k]) : null;
  }
  return out;
}

export const DAY_MS = 86_400_000;
