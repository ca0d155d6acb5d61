/**
 * Reads request logs into DuckDB: Parquet, CSV, NDJSON files and globs, or a table of a DuckDB
 * database file. Each file is read on its own (so errors and missing columns name the file) into
 * the temp table `__f<i>` with its original columns plus:
 *   __fi   file index (into `files`), __row  1-based data row within the file,
 *   __ln   physical line number (NDJSON; NULL otherwise),
 *   __line the raw line (NDJSON only; the other columns are the JSON values of the mapped keys, as text).
 * CSV and NDJSON files first go through line-scan.ts, so a bad line (unterminated quote, text
 * after a closing quote, a CR, an over-long line, invalid UTF-8) becomes one `malformed_row` with
 * its line number and never fails the file; CSV lines DuckDB's reader then cannot parse (wrong
 * column count) join them in the temp table `rejected` (file, line, row_json, error).
 * NDJSON lines are parsed in SQL so invalid JSON becomes a quarantined row, never an error;
 * whitespace-only lines are not rows; keys are matched case-insensitively (`ts`, `TS` and `Ts`
 * in different lines fill one column; in one line, the first non-null in key order wins).
 * A `.json` file holding one JSON array is read as one row per element.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, literal } from '@usage-analytics/queries';
import { type ResolvedMapping, lookedFor, nestedPaths, resolveColumns } from './column-map.js';
import { InputError } from './errors.js';
import { type BadLine, MAX_LINE_BYTES, NDJSON_DECODE, WHITESPACE, scanCsv, scanNdjson } from './line-scan.js';

export type LogFormat = 'parquet' | 'csv' | 'ndjson' | 'duckdb';

export { InputError };

export interface SourceFile {
  path: string;
  format: LogFormat;
  /** Temp table holding the file's rows. */
  table: string;
  /** Original columns (for NDJSON: the mapped keys) and their DuckDB types. */
  columns: { name: string; type: string }[];
  mapping: ResolvedMapping;
  rows: number;
}

export interface LoadedLogs {
  files: SourceFile[];
  /** Rows read (not counting rejected lines). */
  rows: number;
  /** CSV/NDJSON lines that are not rows (in temp table `rejected`). */
  rejected: number;
}

const WS_CODES = [...WHITESPACE].map((ch) => ch.codePointAt(0)).join(', ');
/**
 * Text with surrounding whitespace (the set of line-scan.ts) removed; empty → NULL. DuckDB's
 * trim(x, characters) is ~4× slower than a test of the first and last character, so it only runs
 * on the rare values that start or end with whitespace.
 */
export const txt = (c: string) => {
  const x = `CAST(${c} AS VARCHAR)`;
  return `CASE WHEN ${x} = '' THEN NULL WHEN ascii(${x}) IN (${WS_CODES}) OR ascii(${x}[-1:]) IN (${WS_CODES}) THEN NULLIF(trim(${x}, ${literal(WHITESPACE).text}), '') ELSE ${x} END`;
};

export function formatOf(path: string, forced?: LogFormat): LogFormat {
  if (forced) return forced;
  const ext = extname(path.replace(/\.(gz|zst)$/i, '')).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  if (ext === '.duckdb' || ext === '.db' || ext === '.ddb') return 'duckdb';
  throw new InputError(`${path}: cannot tell the format from the extension; pass --format parquet|csv|ndjson|duckdb`);
}

const GLOB_CHARS = /[*?[{]/;

/** Expands globs (through DuckDB's glob()) and checks plain paths; sorted, de-duplicated. */
export async function expandSources(conn: DuckDBConnection, patterns: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    if (GLOB_CHARS.test(p)) {
      const rows = (await conn.runAndReadAll(`SELECT file FROM glob(${literal(p)}) ORDER BY file`)).getRows();
      if (rows.length === 0) throw new InputError(`${p}: no files match`);
      for (const [f] of rows) out.push(String(f));
    } else {
      if (!existsSync(p)) throw new InputError(`${p}: no such file`);
      if (!statSync(p).isFile()) throw new InputError(`${p}: not a file`);
      out.push(p);
    }
  }
  return [...new Set(out.map((f) => resolve(f)))].sort();
}

const MAX_LINE = MAX_LINE_BYTES + 1024;
const rejects = (i: number) => `store_rejects = true, rejects_table = '__rj${i}', rejects_scan = '__rs${i}'`;

async function columnsOf(conn: DuckDBConnection, relation: string): Promise<{ name: string; type: string }[]> {
  const rows = (await conn.runAndReadAll(`DESCRIBE ${relation}`)).getRows();
  // A name DuckDB can hold but SQL cannot quote ('' or with NUL) cannot be mapped anyway.
  return rows.map((r) => ({ name: String(r[0]), type: String(r[1]) })).filter((c) => c.name !== '' && !c.name.includes('\u0000'));
}

export interface ReadLogsOptions {
  sources: readonly string[];
  format?: LogFormat;
  /** Table to read from DuckDB database sources. */
  table?: string;
  mapping: Record<string, string>;
  /** Sources tried first when present (a --preset), before the column's name and aliases. */
  preferred?: Record<string, readonly string[]>;
}

/** Lines rejected by the scan or the reader, in temp table `rejected`. */
async function addRejected(conn: DuckDBConnection, path: string, bad: readonly BadLine[]): Promise<void> {
  for (let k = 0; k < bad.length; k += 500) {
    const values = bad.slice(k, k + 500).map((b) => `(${literal(path)}, ${b.line}, ${literal(JSON.stringify(b.text))}, ${literal(b.error)})`);
    await conn.run(`INSERT INTO rejected VALUES ${values.join(', ')}`);
  }
}

/** One entry per line the DuckDB reader rejected (it may report several errors for one line). */
async function addReaderRejects(conn: DuckDBConnection, path: string, i: number): Promise<void> {
  const exists = Number((await conn.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = '__rj${i}'`)).getRows()[0][0]) > 0;
  if (!exists) return;
  await conn.run(
    `INSERT INTO rejected SELECT ${literal(path)}, line, CAST(to_json(any_value(csv_line)) AS VARCHAR), string_agg(DISTINCT error_message, '; ') FROM __rj${i} GROUP BY line`,
  );
  await conn.run(`DROP TABLE __rj${i}`);
  await conn.run(`DROP TABLE IF EXISTS __rs${i}`);
}

async function readCsv(conn: DuckDBConnection, path: string, i: number): Promise<void> {
  const scan = await scanCsv(path);
  try {
    await addRejected(conn, path, scan.bad);
    const columns = `{${scan.header.map((n) => `${literal(n)}: 'VARCHAR'`).join(', ')}}`;
    await conn.run(
      `CREATE TEMP TABLE __f${i} AS SELECT *, ${i} AS __fi, row_number() OVER () AS __row, CAST(NULL AS BIGINT) AS __ln
       FROM read_csv(${literal(scan.readPath)}, columns = ${columns}, header = true, auto_detect = false, delim = ${literal(scan.delimiter)},
         quote = '"', escape = '"', strict_mode = true, max_line_size = ${MAX_LINE}, ${rejects(i)})`,
    );
  } finally {
    scan.cleanup();
  }
  await addReaderRejects(conn, path, i);
}

async function readNdjson(
  conn: DuckDBConnection,
  path: string,
  i: number,
  explicit: Record<string, string>,
  preferred: Record<string, readonly string[]>,
): Promise<ResolvedMapping & { keys: string[] }> {
  const scan = await scanNdjson(path);
  try {
    await addRejected(conn, path, scan.bad);
    if (scan.array) {
      await conn.run(
        `CREATE TEMP TABLE __l${i} AS SELECT CAST(json AS VARCHAR) AS __line, CAST(NULL AS BIGINT) AS __ln FROM read_json_objects(${literal(path)}, format = 'array', maximum_object_size = ${MAX_LINE})`,
      );
    } else {
      const line = scan.encoded ? NDJSON_DECODE('l') : 'l';
      await conn.run(
        `CREATE TEMP TABLE __l${i} AS SELECT ${line} AS __line, row_number() OVER () AS __ln
         FROM read_csv(${literal(scan.readPath)}, columns = {'l': 'VARCHAR'}, header = false, auto_detect = false, delim = E'\\x01\\x01', quote = '', escape = '',
           max_line_size = ${MAX_LINE}, ${rejects(i)})`,
      );
    }
  } catch (e) {
    if (scan.array)
      throw new InputError(`${path}: holds a JSON array (not one JSON object per line) that cannot be read: ${firstLine((e as Error).message)}`, { cause: e });
    throw e;
  } finally {
    scan.cleanup();
  }
  await addReaderRejects(conn, path, i);
  // Whitespace-only lines are not rows; JSON is parsed once.
  await conn.run(
    `CREATE TEMP TABLE __m${i} AS SELECT __line, __ln, row_number() OVER () AS __row, CASE WHEN json_valid(__line) THEN CAST(__line AS JSON) END AS __j
     FROM __l${i} WHERE ${txt('__line')} IS NOT NULL`,
  );
  await conn.run(`DROP TABLE __l${i}`);
  const keys = (await conn.runAndReadAll(`SELECT DISTINCT unnest(json_keys(__j)) AS k FROM __m${i} WHERE json_type(__j) = 'OBJECT' ORDER BY k`))
    .getRows()
    .map((r) => String(r[0]));
  // Keys that differ only in case are one column (the first in key order names it).
  const variants = new Map<string, string[]>();
  for (const k of keys) variants.set(k.toLowerCase(), [...(variants.get(k.toLowerCase()) ?? []), k]);
  const names = [...variants.values()].map((v) => v[0]).filter((k) => k !== '' && !k.includes('\u0000') && !k.startsWith('__'));
  // Nested fields: --map agent_id=metadata.agent_name reads {"metadata": {"agent_name": …}} when
  // there is no top-level key of that name (the first part is matched case-insensitively).
  // Keys with dots (OpenTelemetry's attributes."gen_ai.agent.name") are tried as every grouping.
  const nested = new Map<string, string[][]>();
  for (const source of [...Object.values(explicit), ...Object.values(preferred).flat()]) {
    if (variants.has(source.toLowerCase()) || nested.has(source.toLowerCase())) continue;
    const paths = nestedPaths(source);
    const top = paths.length > 0 ? variants.get(paths[0][0].toLowerCase()) : undefined;
    if (!top) continue;
    nested.set(
      source.toLowerCase(),
      paths.map((p) => [top[0], ...p.slice(1)]),
    );
    names.push(source);
  }
  const mapping = resolveColumns(names, explicit, preferred);
  const escape = (k: string) => k.replaceAll('~', '~0').replaceAll('/', '~1');
  const pointer = (k: string) => literal(`/${escape(k)}`);
  const extract = [...new Set(Object.values(mapping.columns))].map((name) => {
    const paths = nested.get(name.toLowerCase());
    if (paths) {
      const each = paths.map((path) => `json_extract_string(__j, ${literal(`/${path.map(escape).join('/')}`)})`);
      return `${each.length > 1 ? `COALESCE(${each.join(', ')})` : each[0]} AS ${ident(name)}`;
    }
    const parts = variants.get(name.toLowerCase())!.map((k) => `json_extract_string(__j, ${pointer(k)})`);
    return `${parts.length > 1 ? `COALESCE(${parts.join(', ')})` : parts[0]} AS ${ident(name)}`;
  });
  const obj = `coalesce(json_type(__j) = 'OBJECT', false) AS __obj`;
  await conn.run(`CREATE TEMP TABLE __f${i} AS SELECT ${[...extract, '__line', obj, `${i} AS __fi`, '__row', '__ln'].join(', ')} FROM __m${i}`);
  await conn.run(`DROP TABLE __m${i}`);
  return { ...mapping, keys };
}

/**
 * Nested fields of Parquet/DuckDB sources: for each `--map target=a.b` whose source is not a
 * column but whose first part is a STRUCT (or JSON) column, the field is added to the temp table as
 * a column named "a.b" (`"a"."b"` in SQL; JSON text is read with json_extract_string).
 */
async function addStructFields(conn: DuckDBConnection, table: string, sources: readonly string[]): Promise<void> {
  const columns = await columnsOf(conn, table);
  const byLower = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const added: string[] = [];
  for (const source of new Set(sources)) {
    if (byLower.has(source.toLowerCase())) continue;
    const paths = nestedPaths(source);
    const top = paths.length > 0 ? byLower.get(paths[0][0].toLowerCase()) : undefined;
    if (!top) continue;
    if (top.type.startsWith('STRUCT')) {
      // The first grouping whose fields exist (a struct field may itself contain dots).
      for (const path of paths) {
        const expr = [ident(top.name), ...path.slice(1).map((p) => ident(p))].join('.');
        const binds = await conn.run(`SELECT ${expr} FROM ${table} LIMIT 0`).then(
          () => true,
          () => false,
        );
        if (binds) {
          added.push(`${expr} AS ${ident(source)}`);
          break;
        }
      }
    } else if (top.type === 'JSON' || top.type === 'VARCHAR') {
      const each = paths.map(
        (path) =>
          `json_extract_string(${ident(top.name)}, ${literal(
            `$.${path
              .slice(1)
              .map((p) => JSON.stringify(p))
              .join('.')}`,
          )})`,
      );
      added.push(`${each.length > 1 ? `COALESCE(${each.join(', ')})` : each[0]} AS ${ident(source)}`);
    }
  }
  if (added.length === 0) return;
  await conn.run(`CREATE TEMP TABLE ${table}_n AS SELECT *, ${added.join(', ')} FROM ${table}`);
  await conn.run(`DROP TABLE ${table}`);
  await conn.run(`ALTER TABLE ${table}_n RENAME TO ${table}`);
}

/** Loads all sources into `__f<i>` tables; throws InputError naming the file (and column) on problems. */
export async function readLogs(conn: DuckDBConnection, opts: ReadLogsOptions): Promise<LoadedLogs> {
  await conn.run(`SET TimeZone = 'UTC'`);
  const paths = await expandSources(conn, opts.sources);
  const preferred = opts.preferred ?? {};
  await conn.run(`CREATE OR REPLACE TEMP TABLE rejected (file VARCHAR, line BIGINT, row_json VARCHAR, error VARCHAR)`);
  const files: SourceFile[] = [];
  let total = 0;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    const format = formatOf(path, opts.format);
    const table = `__f${i}`;
    let present: string[];
    let mapping: ResolvedMapping;
    try {
      if (format === 'ndjson') {
        const r = await readNdjson(conn, path, i, opts.mapping, preferred);
        mapping = r;
        present = r.keys;
      } else {
        if (format === 'csv') await readCsv(conn, path, i);
        else if (format === 'parquet') {
          await conn.run(
            `CREATE TEMP TABLE ${table} AS SELECT *, ${i} AS __fi, row_number() OVER () AS __row, CAST(NULL AS BIGINT) AS __ln FROM read_parquet(${literal(path)})`,
          );
        } else {
          await conn.run(`ATTACH ${literal(path)} AS __srcdb (READ_ONLY)`);
          try {
            const t = opts.table ?? 'requests';
            await conn.run(
              `CREATE TEMP TABLE ${table} AS SELECT *, ${i} AS __fi, row_number() OVER () AS __row, CAST(NULL AS BIGINT) AS __ln FROM __srcdb.${ident(t)}`,
            );
          } finally {
            await conn.run(`DETACH __srcdb`);
          }
        }
        await addStructFields(conn, table, [...Object.values(opts.mapping), ...Object.values(preferred).flat()]);
        present = (await columnsOf(conn, table)).filter((c) => !c.name.startsWith('__')).map((c) => c.name);
        mapping = resolveColumns(present, opts.mapping, preferred);
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${path}: cannot read as ${format}: ${firstLine((e as Error).message)}`, { cause: e });
    }
    const columns = (await columnsOf(conn, table)).filter((c) => !c.name.startsWith('__'));
    if (mapping.missing.length > 0) {
      const col = mapping.missing[0];
      const list = present.slice(0, 40).map(clip).join(', ') + (present.length > 40 ? `, … (${present.length - 40} more)` : '');
      throw new InputError(
        `${path}: missing required column "${col}" (looked for ${lookedFor(col, opts.mapping, preferred)}; ${format === 'ndjson' ? 'keys' : 'columns'} present: ${list || 'none'}). Use --map ${col}=<column>.`,
        { field: col },
      );
    }
    const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
    total += rows;
    files.push({ path, format, table, columns, mapping, rows });
  }
  const rejected = Number((await conn.runAndReadAll(`SELECT count(*) FROM rejected`)).getRows()[0][0]);
  return { files, rows: total, rejected };
}

/** Drops the per-file tables. */
export async function dropSourceTables(conn: DuckDBConnection, loaded: LoadedLogs): Promise<void> {
  for (const f of loaded.files) await conn.run(`DROP TABLE IF EXISTS ${f.table}`);
}

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);

function firstLine(s: string): string {
  return s.split('\n')[0];
}
