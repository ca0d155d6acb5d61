/**
 * Checks a table file against the snapshot schema (`TABLES` in queries/schema.ts) before it reaches
 * the engine: that it is an Arrow IPC *stream* at all, that it has exactly the table's columns
 * (swapped files such as users ↔ agents fail here, naming what is missing and unexpected, instead
 * of as a later `Binder Error`), and that each column's Arrow type can hold the column's type.
 *
 * Compatible types (what {@link isCanonical} calls exact is what the exporter writes):
 *   string → Utf8, LargeUtf8, Dictionary<Utf8>     dict → Dictionary<Utf8> (also Utf8 outside ENUM tables)
 *   timestamp → Timestamp without zone, any unit   int32 → Int8/16/32, UInt8/16
 *   float32, float64 → Float (any precision)       bool → Bool      string_list → List<Utf8>
 *   any nullable column → Null (all null, e.g. PII columns the exporter does not publish)
 */
import { Precision, RecordBatchReader, TimeUnit, Type, type DataType, type Schema } from 'apache-arrow';
import { ENUM_TABLES, TABLES, TABLE_NAMES, type ColumnSpec, type TableName } from '@usage-analytics/queries';
import { SnapshotError } from './errors.js';

const ARROW_FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/** Opens `bytes` as an Arrow IPC stream; throws `invalid_arrow` (naming the table and file) when it is not one. */
export function openStream(table: TableName, bytes: Uint8Array, file: string): RecordBatchReader {
  const fail = (why: string, cause?: unknown): never => {
    throw new SnapshotError('invalid_arrow', `table "${table}" (${file}) is not an Arrow IPC stream: ${why}`, { table, file, cause });
  };
  if (ARROW_FILE_MAGIC.every((b, i) => bytes[i] === b)) fail('it is an Arrow IPC *file* (it starts with "ARROW1"); snapshots hold IPC streams (.arrows)');
  let reader: RecordBatchReader | undefined;
  try {
    reader = RecordBatchReader.from(bytes).open();
  } catch (e) {
    fail(`its bytes do not start with an Arrow schema message (${(e as Error).message})`, e);
  }
  if (!reader?.isStream() || !reader.schema || reader.schema.fields.length === 0) {
    fail(bytes.length === 0 ? 'the file is empty' : 'its bytes do not start with an Arrow schema message');
  }
  return reader!;
}

/** Throws `schema_mismatch` unless `schema` has exactly the columns of `table`, each with a compatible type. */
export function checkSchema(table: TableName, schema: Schema, file: string): void {
  const spec = TABLES[table];
  const names = schema.fields.map((f) => f.name);
  const want = new Set(spec.columns.map((c) => c.name));
  const have = new Set(names);
  const missing = spec.columns.map((c) => c.name).filter((n) => !have.has(n));
  const unexpected = names.filter((n) => !want.has(n));
  if (missing.length || unexpected.length) {
    const parts = [missing.length ? `missing columns ${list(missing)}` : '', unexpected.length ? `unexpected columns ${list(unexpected)}` : ''].filter(Boolean);
    const other = TABLE_NAMES.find((t) => t !== table && sameNames(TABLES[t].columns, have));
    throw new SnapshotError(
      'schema_mismatch',
      `table "${table}" (${file}) does not have the ${table} table's columns: ${parts.join('; ')}${other ? ` — these are the columns of table "${other}": are the files swapped?` : ''}`,
      { table, file, expected: spec.columns.map((c) => c.name).join(','), actual: names.join(',') },
    );
  }
  const enumTable = ENUM_TABLES.includes(table);
  const wrong: string[] = [];
  for (const c of spec.columns) {
    const field = schema.fields.find((f) => f.name === c.name)!;
    const problem = typeProblem(c, field.type, enumTable);
    if (problem) wrong.push(`${c.name} is ${String(field.type)}, ${problem}`);
  }
  if (wrong.length) {
    throw new SnapshotError('schema_mismatch', `table "${table}" (${file}) has columns of the wrong type: ${wrong.join('; ')}`, { table, file });
  }
}

/** True when every column has exactly the type the exporter writes (the engine can take the stream as is). */
export function isCanonical(table: TableName, schema: Schema): boolean {
  return TABLES[table].columns.every((c) => {
    const t = schema.fields.find((f) => f.name === c.name)?.type;
    if (!t) return false;
    switch (c.type) {
      case 'string':
        return t.typeId === Type.Utf8;
      case 'dict':
        return t.typeId === Type.Dictionary && isUtf8((t as DataType & { dictionary: DataType }).dictionary);
      case 'timestamp':
        return (
          t.typeId === Type.Timestamp &&
          (t as DataType & { unit: TimeUnit }).unit === TimeUnit.MICROSECOND &&
          !(t as DataType & { timezone?: string | null }).timezone
        );
      case 'int32':
        return t.typeId === Type.Int && (t as DataType & { bitWidth: number }).bitWidth === 32 && (t as DataType & { isSigned: boolean }).isSigned;
      case 'float32':
      case 'float64':
        return t.typeId === Type.Float && (t as DataType & { precision: Precision }).precision === (c.type === 'float32' ? Precision.SINGLE : Precision.DOUBLE);
      case 'bool':
        return t.typeId === Type.Bool;
      case 'string_list':
        return t.typeId === Type.List && isUtf8((t as DataType & { valueType: DataType }).valueType);
    }
  });
}

/** Why an Arrow type cannot hold a column, or `null` when it can. */
function typeProblem(c: ColumnSpec, t: DataType, enumTable: boolean): string | null {
  if (t.typeId === Type.Null) return c.nullable ? null : `but ${c.name} may not be null (expected ${c.type})`;
  const ok = (() => {
    switch (c.type) {
      case 'string':
        return isUtf8(t) || (t.typeId === Type.Dictionary && isUtf8((t as DataType & { dictionary: DataType }).dictionary));
      case 'dict':
        return (t.typeId === Type.Dictionary && isUtf8((t as DataType & { dictionary: DataType }).dictionary)) || (!enumTable && isUtf8(t));
      case 'timestamp':
        return t.typeId === Type.Timestamp && !(t as DataType & { timezone?: string | null }).timezone;
      case 'int32': {
        if (t.typeId !== Type.Int) return false;
        const { bitWidth, isSigned } = t as DataType & { bitWidth: number; isSigned: boolean };
        return isSigned ? bitWidth <= 32 : bitWidth <= 16;
      }
      case 'float32':
      case 'float64':
        return t.typeId === Type.Float;
      case 'bool':
        return t.typeId === Type.Bool;
      case 'string_list':
        return t.typeId === Type.List && isUtf8((t as DataType & { valueType: DataType }).valueType);
    }
  })();
  if (ok) return null;
  const expected: Record<ColumnSpec['type'], string> = {
    string: 'Utf8',
    dict: enumTable ? 'Dictionary<Int32, Utf8>' : 'Utf8 or Dictionary<Int32, Utf8>',
    timestamp: 'Timestamp without time zone (UTC by convention)',
    int32: 'Int32 (or a narrower integer)',
    float32: 'Float32 or Float64',
    float64: 'Float64 or Float32',
    bool: 'Bool',
    string_list: 'List<Utf8>',
  };
  return `expected ${expected[c.type]}`;
}

const isUtf8 = (t: DataType | undefined): boolean => t?.typeId === Type.Utf8 || t?.typeId === Type.LargeUtf8;

function sameNames(columns: readonly ColumnSpec[], names: Set<string>): boolean {
  return columns.length === names.size && columns.every((c) => names.has(c.name));
}

/** "a, b, c … (12 more)" — a swapped 19-column file stays a readable message. */
function list(names: string[], max = 8): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} … (${names.length - max} more)` : shown;
}
