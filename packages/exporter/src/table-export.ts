/**
 * Exports a DuckDB relation whose columns are a table spec's columns (by name) to an `.arrows`
 * file: dictionary columns get an ENUM type holding their sorted distinct values (the Arrow
 * dictionary), then rows stream through queryToArrow.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableSpec } from '@usage-analytics/queries';
import { ArrowTableWriter, type WrittenFile } from './arrow-writer.js';
import { queryToArrow } from './duck-to-arrow.js';
import { ident, literal } from '@usage-analytics/queries';

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
      const col = ident(c.name);
      if (c.type === 'dict') {
        const rows = (await conn.runAndReadAll(`SELECT DISTINCT CAST(${col} AS VARCHAR) AS v FROM ${relation} WHERE ${col} IS NOT NULL ORDER BY v`)).getRows();
        const values = rows.map((r) => String(r[0]));
        // An all-null column still gets a one-entry dictionary, so that index 0 of its null slots
        // is in range for strict readers.
        dictionaries[c.name] = values.length > 0 ? values : [''];
        sizes[c.name] = values.length;
        if (values.length === 0) {
          select.push(`CAST(NULL AS UTINYINT) AS ${col}`);
        } else {
          const type = `__enum_${spec.name}_${typeCounter++}`;
          await conn.run(`CREATE TYPE ${type} AS ENUM (${values.map(literal).join(', ')})`);
          created.push(type);
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
    for (const t of created) await conn.run(`DROP TYPE IF EXISTS ${t}`);
  }
}
