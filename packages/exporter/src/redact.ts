/**
 * The published copy of a table whose PII columns must not leave the server: the same Arrow stream
 * (schema, dictionaries, batches) with those columns all null. The full file stays in the
 * snapshot's private folder.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { type Data, type DataType, RecordBatch, RecordBatchStreamWriter, Struct, type Table, Utf8, makeData, tableFromIPC } from 'apache-arrow';
import type { TableSpec } from '@usage-analytics/queries';
import { arrowSchema, type WrittenFile } from './arrow-writer.js';

export function readArrow(path: string): Table {
  return tableFromIPC(readFileSync(path));
}

/** The columns among `names` that hold at least one value. */
export function columnsWithValues(table: Table, names: readonly string[]): string[] {
  return names.filter((n) => {
    const v = table.getChild(n);
    return v !== null && v.length > v.nullCount;
  });
}

function allNull(type: DataType, length: number): Data {
  if (!(type instanceof Utf8)) throw new TypeError(`only string columns can be withheld, not ${String(type)}`);
  return makeData({
    type,
    length,
    nullCount: length,
    nullBitmap: new Uint8Array(((length + 63) >> 6) << 3),
    valueOffsets: new Int32Array(length + 1),
    data: new Uint8Array(0),
  });
}

/** Writes `table` to `dst` with the `names` columns all null; returns size and SHA-256 (fsynced). */
export function writeWithoutColumns(table: Table, dst: string, spec: TableSpec, names: readonly string[]): WrittenFile {
  const schema = arrowSchema(spec);
  const writer = new RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  for (const batch of table.batches) {
    const children = schema.fields.map((f, i) => (names.includes(f.name) ? allNull(f.type, batch.numRows) : batch.data.children[i]));
    writer.write(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children })));
  }
  writer.finish();
  const bytes = writer.toUint8Array(true);
  const fd = openSync(dst, 'w');
  try {
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { rows: table.numRows, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
