/**
 * Loads one snapshot table into an engine, after checking it against the snapshot schema
 * (arrow-schema.ts: an Arrow IPC stream with the table's columns and compatible types).
 *
 * A table whose columns have exactly the exporter's types goes in whole. The big ones (requests,
 * sessions: `ENUM_TABLES`) go in record batch by record batch into a table created up front from
 * the schema, with their dictionary columns as sorted ENUMs built from the Arrow dictionaries. So
 * the engine never holds the whole IPC buffer plus a VARCHAR copy of the table at once (10M
 * requests fit in DuckDB-WASM's 4 GB), and no second pass converts the columns. Other tables with
 * merely compatible types (an all-null `Null` column, Int16, Timestamp in ms, …) take the same
 * typed path, so the engine's column types are the schema's whatever the writer chose (an Arrow
 * `Null` column would otherwise become an INTEGER column in DuckDB).
 */
import { RecordBatchReader, Table, Type, Utf8, tableToIPC, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { DUCKDB_TYPES, ENUM_TABLES, TABLES, emptyTableSql, ident, type TableName } from '@usage-analytics/queries';
import { checkSchema, isCanonical, openStream } from './arrow-schema.js';
import type { Connector } from './connector.js';

let loads = 0;

/** Creates `name` with no rows and the schema's column types (an optional table a snapshot leaves out). */
export async function createEmptyTable(connector: Connector, name: TableName): Promise<void> {
  await connector.query(emptyTableSql(name));
}

export interface LoadTableOptions {
  /** The file the bytes came from, for messages (default: the schema's file name). */
  file?: string;
  /** Reports the batches of a table loaded batch by batch. */
  onBatch?: (done: number, total: number) => void;
}

/**
 * Inserts `bytes` (an Arrow IPC stream) as table `name`. Throws `SnapshotError('invalid_arrow')`
 * or `('schema_mismatch')` before touching the engine when the file does not fit the schema.
 */
export async function loadTable(connector: Connector, name: TableName, bytes: Uint8Array, options: LoadTableOptions = {}): Promise<void> {
  const { file = TABLES[name].file, onBatch } = options;
  const spec = TABLES[name];
  const reader: RecordBatchReader = openStream(name, bytes, file);
  const schema = reader.schema;
  checkSchema(name, schema, file);
  const enumCols = ENUM_TABLES.includes(name) ? spec.columns.filter((c) => c.type === 'dict').map((c) => c.name) : [];
  if (enumCols.length === 0 && isCanonical(name, schema)) {
    await connector.insertArrowStream(name, bytes);
    return;
  }
  const batches: RecordBatch[] = [...reader];
  const nullCols = new Set(schema.fields.filter((f) => f.type.typeId === Type.Null).map((f) => f.name));
  const seq = ++loads;
  const stage = ident(`__stage_${name}_${seq}`).text;
  const typeOf = new Map<string, string>();

  // One sorted ENUM per dictionary column, from the union of its batches' dictionaries.
  for (const col of enumCols) {
    const index = schema.fields.findIndex((f) => f.name === col);
    if (index < 0) throw new Error(`table ${name} has no column ${col}`);
    const values = new Set<string>();
    let last: unknown;
    for (const b of batches) {
      const dict = b.getChildAt(index)?.data[0]?.dictionary;
      if (!dict || dict === last) continue;
      last = dict;
      for (const v of dict) if (v !== null && v !== undefined) values.add(String(v));
    }
    const typeName = ident(`enum_${name}_${col}_${seq}`).text;
    await connector.insertArrowStream(`__dict_${seq}`, tableToIPC(new Table({ v: vectorFromArray([...values, ''], new Utf8()) }), 'stream'));
    // '' keeps an all-null column's ENUM non-empty; DuckDB sorts by bytes, as ORDER BY on VARCHAR does.
    await connector.query(`CREATE TYPE ${typeName} AS ENUM (SELECT DISTINCT v FROM "__dict_${seq}" ORDER BY 1)`);
    await connector.query(`DROP TABLE "__dict_${seq}"`);
    typeOf.set(col, typeName);
  }

  const columns = spec.columns.map((c) => `${ident(c.name)} ${typeOf.get(c.name) ?? DUCKDB_TYPES[c.type]}`);
  await connector.query(`CREATE TABLE ${ident(name)} (${columns.join(', ')})`);
  // An all-null Arrow `Null` column is INTEGER to DuckDB: give the engine a typed NULL instead.
  const select = spec.columns
    .map((c) => {
      const type = typeOf.get(c.name) ?? DUCKDB_TYPES[c.type];
      if (nullCols.has(c.name)) return `NULL::${type} AS ${ident(c.name)}`;
      return typeOf.has(c.name) ? `${ident(c.name)}::${type}` : ident(c.name).text;
    })
    .join(', ');
  for (let i = 0; i < batches.length; i++) {
    await connector.insertArrowStream(stage.slice(1, -1), tableToIPC(new Table([batches[i]]), 'stream'));
    await connector.query(`INSERT INTO ${ident(name)} SELECT ${select} FROM ${stage}`);
    await connector.query(`DROP TABLE ${stage}`);
    onBatch?.(i + 1, batches.length);
  }
}
