/**
 * Loads one snapshot table into an engine.
 *
 * Small tables go in whole. The big ones (requests, sessions: `ENUM_TABLES`) go in record batch by
 * record batch into a table created up front from the schema, with their dictionary columns as
 * sorted ENUMs built from the Arrow dictionaries. So the engine never holds the whole IPC buffer
 * plus a VARCHAR copy of the table at once (10M requests fit in DuckDB-WASM's 4 GB), and no
 * second pass converts the columns.
 */
import { RecordBatchReader, Table, Utf8, tableToIPC, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { ENUM_TABLES, TABLES, ident, type ColumnType, type TableName } from '@usage-analytics/queries';
import type { Connector } from './connector.js';

const DUCK_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  dict: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  int32: 'INTEGER',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  bool: 'BOOLEAN',
  string_list: 'VARCHAR[]',
};

let loads = 0;

/** Inserts `bytes` (an Arrow IPC stream) as table `name`; `onBatch(done, total)` reports big tables' progress. */
export async function loadTable(connector: Connector, name: TableName, bytes: Uint8Array, onBatch?: (done: number, total: number) => void): Promise<void> {
  const spec = TABLES[name];
  const enumCols = ENUM_TABLES.includes(name) ? spec.columns.filter((c) => c.type === 'dict').map((c) => c.name) : [];
  if (enumCols.length === 0) {
    await connector.insertArrowStream(name, bytes);
    return;
  }
  const reader = RecordBatchReader.from(bytes).open();
  const schema = reader.schema;
  const batches: RecordBatch[] = [...reader];
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

  const columns = spec.columns.map((c) => `${ident(c.name)} ${typeOf.get(c.name) ?? DUCK_TYPES[c.type]}`);
  await connector.query(`CREATE TABLE ${ident(name)} (${columns.join(', ')})`);
  const select = spec.columns.map((c) => (typeOf.has(c.name) ? `${ident(c.name)}::${typeOf.get(c.name)}` : ident(c.name).text)).join(', ');
  for (let i = 0; i < batches.length; i++) {
    await connector.insertArrowStream(stage.slice(1, -1), tableToIPC(new Table([batches[i]]), 'stream'));
    await connector.query(`INSERT INTO ${ident(name)} SELECT ${select} FROM ${stage}`);
    await connector.query(`DROP TABLE ${stage}`);
    onBatch?.(i + 1, batches.length);
  }
}
