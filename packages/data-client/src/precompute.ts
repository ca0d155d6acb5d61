/**
 * First paint without waiting for DuckDB-WASM: the exporter runs the default view's query modules
 * in native DuckDB and ships their rows in the snapshot (`precomputed.json`). The client returns
 * them for the exact same SQL text, so the two engines are interchangeable (tested equal).
 */
import { DEFAULT_FILTERS, makeContext, toMicros, type Manifest, type QueryModule, type UsageFilters } from '@usage-analytics/queries';
import { dimensionsOf, type Precomputed } from './client.js';
import type { Connector } from './connector.js';

export interface PrecomputeSpec {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  module: QueryModule<any, any>;
  params?: unknown;
  filters?: UsageFilters;
}

/** Runs each spec on `connector` with the manifest's anchor and returns the precomputed payload. */
export async function precompute(connector: Pick<Connector, 'query'>, manifest: Pick<Manifest, 'time_range'>, specs: PrecomputeSpec[]): Promise<Precomputed> {
  const anchor = toMicros(manifest.time_range.end);
  const start = toMicros(manifest.time_range.start);
  const entries: Precomputed['entries'] = [];
  for (const { module, params, filters = DEFAULT_FILTERS } of specs) {
    const sql = module.sql(makeContext(filters, anchor, start), params).text;
    entries.push({ name: module.name, sql, rows: await connector.query(sql) });
  }
  return { entries, dimensions: await dimensionsOf(connector) };
}
