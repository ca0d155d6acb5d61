/** The pipeline as the tab calls it and the classic peers, as {@link Method}s for evaluate.ts. */
import { forecast, forecastWithAnomalies, seasonalNaive, type ForecastResult, type ModelName, type SeriesPoint } from '../src/index.js';
import type { Method, MethodForecast } from './evaluate.js';

function bands(f: ForecastResult): MethodForecast {
  return {
    predicted: f.points.map((p) => p.predicted),
    lower80: f.points.map((p) => p.lower80),
    upper80: f.points.map((p) => p.upper80),
    lower95: f.points.map((p) => p.lower95),
    upper95: f.points.map((p) => p.upper95),
  };
}

/** usageForecast's path: anomaly cleaning, then the default forecast (packages/queries usage-forecast.ts). */
export const pipeline: Method = (train, h) => bands(forecastWithAnomalies(train, { horizon: h }).forecast);

/** One model of `forecast` alone, on the raw series (no cleaning). */
export const model =
  (name: ModelName): Method =>
  (train, h) =>
    bands(forecast(train, { horizon: h, model: name }));

/** Same weekday of the last observed week. */
export const seasonalNaiveWeekly: Method = (train, h) => ({
  predicted: seasonalNaive(
    train.map((p) => p.value),
    h,
    7,
  )!,
});

/** Same weekday 52 weeks earlier (lag 364). */
export const seasonalNaiveYearly: Method = (train: SeriesPoint[], h) => {
  const y = train.map((p) => p.value);
  return { predicted: Array.from({ length: h }, (_, s) => y[y.length + s - 364]) };
};

export const METHODS: { name: string; method: Method }[] = [
  { name: 'ours (pipeline)', method: pipeline },
  { name: 'seasonal naive (7)', method: seasonalNaiveWeekly },
  { name: 'seasonal naive (364)', method: seasonalNaiveYearly },
  { name: 'damped HW (ets)', method: model('ets') },
  { name: 'theta', method: model('theta') },
];
