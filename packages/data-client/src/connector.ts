import type { Row, TableName } from '@usage-analytics/queries';

/** One SQL engine holding the snapshot tables: DuckDB-WASM (worker or blocking) or native DuckDB. */
export interface Connector {
  readonly engine: string;
  /** Runs one statement and returns plain rows (see {@link normalizeValue}). */
  query(sql: string): Promise<Row[]>;
  /** Creates table `name` from Arrow IPC **stream** bytes. */
  insertArrowStream(name: string, bytes: Uint8Array): Promise<void>;
  /**
   * Loads snapshot table `name` its own way. Optional: without it the client uses `loadTable()`
   * (loader.ts), which the DuckDB connectors rely on.
   */
  loadTable?(name: TableName, bytes: Uint8Array): Promise<void>;
  /**
   * Makes `bytes` readable by the engine as file `name` (so SQL can `ATTACH` it), or with `null`
   * forgets it again. Optional: a connector without it loads a snapshot from its Arrow streams.
   */
  registerFile?(name: string, bytes: Uint8Array | null): Promise<void>;
  /**
   * Starts the engine without waiting for a first query (idempotent). Optional: the client calls it
   * as the snapshot's download begins, so the engine's own start (DuckDB-WASM: fetching and
   * compiling its 34 MB wasm, ~1.5 s) overlaps the download instead of following it. Rejects as
   * the first query would (the client awaits it before its first use of the engine).
   */
  start?(): Promise<unknown>;
  /** True once started when the engine runs multi-threaded (DuckDB-WASM's COI build): the client then copies a database file's tables (see `OpenOptions.database`). */
  readonly threaded?: boolean;
  close(): Promise<void>;
}

/**
 * Turns an Arrow cell into a plain JS value the same way for every engine: bigint → number,
 * list vectors → arrays, typed arrays → arrays, Date → epoch ms. Works across Arrow copies (duck typing).
 */
export function normalizeValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return v;
  if (v instanceof Date) return v.getTime();
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, normalizeValue);
  if (Array.isArray(v)) return v.map(normalizeValue);
  const maybeVector = v as { toArray?: () => unknown; [Symbol.iterator]?: unknown };
  if (typeof maybeVector.toArray === 'function' && typeof maybeVector[Symbol.iterator] === 'function') {
    return Array.from(v as Iterable<unknown>, normalizeValue);
  }
  const maybeStruct = v as { toJSON?: () => unknown };
  if (typeof maybeStruct.toJSON === 'function') return normalizeValue(maybeStruct.toJSON());
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = normalizeValue(x);
  return out;
}

/** Minimal structural view of an Arrow table, satisfied by every apache-arrow copy. */
export interface ArrowLikeTable {
  numRows: number;
  schema: { fields: { name: string }[] };
  getChildAt(i: number): { get(i: number): unknown } | null;
}

/** Converts an Arrow result table into plain row objects, column by column. */
export function arrowToRows(table: ArrowLikeTable): Row[] {
  const names = table.schema.fields.map((f) => f.name);
  const rows: Row[] = Array.from({ length: table.numRows }, () => ({}));
  names.forEach((name, c) => {
    const col = table.getChildAt(c);
    for (let i = 0; i < rows.length; i++) rows[i][name] = normalizeValue(col ? col.get(i) : null);
  });
  return rows;
}
