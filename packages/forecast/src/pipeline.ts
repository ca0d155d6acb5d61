import { detectAnomalies } from './anomalies.js';
import { forecast } from './forecast.js';
import type { AnomalyPoint, ForecastResult, ModelName, SeriesPoint } from './types.js';

/** Options of {@link forecastWithAnomalies}. */
export interface PipelineOptions {
  horizon: number;
  model?: ModelName;
  /** Robust-z threshold of the anomaly flags. Default 3.5. */
  threshold?: number;
}

/** Result of {@link forecastWithAnomalies}. */
export interface PipelineResult {
  /** Anomaly score of every input day (empty below 14 days). */
  flags: AnomalyPoint[];
  /** Days replaced by their expectation for the model fit. */
  cleanedDates: string[];
  forecast: ForecastResult;
}

/**
 * The usage-forecast tab's pipeline (packages/queries usageForecast calls exactly this): anomaly
 * flags on the daily series, then the forecast. Anomalous days are replaced by their expectation
 * for the model fit only (`fitValues`): the backtest errors, and so the prediction intervals and the
 * reported accuracy, are measured against the series as observed.
 */
export function forecastWithAnomalies(input: readonly SeriesPoint[], { horizon, model = 'ensemble', threshold = 3.5 }: PipelineOptions): PipelineResult {
  const flags = input.length >= 14 ? detectAnomalies(input, { threshold }) : [];
  const byDate = new Map(flags.map((f) => [f.date, f]));
  const cleaned = input.map((p) => {
    const f = byDate.get(p.date);
    return f?.isAnomaly ? f.expected : p.value;
  });
  return {
    flags,
    cleanedDates: flags.filter((f) => f.isAnomaly).map((f) => f.date),
    forecast: forecast(input, { horizon, model, fitValues: cleaned }),
  };
}
