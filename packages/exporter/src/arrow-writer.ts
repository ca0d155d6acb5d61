/**
 * Writes one snapshot table as an Arrow IPC **stream** (`.arrows`), record batch by record batch,
 * building Arrow `Data` directly with `makeData` from typed arrays (no per-row objects and no
 * `vectorFromArray`). Bytes go straight to the file through a small write buffer while a SHA-256
 * is computed on the fly; `close()` fsyncs.
 *
 * Column order and types follow the `TableSpec` exactly. Dictionary columns use one dictionary per
 * column for the whole file (written once, before the first batch), with explicit dictionary ids
 * (the column index) so output bytes are deterministic.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import {
  Bool,
  type Data,
  type DataType,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int32,
  List,
  makeData,
  makeVector,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimestampMicrosecond,
  Utf8,
  type Vector,
} from 'apache-arrow';
import type { ColumnSpec, ColumnType, TableSpec } from '@usage-analytics/queries';

/** Validity is one byte per row (1 = valid, 0 = null); omit it when the column has no nulls. */
export type ColumnValues =
  | { type: 'string'; offsets: Int32Array; bytes: Uint8Array; validity?: Uint8Array }
  | { type: 'dict'; indices: Int32Array; validity?: Uint8Array }
  | { type: 'timestamp'; values: BigInt64Array; validity?: Uint8Array }
  | { type: 'int32'; values: Int32Array; validity?: Uint8Array }
  | { type: 'float32'; values: Float32Array; validity?: Uint8Array }
  | { type: 'float64'; values: Float64Array; validity?: Uint8Array }
  /** values: one byte per row, 0 or 1 */
  | { type: 'bool'; values: Uint8Array; validity?: Uint8Array }
  | {
      type: 'string_list';
      offsets: Int32Array;
      childOffsets: Int32Array;
      childBytes: Uint8Array;
      validity?: Uint8Array;
    };

export interface WrittenFile {
  rows: number;
  bytes: number;
  sha256: string;
}

export const DEFAULT_BATCH_ROWS = 256 * 1024;

const utf8Encoder = new TextEncoder();

/** The Arrow type of a logical column type (dictionary id = column index, for deterministic bytes). */
export function arrowType(type: ColumnType, dictId: number): DataType {
  switch (type) {
    case 'string':
      return new Utf8();
    case 'dict':
      return new Dictionary(new Utf8(), new Int32(), dictId, false);
    case 'timestamp':
      return new TimestampMicrosecond();
    case 'int32':
      return new Int32();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'string_list':
      return new List(new Field('item', new Utf8(), true));
  }
}

export function arrowSchema(spec: TableSpec): Schema {
  return new Schema(spec.columns.map((c, i) => new Field(c.name, arrowType(c.type, i), !!c.nullable)));
}

/** Encodes strings into Arrow Utf8 offsets + bytes. */
export function encodeStrings(values: readonly (string | null)[]): { offsets: Int32Array; bytes: Uint8Array; validity?: Uint8Array } {
  const offsets = new Int32Array(values.length + 1);
  let bytes = new Uint8Array(Math.max(16, values.length * 12));
  let pos = 0;
  let validity: Uint8Array | undefined;
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (s == null) {
      validity ??= new Uint8Array(values.length).fill(1);
      validity[i] = 0;
    } else {
      if (pos + s.length * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, pos + s.length * 3 + 16));
        grown.set(bytes.subarray(0, pos));
        bytes = grown;
      }
      pos += utf8Encoder.encodeInto(s, bytes.subarray(pos)).written;
    }
    offsets[i + 1] = pos;
  }
  return { offsets, bytes: bytes.subarray(0, pos), validity };
}

/** A Utf8 vector of the dictionary values. */
export function dictionaryVector(values: readonly string[]): Vector<Utf8> {
  const { offsets, bytes } = encodeStrings(values);
  return makeVector(makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets: offsets, data: bytes }));
}

function packBits(bytes: Uint8Array, length: number): { bitmap: Uint8Array; unset: number } {
  const bitmap = new Uint8Array(((length + 63) >> 6) << 3);
  let unset = 0;
  for (let i = 0; i < length; i++) {
    if (bytes[i]) bitmap[i >> 3] |= 1 << (i & 7);
    else unset++;
  }
  return { bitmap, unset };
}

function nullInfo(validity: Uint8Array | undefined, length: number): { nullCount: number; nullBitmap?: Uint8Array } {
  if (!validity) return { nullCount: 0 };
  const { bitmap, unset } = packBits(validity, length);
  return unset === 0 ? { nullCount: 0 } : { nullCount: unset, nullBitmap: bitmap };
}

function utf8Data(offsets: Int32Array, bytes: Uint8Array, length: number, validity?: Uint8Array): Data<Utf8> {
  return makeData({ type: new Utf8(), length, ...nullInfo(validity, length), valueOffsets: offsets, data: bytes });
}

function columnData(spec: ColumnSpec, type: DataType, v: ColumnValues, length: number, dictionary: Vector<Utf8> | undefined): Data {
  if (v.type !== spec.type) throw new Error(`column ${spec.name}: expected ${spec.type} values, got ${v.type}`);
  if (!spec.nullable && v.validity && v.validity.subarray(0, length).includes(0)) {
    throw new Error(`column ${spec.name} is not nullable but holds nulls`);
  }
  const nulls = nullInfo(v.validity, length);
  switch (v.type) {
    case 'string':
      return utf8Data(v.offsets.subarray(0, length + 1), v.bytes, length, v.validity);
    case 'dict':
      return makeData({ type: type as Dictionary<Utf8, Int32>, length, ...nulls, data: v.indices.subarray(0, length), dictionary });
    case 'timestamp':
      return makeData({ type: type as TimestampMicrosecond, length, ...nulls, data: v.values.subarray(0, length) });
    case 'int32':
      return makeData({ type: type as Int32, length, ...nulls, data: v.values.subarray(0, length) });
    case 'float32':
      return makeData({ type: type as Float32, length, ...nulls, data: v.values.subarray(0, length) });
    case 'float64':
      return makeData({ type: type as Float64, length, ...nulls, data: v.values.subarray(0, length) });
    case 'bool':
      return makeData({ type: type as Bool, length, ...nulls, data: packBits(v.values, length).bitmap });
    case 'string_list': {
      const childLength = v.offsets[length];
      const child = utf8Data(v.childOffsets.subarray(0, childLength + 1), v.childBytes, childLength);
      return makeData({ type: type as List<Utf8>, length, ...nulls, valueOffsets: v.offsets.subarray(0, length + 1), child });
    }
  }
}

/** A stream writer that sends bytes to a file descriptor (buffered) and a hash instead of a queue. */
class FileStreamWriter extends RecordBatchStreamWriter {
  private buffer = new Uint8Array(4 << 20);
  private used = 0;
  bytesWritten = 0;

  constructor(
    private readonly fd: number,
    private readonly hash: Hash,
  ) {
    super();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- overrides apache-arrow's AsyncByteQueue._write(value: any)
  protected override _write(chunk: any): this {
    if (!this._started) return this;
    const view = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (view.byteLength === 0) return this;
    this._position += view.byteLength;
    this.bytesWritten += view.byteLength;
    this.hash.update(view);
    if (view.byteLength > this.buffer.length - this.used) this.flush();
    if (view.byteLength >= this.buffer.length) {
      writeAll(this.fd, view);
    } else {
      this.buffer.set(view, this.used);
      this.used += view.byteLength;
    }
    return this;
  }

  flush(): void {
    if (this.used > 0) writeAll(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
}

export class ArrowTableWriter {
  readonly schema: Schema;
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private readonly writer: FileStreamWriter;
  private readonly dictionaries: (Vector<Utf8> | undefined)[];
  private rows = 0;
  private batches = 0;
  private closed = false;

  /**
   * @param dictionaries the full dictionary (distinct values) of every `dict` column; indices in
   *   the batches refer to it.
   */
  constructor(
    readonly path: string,
    readonly spec: TableSpec,
    dictionaries: Partial<Record<string, readonly string[]>>,
  ) {
    this.schema = arrowSchema(spec);
    this.dictionaries = spec.columns.map((c) => {
      if (c.type !== 'dict') return undefined;
      const values = dictionaries[c.name];
      if (!values) throw new Error(`table ${spec.name}: no dictionary for column ${c.name}`);
      return dictionaryVector(values);
    });
    this.fd = openSync(path, 'w');
    this.writer = new FileStreamWriter(this.fd, this.hash);
    this.writer.reset(undefined, this.schema);
  }

  /** Writes rows [0, length) of the given columns as one record batch. */
  writeBatch(columns: Record<string, ColumnValues>, length: number): void {
    if (this.closed) throw new Error('writer is closed');
    const children = this.spec.columns.map((c, i) => {
      const v = columns[c.name];
      if (!v) throw new Error(`table ${this.spec.name}: missing column ${c.name}`);
      return columnData(c, this.schema.fields[i].type, v, length, this.dictionaries[i]);
    });
    const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    this.writer.write(new RecordBatch(this.schema, data));
    this.rows += length;
    this.batches++;
  }

  /** Ends the stream (an empty table still gets one zero-row batch carrying its dictionaries). */
  close(): WrittenFile {
    if (this.closed) throw new Error('writer is closed');
    if (this.batches === 0) this.writeBatch(emptyColumns(this.spec), 0);
    this.writer.finish();
    this.writer.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.closed = true;
    return { rows: this.rows, bytes: this.writer.bytesWritten, sha256: this.hash.digest('hex') };
  }

  /** Closes the file without finishing it (after an error). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

export function emptyColumns(spec: TableSpec): Record<string, ColumnValues> {
  const out: Record<string, ColumnValues> = {};
  for (const c of spec.columns) out[c.name] = emptyColumn(c.type);
  return out;
}

function emptyColumn(type: ColumnType): ColumnValues {
  switch (type) {
    case 'string':
      return { type, offsets: new Int32Array(1), bytes: new Uint8Array(0) };
    case 'dict':
      return { type, indices: new Int32Array(0) };
    case 'timestamp':
      return { type, values: new BigInt64Array(0) };
    case 'int32':
      return { type, values: new Int32Array(0) };
    case 'float32':
      return { type, values: new Float32Array(0) };
    case 'float64':
      return { type, values: new Float64Array(0) };
    case 'bool':
      return { type, values: new Uint8Array(0) };
    case 'string_list':
      return { type, offsets: new Int32Array(1), childOffsets: new Int32Array(1), childBytes: new Uint8Array(0) };
  }
}

/** Writes a whole in-memory table (for the small tables) in batches of `batchRows`. */
export function writeTable(path: string, spec: TableSpec, builder: TableBuilder, batchRows = DEFAULT_BATCH_ROWS): WrittenFile {
  const writer = new ArrowTableWriter(path, spec, builder.dictionaries());
  try {
    const cols = builder.columns();
    const n = builder.length;
    if (n <= batchRows) writer.writeBatch(cols, n);
    else
      for (let start = 0; start < n; start += batchRows)
        writer.writeBatch(sliceColumns(cols, start, Math.min(n, start + batchRows)), Math.min(n, start + batchRows) - start);
    return writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** Rows [start, end) of the columns, rebased (offsets start at 0). */
export function sliceColumns(cols: Record<string, ColumnValues>, start: number, end: number): Record<string, ColumnValues> {
  const out: Record<string, ColumnValues> = {};
  for (const [name, v] of Object.entries(cols)) {
    const validity = v.validity?.subarray(start, end);
    switch (v.type) {
      case 'string': {
        const base = v.offsets[start];
        const offsets = v.offsets.slice(start, end + 1);
        for (let i = 0; i < offsets.length; i++) offsets[i] -= base;
        out[name] = { type: v.type, offsets, bytes: v.bytes.subarray(base, v.offsets[end]), validity };
        break;
      }
      case 'string_list': {
        const base = v.offsets[start];
        const offsets = v.offsets.slice(start, end + 1);
        for (let i = 0; i < offsets.length; i++) offsets[i] -= base;
        const byteBase = v.childOffsets[base];
        const childOffsets = v.childOffsets.slice(base, v.offsets[end] + 1);
        for (let i = 0; i < childOffsets.length; i++) childOffsets[i] -= byteBase;
        out[name] = { type: v.type, offsets, childOffsets, childBytes: v.childBytes.subarray(byteBase, v.childOffsets[v.offsets[end]]), validity };
        break;
      }
      case 'dict':
        out[name] = { type: v.type, indices: v.indices.subarray(start, end), validity };
        break;
      case 'timestamp':
        out[name] = { type: v.type, values: v.values.subarray(start, end), validity };
        break;
      case 'int32':
        out[name] = { type: v.type, values: v.values.subarray(start, end), validity };
        break;
      case 'float32':
        out[name] = { type: v.type, values: v.values.subarray(start, end), validity };
        break;
      case 'float64':
        out[name] = { type: v.type, values: v.values.subarray(start, end), validity };
        break;
      case 'bool':
        out[name] = { type: v.type, values: v.values.subarray(start, end), validity };
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Growable column builders (used for the small tables, the logs reader and the demo generator).

function grow<T extends Int32Array | Float64Array | Float32Array | Uint8Array | BigInt64Array>(arr: T, need: number): T {
  if (need <= arr.length) return arr;
  const next = new (arr.constructor as new (n: number) => T)(Math.max(need, arr.length * 2, 64));
  next.set(arr as unknown as ArrayLike<number> & ArrayLike<bigint>);
  return next;
}

abstract class BaseBuilder {
  length = 0;
  protected validity: Uint8Array | undefined;
  protected hasNull = false;

  protected markValid(valid: boolean): void {
    if (!valid && !this.validity) {
      this.validity = new Uint8Array(Math.max(64, this.length * 2));
      this.validity.fill(1, 0, this.length);
    }
    if (this.validity) {
      this.validity = grow(this.validity, this.length + 1);
      this.validity[this.length] = valid ? 1 : 0;
    }
    if (!valid) this.hasNull = true;
  }

  protected validitySlice(): Uint8Array | undefined {
    return this.hasNull ? this.validity!.subarray(0, this.length) : undefined;
  }

  abstract finish(): ColumnValues;
  abstract reset(): void;
}

export class StringBuilder extends BaseBuilder {
  private offsets = new Int32Array(1024);
  private bytes = new Uint8Array(16 * 1024);

  append(s: string | null | undefined): void {
    this.markValid(s != null);
    let pos = this.offsets[this.length];
    if (s != null) {
      this.bytes = grow(this.bytes, pos + s.length * 3);
      pos += utf8Encoder.encodeInto(s, this.bytes.subarray(pos)).written;
    }
    this.length++;
    this.offsets = grow(this.offsets, this.length + 1);
    this.offsets[this.length] = pos;
  }

  /** Appends already encoded UTF-8 bytes. */
  appendBytes(b: Uint8Array): void {
    this.markValid(true);
    let pos = this.offsets[this.length];
    this.bytes = grow(this.bytes, pos + b.length);
    this.bytes.set(b, pos);
    pos += b.length;
    this.length++;
    this.offsets = grow(this.offsets, this.length + 1);
    this.offsets[this.length] = pos;
  }

  finish(): ColumnValues {
    return {
      type: 'string',
      offsets: this.offsets.subarray(0, this.length + 1),
      bytes: this.bytes.subarray(0, this.offsets[this.length]),
      validity: this.validitySlice(),
    };
  }

  reset(): void {
    this.length = 0;
    this.offsets[0] = 0;
    this.hasNull = false;
    this.validity = undefined;
  }
}

/** Dictionary column: either a fixed dictionary (appendIndex) or one that grows as values arrive. */
export class DictBuilder extends BaseBuilder {
  private indices = new Int32Array(1024);
  readonly values: string[];
  private readonly lookup = new Map<string, number>();

  constructor(values: readonly string[] = []) {
    super();
    this.values = [...values];
    this.values.forEach((v, i) => this.lookup.set(v, i));
  }

  indexOf(value: string): number {
    let i = this.lookup.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.lookup.set(value, i);
    }
    return i;
  }

  append(value: string | null | undefined): void {
    this.appendIndex(value == null ? -1 : this.indexOf(value));
  }

  /** Appends a dictionary index; -1 is null. */
  appendIndex(i: number): void {
    this.markValid(i >= 0);
    this.indices = grow(this.indices, this.length + 1);
    this.indices[this.length++] = i < 0 ? 0 : i;
  }

  finish(): ColumnValues {
    return { type: 'dict', indices: this.indices.subarray(0, this.length), validity: this.validitySlice() };
  }

  reset(): void {
    this.length = 0;
    this.hasNull = false;
    this.validity = undefined;
  }
}

export class TimestampBuilder extends BaseBuilder {
  private values = new BigInt64Array(1024);

  /** Appends microseconds since the epoch (a safe integer) or null. */
  append(micros: number | null | undefined): void {
    this.markValid(micros != null);
    this.values = grow(this.values, this.length + 1);
    this.values[this.length++] = micros == null ? 0n : BigInt(Math.round(micros));
  }

  finish(): ColumnValues {
    return { type: 'timestamp', values: this.values.subarray(0, this.length), validity: this.validitySlice() };
  }

  reset(): void {
    this.length = 0;
    this.hasNull = false;
    this.validity = undefined;
  }
}

type NumericType = 'int32' | 'float32' | 'float64' | 'bool';

export class NumberBuilder extends BaseBuilder {
  private values: Int32Array | Float32Array | Float64Array | Uint8Array;

  constructor(readonly type: NumericType) {
    super();
    this.values =
      type === 'int32'
        ? new Int32Array(1024)
        : type === 'float32'
          ? new Float32Array(1024)
          : type === 'float64'
            ? new Float64Array(1024)
            : new Uint8Array(1024);
  }

  append(v: number | boolean | null | undefined): void {
    this.markValid(v != null);
    this.values = grow(this.values, this.length + 1);
    this.values[this.length++] = v == null ? 0 : typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }

  finish(): ColumnValues {
    const validity = this.validitySlice();
    const n = this.length;
    switch (this.type) {
      case 'int32':
        return { type: 'int32', values: (this.values as Int32Array).subarray(0, n), validity };
      case 'float32':
        return { type: 'float32', values: (this.values as Float32Array).subarray(0, n), validity };
      case 'float64':
        return { type: 'float64', values: (this.values as Float64Array).subarray(0, n), validity };
      case 'bool':
        return { type: 'bool', values: (this.values as Uint8Array).subarray(0, n), validity };
    }
  }

  reset(): void {
    this.length = 0;
    this.hasNull = false;
    this.validity = undefined;
  }
}

export class StringListBuilder extends BaseBuilder {
  private offsets = new Int32Array(1024);
  private readonly child = new StringBuilder();

  /** Appends a list (null = a null list). */
  append(items: readonly string[] | null | undefined): void {
    this.markValid(items != null);
    if (items) for (const s of items) this.child.append(s);
    this.length++;
    this.offsets = grow(this.offsets, this.length + 1);
    this.offsets[this.length] = this.child.length;
  }

  /** Appends a list of already encoded UTF-8 items. */
  appendEncoded(items: readonly Uint8Array[]): void {
    this.markValid(true);
    for (const b of items) this.child.appendBytes(b);
    this.length++;
    this.offsets = grow(this.offsets, this.length + 1);
    this.offsets[this.length] = this.child.length;
  }

  finish(): ColumnValues {
    const child = this.child.finish() as Extract<ColumnValues, { type: 'string' }>;
    return {
      type: 'string_list',
      offsets: this.offsets.subarray(0, this.length + 1),
      childOffsets: child.offsets,
      childBytes: child.bytes,
      validity: this.validitySlice(),
    };
  }

  reset(): void {
    this.length = 0;
    this.offsets[0] = 0;
    this.child.reset();
    this.hasNull = false;
    this.validity = undefined;
  }
}

export type AnyBuilder = StringBuilder | DictBuilder | TimestampBuilder | NumberBuilder | StringListBuilder;

export function makeBuilder(type: ColumnType, dictionary?: readonly string[]): AnyBuilder {
  switch (type) {
    case 'string':
      return new StringBuilder();
    case 'dict':
      return new DictBuilder(dictionary);
    case 'timestamp':
      return new TimestampBuilder();
    case 'string_list':
      return new StringListBuilder();
    default:
      return new NumberBuilder(type);
  }
}

/** One builder per column of a table spec. */
export class TableBuilder {
  readonly builders: Record<string, AnyBuilder> = {};

  constructor(
    readonly spec: TableSpec,
    dictionaries: Partial<Record<string, readonly string[]>> = {},
  ) {
    for (const c of spec.columns) this.builders[c.name] = makeBuilder(c.type, dictionaries[c.name]);
  }

  get length(): number {
    return this.builders[this.spec.columns[0].name].length;
  }

  /** Appends one row given as an object (convenient for the small tables). */
  appendRow(row: Record<string, unknown>): void {
    for (const c of this.spec.columns) {
      const b = this.builders[c.name];
      const v = row[c.name];
      (b.append as (x: unknown) => void)(v === undefined ? null : v);
    }
  }

  dictionaries(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const c of this.spec.columns) if (c.type === 'dict') out[c.name] = (this.builders[c.name] as DictBuilder).values;
    return out;
  }

  columns(): Record<string, ColumnValues> {
    const out: Record<string, ColumnValues> = {};
    for (const c of this.spec.columns) out[c.name] = this.builders[c.name].finish();
    return out;
  }

  reset(): void {
    for (const b of Object.values(this.builders)) b.reset();
  }
}
