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
 * Next to it the exporter writes `snapshot.duckdb.zst` and `snapshot.duckdb.br`, the same bytes
 * zstd- and brotli-compressed, for a static host or CDN to send as `snapshot.duckdb` with
 * `Content-Encoding: zstd` or `br` (the browser decodes it before the client sees a byte, so size
 * and SHA-256 in the manifest stay those of the file). zstd first where the browser accepts it
 * (Chromium >= 123, Firefox >= 126): about the same size, decoded several times faster (10M
 * requests in `pnpm bench`: data-ready 8.3 s with br, 5.8 s with zstd).
 */
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { constants as zlib, createBrotliCompress } from 'node:zlib';
import { TABLE_NAMES, ident, type TableName } from '@usage-analytics/queries';
import type { NativeConnector } from './native-connector.js';
import { loadZstd } from './zstd.js';

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

/** zstd level of the sidecar, and the size of the input each zstd frame holds. Measured on the
 * demo files (2 shared cores, @bokuweb/zstd-wasm): level 3 in 32 MiB frames, 1M 51.4 -> 38.8 MB in
 * 0.5 s, 10M 464.8 -> 371.0 MB in 4.2 s (brotli q3: 39.1 / 372.7 MB); the zstd CLI decodes the
 * 10M file in 0.36 s, and the demo tab at 10M reached data-ready 2.5 s sooner than with the `.br`.
 * Level 3 uses a 2 MiB window, well inside the 8 MiB a browser accepts for
 * `Content-Encoding: zstd` (RFC 9659). */
export const DATABASE_ZSTD_LEVEL = 3;
export const DATABASE_ZSTD_FRAME = 32 << 20;

/**
 * Writes `dir/<file>.zst`, `dir/<file>` zstd-compressed as a sequence of frames of `frame` input
 * bytes each (a zstd stream may hold several frames, RFC 8878 §3; browsers decode it as one body),
 * so memory stays bounded at any file size; fsynced; returns its name (relative to `dir`) and
 * size. Yields between frames so the brotli sidecar (zlib's thread pool) is written alongside.
 * zstd is WebAssembly (@bokuweb/zstd-wasm): Node 20's zlib has no zstd.
 */
export async function writeZstdSidecar(
  dir: string,
  file = DATABASE_FILE,
  level = DATABASE_ZSTD_LEVEL,
  frame = DATABASE_ZSTD_FRAME,
): Promise<{ file: string; bytes: number }> {
  const zstd = await loadZstd();
  const src = join(dir, file);
  const dst = `${src}.zst`;
  const input = openSync(src, 'r');
  const output = openSync(dst, 'w');
  try {
    const buf = Buffer.alloc(Math.min(frame, Math.max(1, statSync(src).size)));
    for (;;) {
      let n = 0;
      // A short read is not the end: fill the frame's buffer until the file ends.
      while (n < buf.length) {
        const got = readSync(input, buf, n, buf.length - n, null);
        if (got === 0) break;
        n += got;
      }
      if (n === 0) break;
      const out = zstd.compress(buf.subarray(0, n), level);
      for (let off = 0; off < out.length;) off += writeSync(output, out, off, out.length - off);
      if (n < buf.length) break;
      await new Promise((r) => setImmediate(r));
    }
    fsyncSync(output);
  } finally {
    closeSync(input);
    closeSync(output);
  }
  return { file: `${file}.zst`, bytes: statSync(dst).size };
}

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
