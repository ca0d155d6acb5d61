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
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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
