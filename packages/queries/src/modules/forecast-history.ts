import { whereSql } from '../filters.js';
import { literal, sql } from '../sql.js';
import { defineQuery, num, numOrNull, str } from '../module.js';
import { enumParam, stringParam, ts } from './shared.js';

export const FORECAST_SCOPES = ['fleet', 'department', 'agent'] as const;
export type ForecastScope = (typeof FORECAST_SCOPES)[number];

export interface ForecastHistoryParams {
  /** Whose past forecasts: the fleet (default), a department or an agent. */
  scope?: ForecastScope;
  /** The department or agent id (required unless the scope is the fleet). */
  key?: string;
}

export interface PastForecastPoint {
  date: string;
  /** Days after the origin (1 = the origin day). */
  step: number;
  predicted: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
  /** Requests that day under the current filters, or null when the day is not (fully) in the data. */
  actual: number | null;
}

/** How a past forecast did on the days that have happened. */
export interface RealisedAccuracy {
  /** Days with an actual value. */
  days: number;
  /** Mean absolute percentage error (%) over those days with actual > 0; null when none. */
  mape: number | null;
  /** Share (%) of those days whose actual lies inside the 80 % / 95 % band; null when none. */
  coverage80: number | null;
  coverage95: number | null;
}

export interface PastForecast {
  origin: string;
  model_type: string;
  /** The model's and the seasonal-naive baseline's backtest MAPE (%) at the origin. */
  backtest_mape: number | null;
  baseline_mape: number | null;
  /** Made after the fact from the data before the origin (demo, first export). */
  hindcast: boolean;
  points: PastForecastPoint[];
  realised: RealisedAccuracy;
}

export interface ForecastHistory {
  scope: ForecastScope;
  key: string;
  /** Oldest origin first. */
  forecasts: PastForecast[];
}

/** Realised accuracy of forecast points against their actuals (days without an actual are skipped). */
export function realisedAccuracy(
  points: readonly Pick<PastForecastPoint, 'predicted' | 'lower80' | 'upper80' | 'lower95' | 'upper95' | 'actual'>[],
): RealisedAccuracy {
  let days = 0;
  let ape = 0;
  let apeDays = 0;
  let in80 = 0;
  let in95 = 0;
  for (const p of points) {
    if (p.actual === null) continue;
    days++;
    if (p.actual > 0) {
      ape += Math.abs(p.actual - p.predicted) / p.actual;
      apeDays++;
    }
    if (p.actual >= p.lower80 && p.actual <= p.upper80) in80++;
    if (p.actual >= p.lower95 && p.actual <= p.upper95) in95++;
  }
  return {
    days,
    mape: apeDays ? (100 * ape) / apeDays : null,
    coverage80: days ? (100 * in80) / days : null,
    coverage95: days ? (100 * in95) / days : null,
  };
}

function scopeOf(params: ForecastHistoryParams): { scope: ForecastScope; key: string } {
  const scope = enumParam('scope', params.scope, FORECAST_SCOPES, 'fleet');
  return { scope, key: scope === 'fleet' ? '' : stringParam('key', params.key) };
}

/**
 * Chart 2.12, accuracy tracking: the forecasts kept in the snapshot (`forecast_history`, made
 * under the default view at earlier origins) for one scope, each day joined with what happened —
 * the day's requests under the current filters (but time) within the scope, on full days of the
 * data only — and each forecast's realised MAPE and 80 % / 95 % band coverage on those days.
 */
export const forecastHistory = defineQuery<ForecastHistoryParams | undefined, ForecastHistory>({
  name: 'forecastHistory',
  sql(ctx, params = {}) {
    const { scope, key } = scopeOf(params);
    const dayUs = 86_400_000_000;
    // Full UTC days of the data only: [first midnight at or after the start, last midnight at or before the anchor).
    const first = Math.ceil(ctx.dataStart / dayUs) * dayUs;
    const last = Math.floor(ctx.anchor / dayUs) * dayUs;
    const scoped = scope === 'department' ? sql`AND department_id = ${literal(key)}` : scope === 'agent' ? sql`AND agent_id = ${literal(key)}` : sql``;
    return sql`WITH h AS (
  SELECT CAST(origin AS VARCHAR) AS origin, date, step, predicted, lower80, upper80, lower95, upper95, CAST(model_type AS VARCHAR) AS model_type,
    backtest_mape, baseline_mape, hindcast
  FROM forecast_history WHERE CAST(scope_kind AS VARCHAR) = ${literal(scope)} AND scope_key = ${literal(key)}),
a AS (
  SELECT strftime(date_trunc('day', ts), '%Y-%m-%d') AS date, count(*) AS n FROM requests
  WHERE ${whereSql(ctx, { time: 'none' })} AND ts >= ${ts(first)} AND ts < ${ts(last)} ${scoped} GROUP BY 1)
SELECT h.origin, h.date, h.step::INTEGER AS step, h.predicted, h.lower80, h.upper80, h.lower95, h.upper95, h.model_type, h.backtest_mape, h.baseline_mape, h.hindcast,
  CASE WHEN h.date >= strftime(${ts(first)}, '%Y-%m-%d') AND h.date < strftime(${ts(last)}, '%Y-%m-%d') THEN coalesce(a.n, 0)::BIGINT ELSE NULL END AS actual
FROM h LEFT JOIN a ON a.date = h.date
ORDER BY h.origin, h.step`;
  },
  transform(rows, _ctx, params = {}) {
    const { scope, key } = scopeOf(params);
    const byOrigin = new Map<string, PastForecast>();
    for (const r of rows) {
      const origin = str(r.origin);
      let f = byOrigin.get(origin);
      if (!f) {
        f = {
          origin,
          model_type: str(r.model_type),
          backtest_mape: numOrNull(r.backtest_mape),
          baseline_mape: numOrNull(r.baseline_mape),
          hindcast: r.hindcast === true,
          points: [],
          realised: { days: 0, mape: null, coverage80: null, coverage95: null },
        };
        byOrigin.set(origin, f);
      }
      f.points.push({
        date: str(r.date),
        step: num(r.step),
        predicted: num(r.predicted),
        lower80: num(r.lower80),
        upper80: num(r.upper80),
        lower95: num(r.lower95),
        upper95: num(r.upper95),
        actual: numOrNull(r.actual),
      });
    }
    const forecasts = [...byOrigin.values()];
    for (const f of forecasts) f.realised = realisedAccuracy(f.points);
    return { scope, key, forecasts };
  },
});
