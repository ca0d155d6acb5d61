/**
 * Streams a DuckDB query result into an ArrowTableWriter without per-value JS objects: fixed-width
 * vectors are copied as raw bytes, dictionary columns come out of DuckDB as ENUMs whose codes are
 * the Arrow dictionary indices, strings are read from DuckDB's 16-byte string_t (inline <= 12
 * bytes, otherwise one pointer read).
 *
 * The query must return the table spec's columns in order, typed: string → VARCHAR, dict → ENUM
 * (values in the order of the writer's dictionary), timestamp → TIMESTAMP, int32 → INTEGER,
 * float32 → FLOAT, float64 → DOUBLE, bool → BOOLEAN, string_list → VARCHAR[].
 */
import { createRequire } from 'node:module';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableSpec } from '@usage-analytics/queries';
import { type ArrowTableWriter, type ColumnValues, DEFAULT_BATCH_ROWS } from './arrow-writer.js';

const requireHere = createRequire(import.meta.url);
const raw = createRequire(requireHere.resolve('@duckdb/node-api'))('@duckdb/node-bindings') as {
  data_chunk_get_vector(chunk: unknown, i: number): unknown;
  vector_get_data(vector: unknown, bytes: number): Uint8Array;
  vector_get_validity(vector: unknown, bytes: number): Uint8Array | null;
  list_vector_get_child(vector: unknown): unknown;
  list_vector_get_size(vector: unknown): number;
  get_data_from_pointer(buffer: ArrayBufferLike, offset: number, bytes: number): Uint8Array;
};

class Growable {
  buf: Uint8Array;
  len = 0;
  constructor(cap = 1 << 16) {
    this.buf = new Uint8Array(cap);
  }
  reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  push(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  /** An aligned copy of the content (typed-array views need aligned offsets). */
  take(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
  reset(): void {
    this.len = 0;
  }
}

class GrowableI32 {
  arr = new Int32Array(1 << 14);
  len = 0;
  push(v: number): void {
    if (this.len === this.arr.length) {
      const next = new Int32Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.len++] = v;
  }
}

/** Reads string_t entries of a VARCHAR vector into a Utf8 offsets/bytes accumulator. */
function readStrings(vector: unknown, n: number, valid: Uint8Array | null, offsets: GrowableI32, bytes: Growable, validity: Growable | null): void {
  const data = raw.vector_get_data(vector, n * 16);
  const view = new DataView(data.buffer, data.byteOffset, n * 16);
  for (let i = 0; i < n; i++) {
    const ok = !valid || (valid[i >> 3] & (1 << (i & 7))) !== 0;
    if (validity) {
      validity.reserve(1);
      validity.buf[validity.len++] = ok ? 1 : 0;
    }
    if (ok) {
      const len = view.getUint32(i * 16, true);
      if (len <= 12) {
        bytes.reserve(len);
        bytes.buf.set(data.subarray(i * 16 + 4, i * 16 + 4 + len), bytes.len);
        bytes.len += len;
      } else {
        bytes.push(raw.get_data_from_pointer(data.buffer, data.byteOffset + i * 16 + 8, len));
      }
    }
    offsets.push(bytes.len);
  }
}

interface Collector {
  add(vector: unknown, n: number): void;
  take(): ColumnValues;
}

function validityOf(vector: unknown, n: number): Uint8Array | null {
  const v = raw.vector_get_validity(vector, Math.ceil(n / 64) * 8);
  return v && v.length > 0 ? v : null;
}

function pushValidity(dst: Growable, valid: Uint8Array | null, n: number): void {
  dst.reserve(n);
  for (let i = 0; i < n; i++) dst.buf[dst.len + i] = !valid || (valid[i >> 3] & (1 << (i & 7))) !== 0 ? 1 : 0;
  dst.len += n;
}

function hasNull(v: Growable): boolean {
  return v.buf.subarray(0, v.len).includes(0);
}

function fixedCollector(type: 'timestamp' | 'int32' | 'float32' | 'float64' | 'bool', width: number): Collector {
  const values = new Growable();
  const validity = new Growable();
  return {
    add(vector, n) {
      values.push(raw.vector_get_data(vector, n * width));
      pushValidity(validity, validityOf(vector, n), n);
    },
    take() {
      const b = values.take();
      const v = hasNull(validity) ? validity.take() : undefined;
      values.reset();
      validity.reset();
      switch (type) {
        case 'timestamp':
          return { type, values: new BigInt64Array(b.buffer, 0, b.length / 8), validity: v };
        case 'int32':
          return { type, values: new Int32Array(b.buffer, 0, b.length / 4), validity: v };
        case 'float32':
          return { type, values: new Float32Array(b.buffer, 0, b.length / 4), validity: v };
        case 'float64':
          return { type, values: new Float64Array(b.buffer, 0, b.length / 8), validity: v };
        case 'bool':
          return { type, values: b, validity: v };
      }
    },
  };
}

function dictCollector(dictSize: number): Collector {
  const width = dictSize <= 255 ? 1 : dictSize <= 65535 ? 2 : 4;
  const indices = new GrowableI32();
  const validity = new Growable();
  return {
    add(vector, n) {
      const data = raw.vector_get_data(vector, n * width);
      const codes = width === 1 ? data : width === 2 ? new Uint16Array(data.slice().buffer) : new Uint32Array(data.slice().buffer);
      const valid = validityOf(vector, n);
      for (let i = 0; i < n; i++) indices.push(!valid || (valid[i >> 3] & (1 << (i & 7))) !== 0 ? codes[i] : 0);
      pushValidity(validity, valid, n);
    },
    take() {
      const out: ColumnValues = { type: 'dict', indices: indices.arr.slice(0, indices.len), validity: hasNull(validity) ? validity.take() : undefined };
      indices.len = 0;
      validity.reset();
      return out;
    },
  };
}

function stringCollector(): Collector {
  const offsets = new GrowableI32();
  offsets.push(0);
  const bytes = new Growable();
  const validity = new Growable();
  return {
    add(vector, n) {
      readStrings(vector, n, validityOf(vector, n), offsets, bytes, validity);
    },
    take() {
      const out: ColumnValues = {
        type: 'string',
        offsets: offsets.arr.slice(0, offsets.len),
        bytes: bytes.take(),
        validity: hasNull(validity) ? validity.take() : undefined,
      };
      offsets.len = 1;
      bytes.reset();
      validity.reset();
      return out;
    },
  };
}

function listCollector(): Collector {
  const offsets = new GrowableI32();
  offsets.push(0);
  const childOffsets = new GrowableI32();
  childOffsets.push(0);
  const bytes = new Growable();
  const validity = new Growable();
  let items = 0;
  return {
    add(vector, n) {
      const data = raw.vector_get_data(vector, n * 16);
      const entries = new BigUint64Array(data.slice(0, n * 16).buffer);
      const valid = validityOf(vector, n);
      const childSize = raw.list_vector_get_size(vector);
      const child = raw.list_vector_get_child(vector);
      // Child strings of the whole chunk, then each row's [offset, offset + length) slice.
      const childOffs = new GrowableI32();
      childOffs.push(0);
      const childBytes = new Growable();
      if (childSize > 0) readStrings(child, childSize, validityOf(child, childSize), childOffs, childBytes, null);
      for (let i = 0; i < n; i++) {
        const ok = !valid || (valid[i >> 3] & (1 << (i & 7))) !== 0;
        if (ok) {
          const off = Number(entries[2 * i]);
          const len = Number(entries[2 * i + 1]);
          for (let k = off; k < off + len; k++) {
            bytes.push(childBytes.buf.subarray(childOffs.arr[k], childOffs.arr[k + 1]));
            childOffsets.push(bytes.len);
            items++;
          }
        }
        offsets.push(items);
      }
      pushValidity(validity, valid, n);
    },
    take() {
      const out: ColumnValues = {
        type: 'string_list',
        offsets: offsets.arr.slice(0, offsets.len),
        childOffsets: childOffsets.arr.slice(0, childOffsets.len),
        childBytes: bytes.take(),
        validity: hasNull(validity) ? validity.take() : undefined,
      };
      offsets.len = 1;
      childOffsets.len = 1;
      items = 0;
      bytes.reset();
      validity.reset();
      return out;
    },
  };
}

/**
 * Runs `sql` and writes its rows to `writer` in batches of `batchRows`.
 * @param dictSizes number of values of each dict column's ENUM (decides the code width)
 */
export async function queryToArrow(
  conn: DuckDBConnection,
  sql: string,
  spec: TableSpec,
  writer: ArrowTableWriter,
  dictSizes: Record<string, number>,
  batchRows = DEFAULT_BATCH_ROWS,
): Promise<number> {
  const collectors = spec.columns.map((c): Collector => {
    switch (c.type) {
      case 'string':
        return stringCollector();
      case 'dict':
        return dictCollector(dictSizes[c.name] ?? 0);
      case 'string_list':
        return listCollector();
      case 'timestamp':
      case 'float64':
        return fixedCollector(c.type, 8);
      case 'int32':
      case 'float32':
        return fixedCollector(c.type, 4);
      case 'bool':
        return fixedCollector(c.type, 1);
    }
  });
  const result = await conn.stream(sql);
  if (result.columnCount !== spec.columns.length)
    throw new Error(`query for ${spec.name} returned ${result.columnCount} columns, expected ${spec.columns.length}`);
  let pending = 0;
  let total = 0;
  const flush = () => {
    if (pending === 0) return;
    const cols: Record<string, ColumnValues> = {};
    spec.columns.forEach((c, i) => (cols[c.name] = collectors[i].take()));
    writer.writeBatch(cols, pending);
    total += pending;
    pending = 0;
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    for (let i = 0; i < collectors.length; i++) collectors[i].add(raw.data_chunk_get_vector(chunk.chunk, i), n);
    pending += n;
    if (pending >= batchRows) flush();
  }
  flush();
  return total;
}
