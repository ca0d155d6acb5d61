/**
 * The snapshot's DuckDB database file (`snapshot.duckdb`): every published table in one file the
 * browser fetches in one request and ATTACHes read-only, instead of decoding one Arrow stream per
 * table (issue 12). Written by native DuckDB 1.5 in storage version v1.4.0, the newest DuckDB-WASM
 * 1.32 (DuckDB 1.4.3) reads. Columns are compressed by DuckDB (the 1M-request demo is about a
 * third of its Arrow streams); dictionary columns of `ENUM_TABLES` are the same sorted ENUMs the
 * loaders build (`enumStatements`), and `requests` / `sessions` are sorted by time, so the zone
 * maps of each row group prune time filters.
 *
 * The tables are copied from a native DuckDB that already holds the published tables (loaded from
 * the Arrow streams of the version folder, PII already withheld), so the file and the streams hold
 * the same rows; the client checks each table's row count against the manifest.
 *
 * Next to it the exporter writes `snapshot.duckdb.br`, the same bytes brotli-compressed, for a
 * static host or CDN to send as `snapshot.duckdb` with `Content-Encoding: br` (the browser decodes
 * it before the client sees a byte, so size and SHA-256 in the manifest stay those of the file).
 */
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { constants as zlib, createBrotliCompress } from 'node:zlib';
import { TABLE_NAMES, ident, type TableName } from '@usage-analytics/queries';
import type { NativeConnector } from './native-connector.js';

/** The file's name in a version folder. */
export const DATABASE_FILE = 'snapshot.duckdb';
/** The storage version the file is written in (DuckDB-WASM 1.32 = DuckDB 1.4.3 reads up to v1.4.0). */
export const DATABASE_STORAGE_VERSION = 'v1.4.0';

/** Row order inside the file: time first, so row groups cover narrow time ranges (zone maps prune time filters). */
const ORDER: Partial<Record<TableName, string>> = {
  requests: 'ts',
  sessions: 'session_start',
};

/** SQL string literal (single quotes doubled). */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Writes `dir/snapshot.duckdb` from the tables `db` holds (every table of `tables`), then CHECKPOINTs
 * and DETACHes it, so the file is complete and closed before the manifest names it.
 */
export async function writeDatabaseFile(db: NativeConnector, dir: string, tables: readonly TableName[] = TABLE_NAMES): Promise<string> {
  const path = join(dir, DATABASE_FILE);
  if (existsSync(path)) rmSync(path);
  const out = ident('__snapshot_out').text;
  await db.query(`ATTACH ${literal(path)} AS ${out} (STORAGE_VERSION ${literal(DATABASE_STORAGE_VERSION)})`);
  try {
    for (const name of tables) {
      const order = ORDER[name];
      await db.query(`CREATE TABLE ${out}.${ident(name).text} AS SELECT * FROM ${ident(name).text}${order ? ` ORDER BY ${ident(order).text}` : ''}`);
    }
    await db.query(`CHECKPOINT ${out}`);
  } finally {
    await db.query(`DETACH ${out}`);
  }
  return DATABASE_FILE;
}

/** Brotli quality of the sidecar. Measured on the 1M-request demo file (51.7 MB, 2 shared cores):
 * q1 40.5 MB in 0.46 s, **q3 39.0 MB in 0.6 s**, q4 39.5 MB in 1.5 s, q5 38.4 MB in 2.5 s; a 16 MB
 * window (lgwin 24) gave the same size as the default 4 MB one. */
export const DATABASE_BR_QUALITY = 3;

/**
 * Writes `dir/<file>.br`, `dir/<file>` brotli-compressed (streamed through node:zlib, fsynced), and
 * returns its name (relative to `dir`, like `file`) and size. Called after the database file is
 * closed and before the manifest is written, inside the exporter's temporary folder.
 */
export async function writeBrotliSidecar(dir: string, file = DATABASE_FILE, quality = DATABASE_BR_QUALITY): Promise<{ file: string; bytes: number }> {
  const src = join(dir, file);
  const dst = `${src}.br`;
  const size = statSync(src).size;
  await pipeline(
    createReadStream(src),
    createBrotliCompress({
      params: { [zlib.BROTLI_PARAM_QUALITY]: quality, [zlib.BROTLI_PARAM_SIZE_HINT]: size, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_GENERIC },
    }),
    createWriteStream(dst),
  );
  const fd = openSync(dst, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { file: `${file}.br`, bytes: statSync(dst).size };
}
