/**
 * Shared relations: a sub-query several modules read under one filter state (e.g. the filtered
 * per-user aggregate, user-aggregate.ts). A module embeds it as `sharedRelation(body)`, which is
 * plain SQL — a parenthesised sub-query between two comments — so the module still runs as is on
 * native DuckDB or DuckDB-WASM. The data-client's coordinator recognises the marked sub-query,
 * materialises it once as a TEMP table per distinct body text (the text holds the filter state),
 * and runs the module against that table instead: the work is done once per filter state, not once
 * per chart (Mosaic's consolidation of the queries of several clients, with a materialised
 * pre-aggregate). Bodies must not nest.
 */
import { sql, type Sql } from './sql.js';

export const SHARED_OPEN = '/*shared*/(';
export const SHARED_CLOSE = ')/*end shared*/';

/** `/*shared*\/( body )/*end shared*\/`: usable in FROM / JOIN like any derived table (give it an alias). */
export function sharedRelation(body: Sql): Sql {
  return sql`/*shared*/(${body})/*end shared*/`;
}

/** Every shared body of a statement, in order of first appearance, without duplicates. */
export function sharedBodies(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const i = text.indexOf(SHARED_OPEN, from);
    if (i < 0) return out;
    const j = text.indexOf(SHARED_CLOSE, i + SHARED_OPEN.length);
    if (j < 0) return out;
    const body = text.slice(i + SHARED_OPEN.length, j);
    if (!out.includes(body)) out.push(body);
    from = j + SHARED_CLOSE.length;
  }
}

/** The statement with each shared sub-query replaced by the table `names.get(body)` (left as is when absent). */
export function replaceShared(text: string, names: ReadonlyMap<string, string>): string {
  let out = '';
  let from = 0;
  for (;;) {
    const i = text.indexOf(SHARED_OPEN, from);
    const j = i < 0 ? -1 : text.indexOf(SHARED_CLOSE, i + SHARED_OPEN.length);
    if (i < 0 || j < 0) return out + text.slice(from);
    const body = text.slice(i + SHARED_OPEN.length, j);
    const name = names.get(body);
    out += text.slice(from, i) + (name ?? text.slice(i, j + SHARED_CLOSE.length));
    from = j + SHARED_CLOSE.length;
  }
}
