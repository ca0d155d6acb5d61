/**
 * The queries the default view (30 d, Production, Active) runs on first paint. The exporter
 * precomputes exactly these in native DuckDB; elements ask for the same (module, params) pairs.
 * Add a chart's default query here when the chart joins the default view.
 */
import type { QueryModule } from './module.js';
import { callsOverTime } from './modules/calls-over-time.js';
import { kpis } from './modules/kpis.js';
import { usageForecast } from './modules/usage-forecast.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const DEFAULT_VIEW_QUERIES: { module: QueryModule<any, any>; params?: unknown }[] = [
  { module: kpis },
  // Chart 2.1 <usage-api-calls>: calls by department per day, and the fleet forecast's daily history
  // (the forecast's SQL does not depend on the horizon, so any horizon is served from these rows).
  { module: callsOverTime, params: { by: 'department' } },
  { module: usageForecast, params: { horizon: 14 } },
];
