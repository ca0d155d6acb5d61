import { rollingOrigin, type Forecaster } from './backtest.js';
import { fitEts } from './ets.js';
import { applyBand, empiricalBands, naiveRelativeSigma, normalBands, type StepQuantiles } from './intervals.js';
import { seasonalNaive } from './seasonal-naive.js';
import { nextDates, toDailySeries } from './series.js';
import { mean } from './stats.js';
import { fitTheta, isSeasonal } from './theta.js';
import { MODEL_NAMES, type ForecastOptions, type ForecastParams, type ForecastResult, type ModelType, type SeriesPoint } from './types.js';

const MODELS = MODEL_NAMES;
const FIXED_LEVELS = [0.8, 0.95] as const;
/** Fewest backtest errors (and origins ≥ 2) for empirical intervals; otherwise a normal approximation. */
const MIN_EMPIRICAL_ERRORS = 10;

/** Equal ensemble weights (robust; M-competition evidence favours simple combinations). */
export const ENSEMBLE_WEIGHTS = { ets: 0.5, theta: 0.5 } as const;

function validateOptions(options: ForecastOptions): void {
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object, got ${String(options)}`);
  const { horizon, levels = [], model = 'ensemble', period = 7 } = options;
  if (typeof horizon !== 'number' || !Number.isInteger(horizon) || horizon <= 0) {
    throw new Error(`horizon must be a positive integer, got ${String(horizon)}`);
  }
  if (!MODELS.includes(model)) throw new Error(`Unknown model ${JSON.stringify(model)}; expected one of ${MODELS.join(', ')}`);
  for (const l of levels) {
    if (typeof l !== 'number' || !(l > 0 && l < 1)) throw new Error(`Interval level must be in (0, 1), got ${String(l)}`);
  }
  if (!Number.isInteger(period) || period < 2) throw new Error(`period must be an integer ≥ 2, got ${String(period)}`);
}

interface FittedModel {
  forecast(horizon: number): number[];
  params: Pick<ForecastParams, 'ets' | 'theta' | 'weights'>;
}

/** Fit a model type to `train` (forecasts clamped at 0 when `nonNegative`). */
function fitModel(type: ModelType, train: readonly number[], period: number, nonNegative: boolean, thetaSeasonal: boolean): FittedModel {
  const clamp = (xs: number[]): number[] => (nonNegative ? xs.map((v) => Math.max(0, v)) : xs);
  switch (type) {
    case 'ets': {
      const ets = fitEts(train, { period });
      return { forecast: (h) => clamp(ets.forecast(h)), params: { ets: ets.params } };
    }
    case 'theta': {
      const theta = fitTheta(train, { period, seasonal: thetaSeasonal });
      return { forecast: (h) => clamp(theta.forecast(h)), params: { theta: theta.params } };
    }
    case 'seasonal_naive':
      return { forecast: (h) => clamp(seasonalNaive(train, h, period) ?? new Array<number>(h).fill(train[train.length - 1])), params: {} };
    case 'damped_trend_fallback': {
      const ets = fitEts(train, { period: 0 });
      return { forecast: (h) => clamp(ets.forecast(h)), params: { ets: ets.params } };
    }
    default: {
      const ets = fitEts(train, { period });
      const theta = fitTheta(train, { period, seasonal: thetaSeasonal });
      const w = ENSEMBLE_WEIGHTS;
      return {
        forecast: (h) => {
          const t = theta.forecast(h);
          return clamp(ets.forecast(h).map((v, i) => w.ets * v + w.theta * t[i]));
        },
        params: { ets: ets.params, theta: theta.params, weights: { ...w } },
      };
    }
  }
}

/**
 * Forecast a daily series `horizon` days ahead with prediction intervals and backtest accuracy.
 *
 * Models (`options.model`, default `'ensemble'`):
 * - `ets`: damped Holt-Winters ETS(A,Ad,A), period 7, parameters fitted by one-step SSE;
 * - `theta`: standard Theta method on the seasonally adjusted series;
 * - `ensemble`: equal-weight mean of ETS and Theta ({@link ENSEMBLE_WEIGHTS});
 * - `seasonal_naive`: same weekday of the last observed week.
 * With fewer than 14 points (two periods) a damped-trend model without seasonality is used
 * (`model_type: 'damped_trend_fallback'`, unless seasonal naive was requested and a week exists);
 * with 0 or 1 points no forecast is produced (`model_type: 'insufficient_data'`).
 *
 * Accuracy: rolling-origin backtest (origins every 7 days, the latest ending `horizon` days before
 * the end, ≥ 28 training days when history allows), MAPE/sMAPE in percent pooled over origins and
 * steps 1..`backtest_horizon`; zero actuals are skipped by MAPE. The seasonal-naive baseline is
 * scored on the same origins (`baseline_mape`) and its forecast is given per point (`baseline`).
 *
 * Intervals: empirical quantiles of the backtest's relative errors per step (pooled over nearby
 * steps), widening monotonically, scaled by sqrt(s/H) beyond the backtested horizon H; a normal
 * approximation is used when the backtest has < 2 origins or < 10 errors. See intervals.ts.
 *
 * @throws Error naming the bad value for a non-positive horizon, non-finite values, unsorted or
 *   duplicate dates, invalid dates, and missing days (unless `fillMissing: true`, which fills 0).
 */
export function forecast(series: readonly SeriesPoint[], options: ForecastOptions): ForecastResult {
  validateOptions(options);
  const { horizon, levels = [], model = 'ensemble', fillMissing = false, nonNegative = true, period = 7, maxOrigins = 12, originStep = 7 } = options;
  const { dates, values: y, filled } = toDailySeries(series, { fillMissing });
  const n = y.length;
  const notes: string[] = [];
  if (filled > 0) notes.push(`${filled} missing day(s) filled with 0`);
  const base = {
    training_start: dates[0] ?? null,
    training_end: dates[n - 1] ?? null,
  };

  if (n <= 1) {
    notes.push(`insufficient data: ${n} point(s), at least 2 are needed for a forecast`);
    return {
      model_type: 'insufficient_data',
      points: [],
      mape: null,
      smape: null,
      baseline_mape: null,
      baseline_smape: null,
      backtest_origins: 0,
      backtest_horizon: 0,
      params: { period, interval_method: 'none' },
      ...base,
      notes,
    };
  }

  let type: ModelType = model;
  if (model === 'seasonal_naive' ? n < period : n < 2 * period) {
    type = 'damped_trend_fallback';
    notes.push(`only ${n} points (< ${model === 'seasonal_naive' ? period : 2 * period}): damped trend without seasonality used instead of ${model}`);
  }
  // Theta's seasonality is decided once on the full history and kept at every backtest origin.
  // The thetaf ACF test has almost no power below three periods, so weekly seasonality is assumed there.
  let thetaSeasonal = false;
  if (type === 'theta' || type === 'ensemble') {
    thetaSeasonal = n < 3 * period || isSeasonal(y, period);
    if (n < 3 * period) notes.push(`fewer than ${3 * period} points: weekly seasonality assumed for Theta (test underpowered)`);
  }
  const forecaster: Forecaster = (train, h) => fitModel(type, train, period, nonNegative, thetaSeasonal).forecast(h);

  // Full fit.
  const fitted = fitModel(type, y, period, nonNegative, thetaSeasonal);
  const params: ForecastParams = { period, ...fitted.params, interval_method: 'empirical' };
  const predicted = fitted.forecast(horizon);

  // Backtest.
  const seasonalModel = type !== 'damped_trend_fallback';
  const minTrain =
    type === 'seasonal_naive'
      ? Math.max(period, Math.min(4 * period, Math.floor(n / 2)))
      : seasonalModel
        ? Math.max(2 * period, Math.min(4 * period, Math.floor(n / 2)))
        : Math.max(3, Math.floor(n / 2));
  const bt = rollingOrigin(y, forecaster, { horizon, minTrain, step: originStep, maxOrigins, period });
  if (bt.origins.length === 0) notes.push('history too short for a backtest: accuracy not available');
  else if (bt.horizon < horizon) notes.push(`backtest horizon shortened to ${bt.horizon} days by the history length`);
  if (bt.skippedZeroActuals > 0) notes.push(`MAPE skips ${bt.skippedZeroActuals} zero actual(s) of the backtest`);

  // Intervals.
  const allLevels = [...new Set([...FIXED_LEVELS, ...levels])];
  let bands: StepQuantiles[];
  if (bt.origins.length >= 2 && bt.origins.length * bt.horizon >= MIN_EMPIRICAL_ERRORS) {
    bands = empiricalBands(bt, horizon, allLevels);
  } else {
    params.interval_method = 'normal_approx';
    notes.push('intervals from a normal approximation (backtest too small for empirical quantiles)');
    bands = normalBands(naiveRelativeSigma(y, type === 'damped_trend_fallback' ? 1 : period), horizon, allLevels);
  }
  const scale = mean(y.slice(-28).map(Math.abs));
  const abs = new Map(bands.map((q) => [q.level, applyBand(predicted, q, scale, nonNegative)]));
  const b80 = abs.get(0.8)!;
  const b95 = abs.get(0.95)!;
  const baseline = seasonalNaive(y, horizon, period);

  const points = nextDates(dates[n - 1], horizon).map((date, s) => ({
    date,
    predicted: predicted[s],
    lower80: b80.lower[s],
    upper80: b80.upper[s],
    lower95: b95.lower[s],
    upper95: b95.upper[s],
    baseline: baseline ? baseline[s] : null,
    bands: levels.map((level) => ({ level, lower: abs.get(level)!.lower[s], upper: abs.get(level)!.upper[s] })),
  }));

  return {
    model_type: type,
    points,
    mape: bt.mape,
    smape: bt.smape,
    baseline_mape: bt.baselineMape,
    baseline_smape: bt.baselineSmape,
    backtest_origins: bt.origins.length,
    backtest_horizon: bt.horizon,
    params,
    ...base,
    notes,
  };
}
