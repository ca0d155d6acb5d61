/**
 * How tables are stored once loaded (both engines run these, so they answer alike).
 *
 * Dictionary-encoded columns of the big tables become DuckDB ENUMs whose values are in sorted
 * order (the data-client builds them from the Arrow dictionaries while loading batch by batch;
 * native DuckDB in the exporter converts after loading with {@link enumStatements}), so ORDER BY is unchanged while filters, GROUP BY and COUNT(DISTINCT) compare small
 * integers instead of strings (about 2× faster on DuckDB-WASM at 1M rows; see `pnpm bench`).
 */
import { TABLES, type TableName } from './schema.js';
import { ident } from './sql.js';

/** Tables large enough for the conversion to pay for itself. */
export const ENUM_TABLES: readonly TableName[] = ['requests', 'sessions'];

let loads = 0;

/**
 * The statements that turn `table`'s dict columns into sorted ENUMs (empty when nothing to do).
 * Type names get a per-process sequence number, so one engine can load snapshots again.
 * Query outputs may therefore hold ENUM columns: both engines return them as strings.
 */
export function enumStatements(table: TableName): string[] {
  if (!ENUM_TABLES.includes(table)) return [];
  const spec = TABLES[table];
  const dicts = spec.columns.filter((c) => c.type === 'dict').map((c) => c.name);
  if (dicts.length === 0) return [];
  const t = ident(table).text;
  const next = ident(`${table}__enum`).text;
  const seq = ++loads;
  const typeName = (col: string) => ident(`enum_${table}_${col}_${seq}`).text;
  // '' keeps the value set non-empty for an empty or all-null column (DuckDB rejects an empty ENUM).
  const types = dicts.map(
    (col) =>
      `CREATE TYPE ${typeName(col)} AS ENUM (SELECT DISTINCT v FROM (SELECT ${ident(col)} AS v FROM ${t} WHERE ${ident(col)} IS NOT NULL UNION ALL SELECT '') ORDER BY 1)`,
  );
  const select = spec.columns.map((c) => (c.type === 'dict' ? `${ident(c.name)}::${typeName(c.name)} AS ${ident(c.name)}` : ident(c.name).text)).join(', ');
  return [...types, `CREATE TABLE ${next} AS SELECT ${select} FROM ${t}`, `DROP TABLE ${t}`, `ALTER TABLE ${next} RENAME TO ${t}`];
}
