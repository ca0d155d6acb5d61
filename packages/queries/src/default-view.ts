/**
 * The queries the default view (30 d, Production, Active) runs on first paint. The exporter
 * precomputes exactly these in native DuckDB; elements ask for the same (module, params) pairs.
 * Add a chart's default query here when the chart joins the default view.
 */
import type { QueryModule } from './module.js';
import { adoptionBenchmark } from './modules/adoption-benchmark.js';
import { adoptionCurve } from './modules/adoption-curve.js';
import { agentCallGraph, type AgentCallGraphParams } from './modules/agent-call-graph.js';
import { agentPortfolio } from './modules/agent-portfolio.js';
import { callsPerUser } from './modules/calls-per-user.js';
import { capacityUtilisation } from './modules/capacity.js';
import { callsOverTime } from './modules/calls-over-time.js';
import { atRiskUsers } from './modules/engagement.js';
import { agentHierarchy, gini } from './modules/gini.js';
import { hourWeekday } from './modules/hour-weekday.js';
import { intentMatrix } from './modules/intent-matrix.js';
import { forecastHistory } from './modules/forecast-history.js';
import { geography } from './modules/geography.js';
import { JOURNEY_DEFAULT_STEPS, JOURNEY_DEFAULT_TOP_N, journeySankey } from './modules/journey-sankey.js';
import { kpis } from './modules/kpis.js';
import { maintenanceWindows } from './modules/maintenance-windows.js';
import { retentionCohorts } from './modules/retention-cohorts.js';
import { topUsers } from './modules/top-users.js';
import { usageForecast } from './modules/usage-forecast.js';
import { dailySeries } from './modules/daily-series.js';
import { userSegments } from './modules/user-segments.js';

/**
 * 2.1 `<usage-api-calls>` fits its forecast on the last 30 full days: the daily series of the last
 * 32 days holds them in any time zone (`dailySeries` with `span: 'all', days`), a third of a 90-day
 * snapshot's scan.
 */
export const API_CALLS_FORECAST_DAYS = 32;

/** `<usage-top-users>` shows the top 20. */
export const TOP_USERS_DEFAULT_PARAMS = Object.freeze({ limit: 20 });

/** `<usage-journey-sankey>` without an anchor: the top 8 agents a step over 20 steps. */
export const JOURNEY_DEFAULT_PARAMS = Object.freeze({ topN: JOURNEY_DEFAULT_TOP_N, steps: JOURNEY_DEFAULT_STEPS });

/** `<usage-dependency-graph>`: a call counts when either end is in the filtered agents. */
export const CALL_GRAPH_DEFAULT_PARAMS: Readonly<AgentCallGraphParams> = Object.freeze({ agentMatch: 'either' });

/** `<usage-calls-per-user>` lists the first 100 at-risk users. */
export const AT_RISK_DEFAULT_PARAMS = Object.freeze({ limit: 100 });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const DEFAULT_VIEW_QUERIES: { module: QueryModule<any, any>; params?: unknown }[] = [
  { module: kpis },
  // Chart 2.1 <usage-api-calls>: calls by department per day, and the fleet forecast's daily history
  // (the forecast's SQL does not depend on the horizon, so any horizon is served from these rows).
  { module: callsOverTime, params: { by: 'department' } },
  // Chart 2.5 <usage-calls-over-time> reads the same two, plus the hour × weekday grid.
  { module: usageForecast, params: { horizon: 14 } },
  // 2.1's own forecast input: the last 32 days only (see API_CALLS_FORECAST_DAYS).
  { module: dailySeries, params: { span: 'all', days: API_CALLS_FORECAST_DAYS } },
  { module: hourWeekday },
  // 2.2 <usage-unique-users> (segments; its retention overlay is the 2.9 query below).
  { module: userSegments },
  // 2.3 <usage-active-agents>.
  { module: agentPortfolio },
  // 2.4 <usage-calls-per-user>: the histogram and the at-risk list.
  { module: callsPerUser },
  { module: atRiskUsers, params: AT_RISK_DEFAULT_PARAMS },
  // 2.7 <usage-top-users>.
  { module: topUsers, params: TOP_USERS_DEFAULT_PARAMS },
  // 2.8 <usage-intent-matrix>.
  { module: intentMatrix },
  // 2.9 <usage-retention-cohorts> and the 2.2 overlay.
  { module: retentionCohorts, params: {} },
  // 2.6 <usage-agent-distribution>: the tree and the Gini readings.
  { module: agentHierarchy },
  { module: gini, params: {} },
  // 2.10 <usage-adoption-curve>: the top 10 agents with a 30-day forecast, and the benchmark band.
  { module: adoptionCurve, params: { agentIds: undefined, byVersion: false, forecastDays: 30 } },
  { module: adoptionBenchmark, params: { days: 30 } },
  // 2.16 <usage-time-heatmap> in the viewer's zone: for any whole-hour zone the SQL is the same (it
  // counts per UTC hour; the zone is applied in the transform), so one zone serves them all (UTC has
  // its own SQL, above; half-hour zones wait for the engine). The windows' SQL ignores the zone.
  { module: hourWeekday, params: { timeZone: 'America/New_York' } },
  { module: maintenanceWindows, params: { timeZone: 'UTC' } },
  // 2.12 <usage-forecast>: the fleet forecast is the usageForecast rows above (any horizon); its past forecasts.
  { module: forecastHistory, params: { scope: 'fleet', key: undefined } },
  // 2.13 <usage-capacity-gauges>: current and peak per resource × environment (a dozen rows).
  { module: capacityUtilisation },
  // 2.11 <usage-journey-sankey> (no anchor), 2.14 <usage-dependency-graph>, 2.15 <usage-geo-map>.
  { module: journeySankey, params: JOURNEY_DEFAULT_PARAMS },
  { module: agentCallGraph, params: CALL_GRAPH_DEFAULT_PARAMS },
  { module: geography },
];
