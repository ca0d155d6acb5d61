/**
 * A query module: one named metric, its SQL (run by DuckDB, native or WASM) and a pure transform of
 * the rows into the shape an element draws. Modules never touch the DOM or DuckDB themselves.
 *
 * SQL rules, so that native DuckDB and DuckDB-WASM give identical rows: output only VARCHAR, DOUBLE,
 * BIGINT/INTEGER (read back as JS numbers), BOOLEAN and lists of VARCHAR/DOUBLE/INTEGER — never
 * BIGINT[] (DuckDB-WASM 1.32 with castBigIntToDouble returns its int64 bits as doubles, e.g. 3 → 1.5e-323,
 * so cast list elements to DOUBLE); dates as 'YYYY-MM-DD' or epoch milliseconds; always ORDER BY a
 * total order so row order is deterministic.
 */
import type { QueryContext } from './filters.js';
import type { Sql } from './sql.js';

export type Row = Record<string, unknown>;

export interface QueryModule<P = void, R = Row[]> {
  readonly name: string;
  /** One SQL statement (no trailing semicolon), built with the `sql` tag (see sql.ts). */
  sql(ctx: QueryContext, params: P): Sql;
  /** Shapes the rows; pure. */
  transform(rows: Row[], ctx: QueryContext, params: P): R;
}

export function defineQuery<P = void, R = Row[]>(m: QueryModule<P, R>): QueryModule<P, R> {
  return m;
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/**
 * `part` as a percentage of `whole` (0–100; above 100 for growth), null when `whole` is 0. Every share and rate the
 * modules return is a percentage (see README "Units"); 100 · part is exact for counts, so only the division rounds.
 */
export const pct = (part: number, whole: number): number | null => (whole === 0 ? null : (100 * part) / whole);
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
