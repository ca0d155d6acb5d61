/**
 * `snapshot`: request logs (+ optional directory files) → a versioned snapshot. Everything is read
 * and validated before the snapshot folder is created, so input errors write nothing.
 */
import { basename, isAbsolute, join, relative } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { TABLE_NAMES, TABLES, type TableName, ident } from '@usage-analytics/queries';
import type { WrittenFile } from './arrow-writer.js';
import { type LoadedLogs, type LogFormat, dropSourceTables, readLogs } from './logs-reader.js';
import { type ValidationResult, validateRequests, writeQuarantine } from './quarantine.js';
import type { ValueTransforms } from './value-transforms.js';
import { type OptionalFiles, buildTables } from './derived-tables.js';
import { exportRelation } from './table-export.js';
import { type PrecomputeHook, type WrittenSnapshot, writeSnapshot } from './snapshot-writer.js';
import type { RegistryApplied, RegistrySource } from './registry.js';

export const QUARANTINE_FILE = 'quarantine.ndjson';

export interface LogsSnapshotOptions extends OptionalFiles {
  sources: string[];
  outDir: string;
  format?: LogFormat;
  table?: string;
  mapping?: Record<string, string>;
  precompute?: PrecomputeHook;
  keep?: number;
  /** PII columns to publish as they are (see writeSnapshot). */
  publishPii?: readonly string[];
  /** The actions service's registry laid over the agents table (registry.ts). */
  registry?: RegistrySource;
  onRegistry?: (report: RegistryApplied) => void;
  /** Record absolute input paths in the published manifest (default: relative to the working directory, else the file name). */
  fullPaths?: boolean;
  /**
   * Largest share of the input (0…1) that may be quarantined for the snapshot to be published
   * (default 0.5). Above it the version folder is written but DIR/manifest.json keeps the live
   * snapshot (result.held says why), unless `force`.
   */
  maxQuarantine?: number;
  force?: boolean;
  /** Sources tried first when present (--preset), before each column's name and aliases. */
  preferred?: Record<string, readonly string[]>;
  /** --map-values and --unit (value-transforms.ts), applied in SQL before validation. */
  transforms?: ValueTransforms;
}

export const DEFAULT_MAX_QUARANTINE = 0.5;

/** Why a snapshot with this validation is held back, or undefined when it may be published. */
export function quarantineHold(v: ValidationResult, maxShare = DEFAULT_MAX_QUARANTINE): string | undefined {
  if (v.input === 0 || v.quarantined / v.input <= maxShare) return undefined;
  const pct = (x: number) => `${(100 * x).toFixed(1).replace(/\.0$/, '')} %`;
  const top = Object.entries(v.reasons)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([r, n]) => `${r} ${n.toLocaleString('en-US')}`)
    .join(', ');
  return (
    `${v.quarantined.toLocaleString('en-US')} of ${v.input.toLocaleString('en-US')} rows quarantined (${pct(v.quarantined / v.input)}, more than --max-quarantine ${maxShare}); ` +
    `top reasons: ${top}`
  );
}

/** A source path as published: relative to the working directory when inside it, else its file name. */
export function publishedPath(path: string, full = false): string {
  if (full) return path;
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : basename(path);
}

export interface LogsSnapshotResult extends WrittenSnapshot {
  validation: ValidationResult;
  warnings: string[];
}

function isoMicros(micros: bigint): string {
  const ms = Number(micros / 1000n);
  const rest = Number(micros % 1000n);
  const iso = new Date(ms).toISOString();
  return rest === 0 ? iso : `${iso.slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
}

async function timeRange(conn: DuckDBConnection): Promise<{ start: string; end: string; startSql: string }> {
  const [min, max] = (await conn.runAndReadAll(`SELECT epoch_us(min(ts)), epoch_us(max(ts)) FROM valid`)).getRows()[0] as [bigint | null, bigint | null];
  if (min === null || max === null) {
    const now = new Date().toISOString();
    return { start: now, end: now, startSql: now.replace('T', ' ').replace('Z', '') };
  }
  const start = isoMicros(BigInt(min));
  return { start, end: isoMicros(BigInt(max) + 1n), startSql: start.replace('T', ' ').replace('Z', '') };
}

/**
 * Latency read as ms whose values look like seconds (median under 100 and mostly fractional):
 * a warning suggesting --unit latency=s (the values are exported as they are).
 */
async function secondsWarnings(conn: DuckDBConnection, loaded: LoadedLogs): Promise<string[]> {
  const out: string[] = [];
  for (const f of loaded.files) {
    const source = f.mapping.columns.latency_ms;
    if (source === undefined) continue;
    const x = `TRY_CAST(CAST(${ident(source)} AS VARCHAR) AS DOUBLE)`;
    const [med, fractional, n] = (
      await conn.runAndReadAll(`SELECT median(${x}), count(*) FILTER (WHERE ${x} <> round(${x})), count(${x}) FROM ${f.table}`)
    ).getRows()[0] as [number | null, bigint, bigint];
    if (med !== null && Number(n) > 0 && med < 100 && Number(fractional) * 2 > Number(n)) {
      out.push(
        `${publishedPath(f.path)}: latency_ms (column ${JSON.stringify(source)}) has a median of ${med} with fractional values: if it is in seconds, pass --unit latency=s (read as ms now)`,
      );
    }
  }
  return out;
}

export async function runLogsSnapshot(opts: LogsSnapshotOptions): Promise<LogsSnapshotResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const mapping = opts.mapping ?? {};
    const loaded = await readLogs(conn, { sources: opts.sources, format: opts.format, table: opts.table, mapping, preferred: opts.preferred });
    const validation = await validateRequests(conn, loaded, opts.transforms);
    const range = await timeRange(conn);
    const warnings = await buildTables(conn, opts, range.startSql);
    if (!opts.transforms?.units.latency_ms) warnings.push(...(await secondsWarnings(conn, loaded)));
    const effective: Record<string, string> = {};
    for (const f of loaded.files) for (const [t, s] of Object.entries(f.mapping.columns)) if (t !== s) effective[t] = s;

    let validationOut = validation;
    const mapped = Object.keys(effective).length ? { mapping: effective } : {};
    const snap = await writeSnapshot({
      outDir: opts.outDir,
      source: { kind: 'logs', inputs: loaded.files.map((f) => publishedPath(f.path, opts.fullPaths)), ...mapped },
      privateSource: { kind: 'logs', inputs: loaded.files.map((f) => f.path), ...mapped },
      precompute: opts.precompute,
      keep: opts.keep,
      publishPii: opts.publishPii,
      registry: opts.registry,
      onRegistry: opts.onRegistry,
      hold: () => (opts.force ? undefined : quarantineHold(validation, opts.maxQuarantine)),
      write: async (dir, privateDir) => {
        const tables = {} as Partial<Record<TableName, WrittenFile>> as Record<Exclude<TableName, 'forecast_history'>, WrittenFile>;
        tables.requests = await exportRelation(conn, 'valid', TABLES.requests, join(dir, TABLES.requests.file), 'ts, __ord');
        if (tables.requests.rows !== validation.exported) throw new Error(`wrote ${tables.requests.rows} requests, expected ${validation.exported}`);
        const order: Record<string, string | undefined> = {
          users: 'user_id',
          agents: 'agent_id',
          sessions: 'session_start, session_id',
          capacity: 'ts, resource_type, environment',
          maintenance_windows: 'starts_at, window_id',
        };
        for (const name of TABLE_NAMES) {
          if (name === 'requests' || name === 'forecast_history') continue; // forecast_history: derived by writeSnapshot
          tables[name] = await exportRelation(conn, `t_${name}`, TABLES[name], join(dir, TABLES[name].file), order[name]);
        }
        let file: string | null = null;
        if (validation.quarantined > 0) {
          await writeQuarantine(conn, loaded, join(privateDir, QUARANTINE_FILE), opts.transforms);
          file = QUARANTINE_FILE;
        }
        await dropSourceTables(conn, loaded);
        validationOut = validation;
        return {
          tables,
          time_range: { start: range.start, end: range.end },
          input_rows: validation.input,
          quarantine: { rows: validation.quarantined, file, reasons: validation.reasons },
        };
      },
    });
    return { ...snap, validation: validationOut, warnings };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
