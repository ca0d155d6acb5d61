import { MODEL_NAMES, forecastWithAnomalies, type AnomalyPoint, type ForecastResult, type ModelName } from '@usage-analytics/forecast';
import { defineQuery } from '../module.js';
import { dailySeries, type DailyPoint } from './daily-series.js';
import { enumParam, intParam, numberParam, type Dimension } from './shared.js';

export interface UsageForecastParams {
  /** Days to forecast after the snapshot's last full day (PRD 2.12: 30, 60 or 90). Default 30. */
  horizon?: number;
  /** One forecast per key of this dimension (e.g. department); fleet total when absent. */
  by?: Dimension;
  /** Model; default the ETS(A,Ad,A) + Theta ensemble. */
  model?: ModelName;
  /** Robust-z threshold of the anomaly flags (default 3.5). */
  threshold?: number;
}

export interface UsageForecastSeries {
  key: string;
  /** The daily history (full data range, zero-filled) with anomaly flags against the seasonal fit. */
  history: (DailyPoint & Pick<AnomalyPoint, 'expected' | 'score' | 'isAnomaly' | 'direction'>)[];
  /** Days replaced by their seasonal expectation for the model fit (the anomalies; the backtest still scores them as observed). */
  cleanedDates: string[];
  /** Forecast, prediction intervals from rolling-origin backtests, backtest MAPE and the seasonal-naive baseline's, `explanation`. */
  forecast: ForecastResult;
}

export interface UsageForecast {
  horizon: number;
  series: UsageForecastSeries[];
}

/**
 * Charts 2.12 (forecast) and 2.5 (anomaly markers): the daily series over the whole data range
 * (SQL, under every filter but time), then in TypeScript the damped Holt-Winters + Theta ensemble
 * (`@usage-analytics/forecast`, with last year's profile once a year of history exists) and robust,
 * count-aware anomaly flags — `forecastWithAnomalies`, the same call the accuracy check on real
 * series scores. The model is fitted on the series with anomalous days replaced by their expectation;
 * the backtest (accuracy, intervals) is scored on the series as observed. Partial days (a range that
 * does not end at midnight) are left out of the model.
 */
function forecastOptions(params: UsageForecastParams): { horizon: number; model: ModelName; threshold: number } {
  return {
    horizon: intParam('horizon', params.horizon, { def: 30, min: 1, max: 365 }),
    model: enumParam('model', params.model, MODEL_NAMES, 'ensemble'),
    threshold: numberParam('threshold', params.threshold, { def: 3.5, min: Number.MIN_VALUE }),
  };
}

export const usageForecast = defineQuery<UsageForecastParams | undefined, UsageForecast>({
  name: 'usageForecast',
  sql(ctx, params = {}) {
    forecastOptions(params); // a bad parameter fails before the query runs
    return dailySeries.sql(ctx, { span: 'all', by: params.by });
  },
  transform(rows, ctx, params = {}) {
    const { horizon, model, threshold } = forecastOptions(params);
    const daily = dailySeries.transform(rows, ctx, { span: 'all', by: params.by });
    return {
      horizon,
      series: daily.series.map(({ key, points }) => {
        const full = points.filter((p) => !p.partial);
        const input = full.map((p) => ({ date: p.date, value: p.value }));
        const { flags, cleanedDates, forecast } = forecastWithAnomalies(input, { horizon, model, threshold });
        const byDate = new Map(flags.map((f) => [f.date, f]));
        return {
          key,
          history: full.map((p) => {
            const f = byDate.get(p.date);
            return { ...p, expected: f?.expected ?? p.value, score: f?.score ?? 0, isAnomaly: f?.isAnomaly ?? false, direction: f?.direction ?? 'spike' };
          }),
          forecast,
          cleanedDates,
        };
      }),
    };
  },
});
