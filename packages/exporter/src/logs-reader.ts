/**
 * Reads request logs into DuckDB: Parquet, CSV, NDJSON files and globs, or a table of a DuckDB
 * database file. Each file is read on its own (so errors and missing columns name the file) into
 * the temp table `__f<i>` with its original columns plus:
 *   __fi   file index (into `files`), __row  1-based data row within the file,
 *   __line the raw line (NDJSON only; the other columns are the JSON keys, as text).
 * CSV lines the reader cannot parse (wrong column count, bad quoting) are kept in `__rejects`;
 * NDJSON lines are parsed in SQL so invalid JSON becomes a quarantined row, never an error.
 * Blank NDJSON lines are not rows and are skipped.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, literal } from '@usage-analytics/queries';
import { type ResolvedMapping, lookedFor, resolveColumns } from './column-map.js';
import { InputError } from './errors.js';

export type LogFormat = 'parquet' | 'csv' | 'ndjson' | 'duckdb';

export { InputError };

export interface SourceFile {
  path: string;
  format: LogFormat;
  /** Temp table holding the file's rows. */
  table: string;
  /** Original columns and their DuckDB types. */
  columns: { name: string; type: string }[];
  mapping: ResolvedMapping;
  rows: number;
}

export interface LoadedLogs {
  files: SourceFile[];
  /** Rows read (not counting rejected lines). */
  rows: number;
  /** CSV/NDJSON lines the reader could not parse (in temp table `rejected`). */
  rejected: number;
}

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

function readSql(path: string, format: LogFormat, table: string): string {
  const p = literal(path);
  switch (format) {
    case 'parquet':
      return `SELECT * FROM read_parquet(${p})`;
    case 'csv':
      return `SELECT * FROM read_csv(${p}, all_varchar = true, header = true, store_rejects = true, rejects_table = '__rejects', rejects_scan = '__rejects_scan')`;
    case 'ndjson':
      return `SELECT __line FROM read_csv(${p}, columns = {'__line': 'VARCHAR'}, header = false, delim = E'\\x01', quote = '', escape = '', auto_detect = false, max_line_size = 16000000, store_rejects = true, rejects_table = '__rejects', rejects_scan = '__rejects_scan') WHERE trim(coalesce(__line, '')) <> ''`;
    case 'duckdb':
      return `SELECT * FROM __srcdb.${ident(table)}`;
  }
}

async function columnsOf(conn: DuckDBConnection, relation: string): Promise<{ name: string; type: string }[]> {
  const rows = (await conn.runAndReadAll(`DESCRIBE ${relation}`)).getRows();
  return rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
}

export interface ReadLogsOptions {
  sources: readonly string[];
  format?: LogFormat;
  /** Table to read from DuckDB database sources. */
  table?: string;
  mapping: Record<string, string>;
}

/** Loads all sources into `src`; throws InputError naming the file (and column) on problems. */
export async function readLogs(conn: DuckDBConnection, opts: ReadLogsOptions): Promise<LoadedLogs> {
  await conn.run(`SET TimeZone = 'UTC'`);
  const paths = await expandSources(conn, opts.sources);
  const files: SourceFile[] = [];
  let total = 0;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    const format = formatOf(path, opts.format);
    const table = `__f${i}`;
    const target = format === 'ndjson' ? `__l${i}` : table;
    try {
      if (format === 'duckdb') await conn.run(`ATTACH ${literal(path)} AS __srcdb (READ_ONLY)`);
      try {
        await conn.run(`CREATE TEMP TABLE ${target} AS SELECT *, ${i} AS __fi, row_number() OVER () AS __row FROM (${readSql(path, format, opts.table ?? 'requests')})`);
      } finally {
        if (format === 'duckdb') await conn.run(`DETACH __srcdb`);
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${path}: cannot read as ${format}: ${firstLine((e as Error).message)}`);
    }
    if (format === 'ndjson') {
      const keys = await conn.runAndReadAll(
        `SELECT DISTINCT k FROM (SELECT unnest(json_keys(j)) AS k FROM (SELECT CASE WHEN json_valid(__line) THEN CAST(__line AS JSON) END AS j FROM ${target}) WHERE json_type(j) = 'OBJECT') ORDER BY k`,
      );
      const names = keys.getRows().map((r) => String(r[0])).filter((k) => !k.startsWith('__'));
      const extract = names.map((k) => `json_extract_string(CASE WHEN json_valid(__line) THEN __line END, ${literal(`$.${JSON.stringify(k)}`)}) AS ${ident(k)}`);
      await conn.run(`CREATE TEMP TABLE ${table} AS SELECT ${[...extract, '__line', '__fi', '__row'].join(', ')} FROM ${target}`);
      await conn.run(`DROP TABLE ${target}`);
    }
    const columns = (await columnsOf(conn, table)).filter((c) => !c.name.startsWith('__'));
    const mapping = resolveColumns(
      columns.map((c) => c.name),
      opts.mapping,
    );
    if (mapping.missing.length > 0) {
      const col = mapping.missing[0];
      throw new InputError(
        `${path}: missing required column "${col}" (looked for ${lookedFor(col, opts.mapping)}; columns present: ${columns.map((c) => c.name).join(', ') || 'none'}). Use --map ${col}=<column>.`,
      );
    }
    const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
    total += rows;
    files.push({ path, format, table, columns, mapping, rows });
  }
  const hasRejects = Number((await conn.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = '__rejects'`)).getRows()[0][0]) > 0;
  if (!hasRejects) {
    await conn.run(`CREATE TEMP TABLE __rejects (scan_id UBIGINT, file_id UBIGINT, line UBIGINT, csv_line VARCHAR, error_message VARCHAR)`);
    await conn.run(`CREATE TEMP TABLE __rejects_scan (scan_id UBIGINT, file_id UBIGINT, file_path VARCHAR)`);
  }
  // One entry per rejected line (the reader may report several errors for one line).
  await conn.run(
    `CREATE TEMP TABLE rejected AS SELECT s.file_path AS file, r.line, any_value(r.csv_line) AS csv_line, string_agg(DISTINCT r.error_message, '; ') AS error
     FROM __rejects r JOIN __rejects_scan s USING (scan_id, file_id) GROUP BY s.file_path, r.line`,
  );
  const rejected = Number((await conn.runAndReadAll(`SELECT count(*) FROM rejected`)).getRows()[0][0]);
  return { files, rows: total, rejected };
}

/** Drops the per-file tables. */
export async function dropSourceTables(conn: DuckDBConnection, loaded: LoadedLogs): Promise<void> {
  for (const f of loaded.files) await conn.run(`DROP TABLE IF EXISTS ${f.table}`);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
