/**
 * The queries the default view (30 d, Production, Active) runs on first paint. The exporter
 * precomputes exactly these in native DuckDB; elements ask for the same (module, params) pairs.
 * Add a chart's default query here when the chart joins the default view.
 */
import type { QueryModule } from './module.js';
import { kpis } from './modules/kpis.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const DEFAULT_VIEW_QUERIES: { module: QueryModule<any, any>; params?: unknown }[] = [{ module: kpis }];
