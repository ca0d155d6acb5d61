/**
 * NativeConnector: an in-memory native DuckDB (@duckdb/node-api) loaded with a snapshot, for
 * benchmarks and for tests that compare native DuckDB with DuckDB-WASM.
 *
 * Loading path (node-api 1.5 has no Arrow IPC reader: no `read_arrow`, `duckdb_arrow_scan` is not
 * exposed, `FORMAT arrow` is unsupported): the `.arrows` file is decoded with apache-arrow, then
 * copied into DuckDB data chunks of 2048 rows and appended with the appender:
 *   - fixed-width columns (int32, float32/64, timestamp µs) and validity bitmaps: one raw memory
 *     copy per chunk (`copy_data_to_vector`, Arrow and DuckDB share the layouts);
 *   - strings (Utf8 and dictionary columns, loaded as VARCHAR like DuckDB-WASM does): DuckDB's
 *     16-byte `duckdb_string_t` (C API) stores strings of <= 12 bytes inline, so those are written
 *     as raw bytes too; a longer string is assigned once per chunk with
 *     `vector_assign_string_element_len` and, for dictionary columns, its string_t (pointing into
 *     the vector's own string heap) is copied to the other rows with the same value;
 *   - List<Utf8>: child strings assigned one by one.
 * About 2–3 s per 1M request rows on this machine (ENUM + CAST was ~2× slower, row-wise appends ~10×).
 *
 * Resulting DuckDB types: VARCHAR, TIMESTAMP, INTEGER, FLOAT, DOUBLE, BOOLEAN, VARCHAR[].
 *
 * `query()` returns plain JS rows: BIGINT/HUGEINT as number when safe (|v| <= 2^53-1) else as a
 * decimal string; DECIMAL as number; TIMESTAMP / TIMESTAMPTZ / DATE as epoch milliseconds
 * (number, sub-millisecond precision kept as a fraction, like apache-arrow's Timestamp getters);
 * lists as arrays, structs as objects, everything else as the node-api JS value.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { type Bool, type Data, type Table, Type, tableFromIPC } from 'apache-arrow';
import { OPTIONAL_TABLES, TABLE_NAMES, emptyTableSql, enumStatements, ident, type Manifest, type TableName } from '@usage-analytics/queries';

// The raw C-API bindings (for memory copies into vectors) are a dependency of node-api; resolve
// them from there so pnpm's strict layout does not matter.
const requireHere = createRequire(import.meta.url);
const bindings = createRequire(requireHere.resolve('@duckdb/node-api'))('@duckdb/node-bindings') as RawBindings;

interface RawBindings {
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  copy_data_to_vector(vector: unknown, targetOffset: number, source: ArrayBufferLike, sourceOffset: number, count: number): void;
  copy_data_to_vector_validity(vector: unknown, targetOffset: number, source: ArrayBufferLike, sourceOffset: number, count: number): void;
  vector_ensure_validity_writable(vector: unknown): void;
  vector_assign_string_element_len(vector: unknown, index: number, data: Uint8Array): void;
  vector_get_data(vector: unknown, bytes: number): Uint8Array;
  list_vector_get_child(vector: unknown): unknown;
  list_vector_reserve(vector: unknown, capacity: number): void;
  list_vector_set_size(vector: unknown, size: number): void;
}

const CHUNK = 2048;

export type Row = Record<string, unknown>;

export interface LoadStats {
  table: string;
  rows: number;
  ms: number;
}

type ColumnKind =
  | { kind: 'fixed'; ddl: string; width: number }
  | { kind: 'bool' }
  | { kind: 'utf8' }
  | { kind: 'list_utf8' }
  | { kind: 'dict'; entries: Map<unknown, DictEntries> };

/** A dictionary's values as string_t templates (inline ones) or UTF-8 bytes (long ones). */
interface DictEntries {
  /** 4 words per value: the inline string_t, or zeros for long values. */
  inline: Uint32Array;
  /** UTF-8 bytes of values longer than 12 bytes (null for inline ones). */
  long: (Uint8Array | null)[];
}

const encoder = new TextEncoder();

function dictEntries(dict: { length: number; get(i: number): unknown }): DictEntries {
  const inline = new Uint32Array(dict.length * 4);
  const bytes = new Uint8Array(inline.buffer);
  const long: (Uint8Array | null)[] = new Array(dict.length).fill(null);
  for (let i = 0; i < dict.length; i++) {
    const v = dict.get(i);
    const b = encoder.encode(v == null ? '' : String(v));
    if (b.length <= 12) {
      inline[i * 4] = b.length;
      bytes.set(b, i * 16 + 4);
    } else long[i] = b;
  }
  return { inline, long };
}

/** How a column of the Arrow table maps to DuckDB. */
function columnKind(table: Table, col: number): ColumnKind {
  const field = table.schema.fields[col];
  const type = field.type;
  switch (type.typeId) {
    case Type.Utf8:
      return { kind: 'utf8' };
    case Type.Bool:
      return { kind: 'bool' };
    case Type.Int: {
      const bits = type.bitWidth as number;
      const signed = type.isSigned as boolean;
      const ddl = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[bits]!;
      return { kind: 'fixed', ddl: signed ? ddl : `U${ddl}`, width: bits / 8 };
    }
    case Type.Float:
      return type.precision === 2
        ? { kind: 'fixed', ddl: 'DOUBLE', width: 8 }
        : type.precision === 1
          ? { kind: 'fixed', ddl: 'FLOAT', width: 4 }
          : unsupported(field.name, type);
    case Type.Timestamp:
      if (type.unit !== 2) unsupported(field.name, type); // MICROSECOND
      return { kind: 'fixed', ddl: 'TIMESTAMP', width: 8 };
    case Type.List:
      if (type.children[0].type.typeId !== Type.Utf8) unsupported(field.name, type);
      return { kind: 'list_utf8' };
    case Type.Dictionary: {
      if (type.dictionary.typeId !== Type.Utf8) unsupported(field.name, type);
      const entries = new Map<unknown, DictEntries>();
      for (const batch of table.batches) {
        const dict = batch.getChildAt(col)!.data[0].dictionary;
        if (dict && !entries.has(dict)) entries.set(dict, dictEntries(dict));
      }
      return { kind: 'dict', entries };
    }
    default:
      return unsupported(field.name, type);
  }
}

function unsupported(name: string, type: unknown): never {
  throw new Error(`NativeConnector: unsupported Arrow type ${String(type)} for column ${name}`);
}

function stageDdl(kind: ColumnKind): string {
  switch (kind.kind) {
    case 'fixed':
      return kind.ddl;
    case 'bool':
      return 'BOOLEAN';
    case 'utf8':
    case 'dict':
      return 'VARCHAR';
    case 'list_utf8':
      return 'VARCHAR[]';
  }
}

const ALL_VALID = new Uint8Array(CHUNK / 8).fill(0xff);

/**
 * Copies the slice's validity bits. The data chunk is reused across slices, so a vector that ever
 * received nulls gets its validity rewritten (all valid) for slices without nulls.
 */
function copyValidity(vector: unknown, data: Data, start: number, n: number, dirty: boolean): boolean {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) {
    if (dirty) bindings.copy_data_to_vector_validity(vector, 0, ALL_VALID.buffer, 0, Math.ceil(n / 8));
    return dirty;
  }
  const bit = data.offset + start;
  bindings.vector_ensure_validity_writable(vector);
  if (bit % 8 === 0) {
    const bm = data.nullBitmap;
    bindings.copy_data_to_vector_validity(vector, 0, bm.buffer, bm.byteOffset + bit / 8, Math.ceil(n / 8));
  } else {
    const bytes = new Uint8Array(Math.ceil(n / 8));
    for (let i = 0; i < n; i++) if (data.getValid(start + i)) bytes[i >> 3] |= 1 << (i & 7);
    bindings.copy_data_to_vector_validity(vector, 0, bytes.buffer, 0, bytes.length);
  }
  return true;
}

const stringBuf = new Uint8Array(CHUNK * 16);
const stringWords = new Uint32Array(stringBuf.buffer);

/** Writes Utf8 values: inline ones as raw string_t bytes in one copy, long ones one by one. */
function writeStrings(vector: unknown, data: Data, start: number, n: number): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const base = data.offset + start;
  stringBuf.fill(0, 0, n * 16);
  let longCount = 0;
  for (let i = 0; i < n; i++) {
    const a = offsets[base + i];
    const len = offsets[base + i + 1] - a;
    if (len <= 12) {
      stringWords[i * 4] = len;
      for (let k = 0; k < len; k++) stringBuf[i * 16 + 4 + k] = bytes[a + k];
    } else longCount++;
  }
  bindings.copy_data_to_vector(vector, 0, stringBuf.buffer, 0, n * 16);
  if (longCount === 0) return;
  for (let i = 0; i < n; i++) {
    const a = offsets[base + i];
    const b = offsets[base + i + 1];
    if (b - a > 12) bindings.vector_assign_string_element_len(vector, i, bytes.subarray(a, b));
  }
}

/** Assigns every value one by one (list children: they live in a separate, growing vector). */
function assignStrings(vector: unknown, data: Data, start: number, n: number): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const base = data.offset + start;
  for (let i = 0; i < n; i++) bindings.vector_assign_string_element_len(vector, i, bytes.subarray(offsets[base + i], offsets[base + i + 1]));
}

const firstRow = new Int32Array(1 << 16);
const firstStamp = new Int32Array(1 << 16);
let stamp = 0;

/** Dictionary values: inline string_t templates; each long value assigned once per chunk, then shared. */
function writeDictionary(vector: unknown, entries: DictEntries, data: Data, start: number, n: number): void {
  const idx = data.values as Int32Array;
  const base = data.offset + start;
  const { inline, long } = entries;
  const size = long.length;
  if (size === 0) {
    // Empty dictionary: every value is null (validity is copied separately).
    stringBuf.fill(0, 0, n * 16);
    bindings.copy_data_to_vector(vector, 0, stringBuf.buffer, 0, n * 16);
    return;
  }
  const useStamp = size <= firstRow.length;
  stamp++;
  let pending = false;
  let assigned = false;
  for (let i = 0; i < n; i++) {
    let v = idx[base + i];
    if (v < 0 || v >= size) v = 0;
    const w = i * 4;
    const t = v * 4;
    stringWords[w] = inline[t];
    stringWords[w + 1] = inline[t + 1];
    stringWords[w + 2] = inline[t + 2];
    stringWords[w + 3] = inline[t + 3];
    const lb = long[v];
    if (lb != null) {
      if (useStamp && firstStamp[v] === stamp) {
        stringWords[w] = 0xffffffff; // marker: copy the first occurrence's string_t
        stringWords[w + 1] = firstRow[v];
        pending = true;
      } else {
        bindings.vector_assign_string_element_len(vector, i, lb);
        if (useStamp) {
          firstStamp[v] = stamp;
          firstRow[v] = i;
        }
        stringWords[w] = 0xfffffffe; // marker: keep what the assign wrote
        assigned = true;
      }
    }
  }
  if (pending || assigned) {
    const written = bindings.vector_get_data(vector, n * 16);
    const src = new Uint32Array(written.buffer, written.byteOffset, n * 4);
    const copy = Uint32Array.from(src);
    for (let i = 0; i < n; i++) {
      const w = i * 4;
      const marker = stringWords[w];
      if (marker === 0xfffffffe) {
        stringWords[w] = copy[w];
        stringWords[w + 1] = copy[w + 1];
        stringWords[w + 2] = copy[w + 2];
        stringWords[w + 3] = copy[w + 3];
      } else if (marker === 0xffffffff) {
        const f = stringWords[w + 1] * 4;
        stringWords[w] = copy[f];
        stringWords[w + 1] = copy[f + 1];
        stringWords[w + 2] = copy[f + 2];
        stringWords[w + 3] = copy[f + 3];
      }
    }
  }
  bindings.copy_data_to_vector(vector, 0, stringBuf.buffer, 0, n * 16);
}

function fillVector(vector: unknown, kind: ColumnKind, data: Data, start: number, n: number): void {
  switch (kind.kind) {
    case 'fixed': {
      const values = data.values as ArrayBufferView;
      bindings.copy_data_to_vector(vector, 0, values.buffer, values.byteOffset + (data.offset + start) * kind.width, n * kind.width);
      break;
    }
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++)
        out[i] = data.getValid(start + i) && (data as Data<Bool>).values[(data.offset + start + i) >> 3] & (1 << ((data.offset + start + i) & 7)) ? 1 : 0;
      bindings.copy_data_to_vector(vector, 0, out.buffer, 0, n);
      break;
    }
    case 'utf8':
      writeStrings(vector, data, start, n);
      break;
    case 'dict':
      writeDictionary(vector, kind.entries.get(data.dictionary) ?? dictEntries(data.dictionary!), data, start, n);
      break;
    case 'list_utf8': {
      const offsets = data.valueOffsets as Int32Array;
      const child = data.children[0];
      const base = data.offset + start;
      const first = offsets[base];
      const total = offsets[base + n] - first;
      const entries = new BigUint64Array(n * 2);
      for (let i = 0; i < n; i++) {
        entries[2 * i] = BigInt(offsets[base + i] - first);
        entries[2 * i + 1] = BigInt(offsets[base + i + 1] - offsets[base + i]);
      }
      if (total > 0) {
        bindings.list_vector_reserve(vector, total);
        const childVector = bindings.list_vector_get_child(vector);
        assignStrings(childVector, child, first, total);
      }
      bindings.list_vector_set_size(vector, total);
      bindings.copy_data_to_vector(vector, 0, entries.buffer, 0, entries.byteLength);
      break;
    }
  }
}

function toNumberOrString(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** node-api values → plain JS (see the module comment). */
export const plainConverter: DuckDBValueConverter<unknown> = (value: DuckDBValue, type: DuckDBType, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return typeof value === 'bigint' ? toNumberOrString(value) : Number(value);
    case DuckDBTypeId.DECIMAL:
      return (value as DuckDBDecimalValue).toDouble();
    case DuckDBTypeId.TIMESTAMP:
      return Number((value as DuckDBTimestampValue).micros) / 1000;
    case DuckDBTypeId.TIMESTAMP_TZ:
      return Number((value as DuckDBTimestampTZValue).micros) / 1000;
    case DuckDBTypeId.DATE:
      return (value as DuckDBDateValue).days * 86_400_000;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return (value as DuckDBListValue).items.map((item) => converter(item, (type as unknown as { valueType: DuckDBType }).valueType, converter));
    case DuckDBTypeId.STRUCT: {
      const out: Record<string, unknown> = {};
      const entries = (value as DuckDBStructValue).entries;
      const st = type as unknown as { entryNames: string[]; entryTypes: DuckDBType[] };
      st.entryNames.forEach((name, i) => {
        out[name] = converter(entries[name] ?? null, st.entryTypes[i], converter);
      });
      return out;
    }
    default:
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the library's converter is generic over its own output type
      return JSDuckDBValueConverter(value, type, converter as DuckDBValueConverter<any>);
  }
};

export class NativeConnector {
  private instance?: DuckDBInstance;
  private conn?: DuckDBConnection;
  readonly loaded: LoadStats[] = [];

  static async create(): Promise<NativeConnector> {
    const c = new NativeConnector();
    await c.open();
    return c;
  }

  async open(): Promise<void> {
    if (this.conn) return;
    this.instance = await DuckDBInstance.create(':memory:');
    this.conn = await this.instance.connect();
    await this.conn.run(`SET TimeZone = 'UTC'`);
  }

  get connection(): DuckDBConnection {
    if (!this.conn) throw new Error('NativeConnector is not open');
    return this.conn;
  }

  /**
   * Loads the snapshot whose manifest.json is in `dir` (a version folder or the top-level --out
   * folder: table files are resolved relative to the manifest). Returns the manifest.
   */
  async loadSnapshot(dir: string): Promise<Manifest> {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const files: Partial<Record<TableName, string>> = {};
    for (const name of TABLE_NAMES) if (manifest.tables[name]) files[name] = manifest.tables[name].file;
    await this.loadTables(dir, files);
    // As the data-client does: an optional table an older snapshot leaves out is there, empty.
    for (const name of OPTIONAL_TABLES) if (!files[name]) await this.query(emptyTableSql(name));
    return manifest;
  }

  /** Loads the given table files (paths relative to dir) as tables named after the keys. */
  async loadTables(dir: string, files: Partial<Record<string, string>>): Promise<void> {
    await this.open();
    for (const [name, file] of Object.entries(files)) {
      if (!file) continue;
      await this.loadArrowFile(name, join(dir, file));
      // Same storage as the data-client gives DuckDB-WASM (sorted ENUMs for dict columns).
      if ((TABLE_NAMES as readonly string[]).includes(name)) for (const stmt of enumStatements(name as TableName)) await this.query(stmt);
    }
  }

  /** Creates (or replaces) table `name` from an Arrow IPC stream or file. */
  async loadArrowFile(name: string, path: string): Promise<LoadStats> {
    return this.loadArrowBytes(name, readFileSync(path));
  }

  async loadArrowBytes(name: string, bytes: Uint8Array): Promise<LoadStats> {
    await this.open();
    const t0 = performance.now();
    const table = tableFromIPC(bytes);
    const conn = this.connection;
    const kinds = table.schema.fields.map((_, i) => columnKind(table, i));
    const stage = `__loading_${name}`;
    const cols = table.schema.fields.map((f, i) => `${ident(f.name).text} ${stageDdl(kinds[i])}`);
    await conn.run(`DROP TABLE IF EXISTS ${ident(stage).text}`);
    await conn.run(`CREATE TABLE ${ident(stage).text} (${cols.join(', ')})`);
    const appender: DuckDBAppender = await conn.createAppender(stage);
    try {
      const types: DuckDBType[] = [];
      for (let i = 0; i < appender.columnCount; i++) types.push(appender.columnType(i));
      // One chunk, reused for every slice.
      const chunk = DuckDBDataChunk.create(types);
      const vectors = types.map((_, i) => bindings.data_chunk_get_vector(chunk.chunk, i));
      const dirty = types.map(() => false);
      for (const batch of table.batches) {
        const datas = table.schema.fields.map((_, i) => batch.getChildAt(i)!.data[0]);
        for (let start = 0; start < batch.numRows; start += CHUNK) {
          const n = Math.min(CHUNK, batch.numRows - start);
          chunk.reset();
          chunk.rowCount = n;
          for (let i = 0; i < kinds.length; i++) {
            fillVector(vectors[i], kinds[i], datas[i], start, n);
            dirty[i] = copyValidity(vectors[i], datas[i], start, n, dirty[i]);
          }
          appender.appendDataChunk(chunk);
        }
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await conn.run(`DROP TABLE IF EXISTS ${ident(name).text}`);
    await conn.run(`ALTER TABLE ${ident(stage).text} RENAME TO ${ident(name).text}`);
    const stats = { table: name, rows: table.numRows, ms: performance.now() - t0 };
    this.loaded.push(stats);
    return stats;
  }

  /** Runs SQL and returns plain JS rows (see the module comment for the value conventions). */
  async query(sql: string): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.convertRowObjects(plainConverter) as Row[];
  }

  /**
   * Runs SQL on a connection of its own and yields the rows chunk by chunk (about 2,048 at a time)
   * as JSON-safe values, so a result larger than memory can be streamed. Stop iterating to cancel.
   */
  async *stream(sql: string): AsyncGenerator<Record<string, unknown>[]> {
    if (!this.instance) throw new Error('NativeConnector is not open');
    const conn = await this.instance.connect();
    try {
      const result = await conn.stream(sql);
      for await (const rows of result.yieldRowObjectJson()) yield rows as Record<string, unknown>[];
    } finally {
      conn.closeSync();
    }
  }

  close(): void {
    this.conn?.closeSync();
    this.instance?.closeSync();
    this.conn = undefined;
    this.instance = undefined;
  }
}
