/**
 * Exports a DuckDB relation whose columns are a table spec's columns (by name) to an `.arrows`
 * file: dictionary columns get an ENUM type holding their sorted distinct values (the Arrow
 * dictionary), then rows stream through queryToArrow.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableSpec } from '@usage-analytics/queries';
import { ArrowTableWriter, type WrittenFile } from './arrow-writer.js';
import { queryToArrow } from './duck-to-arrow.js';
import { ident } from '@usage-analytics/queries';

const DUCK_TYPES = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  int32: 'INTEGER',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  bool: 'BOOLEAN',
  string_list: 'VARCHAR[]',
} as const;

let typeCounter = 0;

export async function exportRelation(conn: DuckDBConnection, relation: string, spec: TableSpec, path: string, orderBy?: string): Promise<WrittenFile> {
  const dictionaries: Record<string, string[]> = {};
  const sizes: Record<string, number> = {};
  const select: string[] = [];
  const created: string[] = [];
  try {
    for (const c of spec.columns) {
      const col = ident(c.name).text;
      if (c.type === 'dict') {
        await conn.run(`CREATE OR REPLACE TEMP TABLE __distinct AS SELECT DISTINCT CAST(${col} AS VARCHAR) AS v FROM ${relation} WHERE ${col} IS NOT NULL`);
        const count = Number((await conn.runAndReadAll(`SELECT count(*) FROM __distinct`)).getRows()[0][0]);
        if (count === 0) {
          // An all-null column still gets a one-entry dictionary, so that index 0 of its null slots
          // is in range for strict readers.
          dictionaries[c.name] = [''];
          sizes[c.name] = 0;
          select.push(`CAST(NULL AS UTINYINT) AS ${col}`);
        } else {
          // The type is built from the query, never from quoted values (any text, NUL included, is
          // a value), and the dictionary is read back from the type, so codes and entries agree.
          const type = ident(`__enum_${spec.name}_${typeCounter++}`).text;
          await conn.run(`CREATE TYPE ${type} AS ENUM (SELECT v FROM __distinct ORDER BY v)`);
          created.push(type);
          const values = (await conn.runAndReadAll(`SELECT CAST(unnest(enum_range(NULL::${type})) AS VARCHAR)`)).getRows().map((r) => String(r[0]));
          if (values.length !== count) throw new Error(`${spec.name}.${c.name}: ENUM has ${values.length} values, expected ${count}`);
          dictionaries[c.name] = values;
          sizes[c.name] = values.length;
          select.push(`CAST(CAST(${col} AS VARCHAR) AS ${type}) AS ${col}`);
        }
      } else {
        select.push(`CAST(${col} AS ${DUCK_TYPES[c.type]}) AS ${col}`);
      }
    }
    const writer = new ArrowTableWriter(path, spec, dictionaries);
    try {
      await queryToArrow(conn, `SELECT ${select.join(', ')} FROM ${relation}${orderBy ? ` ORDER BY ${orderBy}` : ''}`, spec, writer, sizes);
      return writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
  } finally {
    await conn.run(`DROP TABLE IF EXISTS __distinct`);
    for (const t of created) await conn.run(`DROP TYPE IF EXISTS ${t}`);
  }
}
