/**
 * `snapshot --dry-run`: reads a sample of each source (first 1,000 rows, nested objects flattened
 * to dotted names) and reports EVERY requests column at once: where it comes from (--map, its own
 * name, an alias), a few sample values, and for missing or suspicious columns a guessed source
 * column (by name similarity) and a guessed --unit or --map-values. Writes nothing.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { TABLES, literal } from '@usage-analytics/queries';
import { REQUEST_ALIASES, REQUIRED_SOURCE_COLUMNS, resolveColumns } from './column-map.js';
import { InputError } from './errors.js';
import { type LogFormat, expandSources, formatOf } from './logs-reader.js';
import { type ValueTransforms, mapValue } from './value-transforms.js';

export const SAMPLE_ROWS = 1000;

export interface DryRunColumn {
  target: string;
  required: boolean;
  /** The source column (dotted for nested fields), or null. */
  source: string | null;
  how: 'map' | 'preset' | 'name' | 'alias' | null;
  samples: string[];
  /** Guessed source column when not found. */
  guess?: string;
  /** Problems and suggested flags. */
  notes: string[];
}

export interface DryRunFile {
  path: string;
  format: LogFormat;
  columns: string[];
  rows: DryRunColumn[];
  /** Required columns neither found nor guessed. */
  missing: string[];
}

/** Flattens {a: {b: 1}} into {"a.b": 1} (arrays and scalars are leaves). */
function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}

const tokens = (s: string) =>
  s
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '' && t !== 'id' && t !== 'ms' && t !== 'usd');

/** The source column most like the target by name (shared words with the target and its aliases), or undefined. */
export function guessColumn(target: string, candidates: readonly string[]): string | undefined {
  const words = new Set([target, ...(REQUEST_ALIASES[target] ?? [])].flatMap(tokens));
  if (target === 'user_id') for (const w of ['email', 'user', 'principal', 'customer']) words.add(w);
  if (target === 'status') for (const w of ['code', 'status', 'http']) words.add(w);
  if (target === 'agent_id') for (const w of ['agent', 'app', 'assistant', 'bot']) words.add(w);
  if (target === 'latency_ms') for (const w of ['latency', 'duration', 'elapsed', 'response', 'time']) words.add(w);
  let best: string | undefined;
  let bestScore = 0;
  for (const c of candidates) {
    const ct = tokens(c);
    if (ct.length === 0) continue;
    const shared = ct.filter((t) => words.has(t)).length;
    const score = shared / ct.length + (shared > 0 && c.toLowerCase().endsWith(tokens(target)[0] ?? '\u0000') ? 0.5 : 0);
    if (shared > 0 && score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

const show = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const STATUSES = new Set(['success', 'error', 'timeout']);

/** Suggested --map-values for HTTP status codes present in the sample. */
function httpValueMap(codes: number[]): string {
  const pairs: string[] = [];
  const has = (f: (c: number) => boolean) => codes.some(f);
  if (has((c) => c >= 200 && c < 300)) pairs.push('2xx:success');
  if (has((c) => c === 408 || c === 504)) pairs.push('408:timeout', '504:timeout');
  if (has((c) => c === 429)) pairs.push('429:error');
  if (has((c) => c >= 400 && c < 500 && c !== 408 && c !== 429)) pairs.push('4xx:error');
  if (has((c) => c >= 500 && c < 600 && c !== 504)) pairs.push('5xx:error');
  return pairs.join(',');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

function inspect(target: string, source: string, values: unknown[], transforms: ValueTransforms, notes: string[]): void {
  const texts = values.map(show).filter((v) => v.trim() !== '');
  if (target === 'status') {
    const rules = transforms.valueMaps.status;
    const mapped = texts.map((v) => (rules ? mapValue(v.trim(), rules) : v.trim())!.toLowerCase());
    const bad = [...new Set(mapped.filter((v) => !STATUSES.has(v)))];
    if (bad.length === 0) return;
    const codes = bad.map(Number).filter((n) => Number.isInteger(n) && n >= 100 && n < 600);
    if (codes.length === bad.length)
      notes.push(`HTTP status codes (${bad.slice(0, 6).join(', ')}): suggest --map-values status=${httpValueMap(texts.map(Number))}`);
    else
      notes.push(
        `values that are not success, error or timeout: ${bad.slice(0, 6).join(', ')} (would be quarantined as unknown_status; map them with --map-values status=VALUE:success,…)`,
      );
  }
  if (target === 'latency_ms' && !transforms.units.latency_ms) {
    const nums = texts.map(Number).filter(Number.isFinite);
    const decimals = texts.some((v) => /\.\d/.test(v));
    if (/(^|[^a-z])(s|sec|secs|seconds)$/i.test(source) || (nums.length > 0 && decimals && median(nums) < 100))
      notes.push(`values look like seconds (median ${median(nums)}${decimals ? ', with decimals' : ''}): suggest --unit latency=s`);
    else if (/(_us|micros|microseconds)$/i.test(source)) notes.push('the name says microseconds: suggest --unit latency=us');
  }
  if (target === 'cost_usd' && !transforms.units.cost_usd && /cent/i.test(source)) notes.push('the name says cents: suggest --unit cost=cents');
  if (target === 'ts') {
    const bad = texts.filter((v) => Number.isNaN(Date.parse(v)) && !Number.isFinite(Number(v)));
    if (bad.length > 0) notes.push(`values that may not parse as a time: ${bad.slice(0, 3).join(', ')}`);
  }
}

export async function dryRun(opts: {
  sources: string[];
  format?: LogFormat;
  mapping: Record<string, string>;
  preferred?: Record<string, readonly string[]>;
  transforms: ValueTransforms;
}): Promise<DryRunFile[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const out: DryRunFile[] = [];
    for (const path of await expandSources(conn, opts.sources)) {
      const format = formatOf(path, opts.format);
      const reader =
        format === 'csv'
          ? `read_csv(${literal(path).text}, all_varchar = true, header = true)`
          : format === 'ndjson'
            ? `read_json_auto(${literal(path).text}, format = 'auto')`
            : format === 'parquet'
              ? `read_parquet(${literal(path).text})`
              : null;
      if (!reader) throw new InputError(`${path}: --dry-run reads CSV, NDJSON and Parquet files, not ${format}`, { field: 'dry-run', value: path });
      let sample;
      try {
        sample = await conn.runAndReadAll(`SELECT CAST(to_json(s) AS VARCHAR) FROM (SELECT * FROM ${reader} LIMIT ${SAMPLE_ROWS}) s`);
      } catch (e) {
        throw new InputError(`${path}: --dry-run cannot read a sample as ${format}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
      }
      const rows = sample.getRows().map((r) => flatten(JSON.parse(String(r[0])) as Record<string, unknown>));
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      const resolved = resolveColumns(columns, opts.mapping, opts.preferred);
      const used = new Set(Object.values(resolved.columns));
      const file: DryRunFile = { path, format, columns, rows: [], missing: [] };
      for (const { name: target } of TABLES.requests.columns) {
        const required = (REQUIRED_SOURCE_COLUMNS as readonly string[]).includes(target);
        const source = resolved.columns[target] ?? null;
        const how =
          source === null
            ? null
            : opts.mapping[target] !== undefined
              ? 'map'
              : opts.preferred?.[target]?.includes(source)
                ? 'preset'
                : source.toLowerCase() === target
                  ? 'name'
                  : 'alias';
        const row: DryRunColumn = { target, required, source, how, samples: [], notes: [] };
        let look = source;
        if (source === null) {
          if (opts.mapping[target] !== undefined) row.notes.push(`--map ${target}=${opts.mapping[target]}: no such column`);
          const guess = guessColumn(
            target,
            columns.filter((c) => !used.has(c)),
          );
          if (guess) {
            row.guess = guess;
            used.add(guess);
            look = guess;
            row.notes.push(`suggest --map ${target}=${guess}`);
          } else if (required) file.missing.push(target);
        }
        if (look !== null) {
          const values = rows.map((r) => r[look!]);
          row.samples = [...new Set(values.map(show).filter((v) => v !== ''))].slice(0, 4);
          inspect(target, look, values, opts.transforms, row.notes);
        }
        if (source !== null || required || row.guess) file.rows.push(row);
      }
      out.push(file);
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The report as text lines. */
export function formatDryRun(files: readonly DryRunFile[]): string[] {
  const lines: string[] = [];
  for (const f of files) {
    lines.push(`${f.path} (${f.format}, ${f.columns.length} columns): ${f.columns.join(', ')}`);
    for (const r of f.rows) {
      const where = r.source ? `${r.source} (${r.how === 'map' ? '--map' : r.how})` : r.guess ? `MISSING, guess ${r.guess}` : 'MISSING';
      const mark = r.source && r.notes.length === 0 ? 'ok  ' : r.source ? 'warn' : r.required ? 'MISS' : 'opt ';
      lines.push(`  ${mark} ${r.target.padEnd(16)} ← ${where}${r.samples.length ? `  e.g. ${r.samples.join(' | ')}` : ''}`);
      for (const n of r.notes) lines.push(`         ${n}`);
    }
    if (f.missing.length) lines.push(`  required columns with no source and no guess: ${f.missing.join(', ')}`);
  }
  const flags = files.flatMap((f) => f.rows.flatMap((r) => r.notes.map((n) => /suggest (--[a-z-]+ \S+)/.exec(n)?.[1]).filter((x): x is string => !!x)));
  if (flags.length) lines.push(`suggested flags: ${[...new Set(flags)].join(' ')}`);
  lines.push('dry run: nothing was written');
  return lines;
}
