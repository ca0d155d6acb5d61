import { accuracy } from './accuracy.js';
import { rollingOrigin, type BacktestResult, type Forecaster } from './backtest.js';
import { classicalDecomposition } from './decompose.js';
import { fitEts } from './ets.js';
import { applyBand, empiricalBands, naiveRelativeSigma, normalBands, relativeError, widenBands, type StepQuantiles } from './intervals.js';
import { seasonalNaive } from './seasonal-naive.js';
import { nextDates, toDailySeries } from './series.js';
import { mean } from './stats.js';
import { fitTheta, isSeasonal } from './theta.js';
import {
  MODEL_NAMES,
  type ForecastExplanation,
  type ForecastOptions,
  type ForecastParams,
  type ForecastResult,
  type ModelType,
  type SeriesPoint,
} from './types.js';
import { YEAR_LAG, yearlyComponent, type YearlyComponent } from './yearly.js';

const MODELS = MODEL_NAMES;
const FIXED_LEVELS = [0.8, 0.95] as const;
/** Fewest backtest errors (and origins ≥ 2) for empirical intervals; otherwise a normal approximation. */
const MIN_EMPIRICAL_ERRORS = 10;
/** With fewer accuracy-backtest origins, the intervals come from a shorter backtest with more origins (see `forecast`). */
const MIN_BACKTEST_ORIGINS = 3;
/** Origins of that shorter backtest, and the days between them. */
const INTERVAL_ORIGINS = 6;
const INTERVAL_ORIGIN_STEP = 3;
/** Shortest horizon worth that backtest: one week. */
const MIN_INTERVAL_HORIZON = 7;
/**
 * Empirical quantiles from k < maxOrigins overlapping backtest windows understate the spread of a new
 * window (the windows share their level errors): the relative bands are widened by
 * 1 + FEW_ORIGINS_WIDENING·(1/k − 1/maxOrigins) (×1.75 with 3 origins, ×1.25 with 6, none with 12).
 * Measured on the real series with 60/90/120-day training windows (README).
 */
const FEW_ORIGINS_WIDENING = 3;
/**
 * Up to this many backtest origins, the anomalous tail of the bands comes from every anomalous day of
 * the series (empiricalBands' `anomalies`): a few overlapping windows see one outage again and
 * again and miss earlier spikes. With more origins the backtest's own errors on anomalous days are
 * kept (births with 180 training days: 95 % coverage 91/90 % at 60/90 days with the mixture, 94/94 % without).
 */
const MAX_MIXTURE_ORIGINS = 6;

/** Equal ensemble weights (robust; M-competition evidence favours simple combinations). */
export const ENSEMBLE_WEIGHTS = { ets: 0.5, theta: 0.5 } as const;

/**
 * Weight of the yearly component in the ensemble when it is used (a year of history): equal-weight
 * combination of the weekly ensemble and last year's profile.
 */
export const YEARLY_WEIGHT = 0.5;
/** Fewest backtest origins with a year of training for the yearly component to be chosen by backtest. */
const MIN_YEARLY_ORIGINS = 3;

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
  /** The forecast combined with the yearly component (ensemble with ≥ a year of training only), else null. */
  withYearly(horizon: number): { values: number[]; component: YearlyComponent } | null;
  params: Pick<ForecastParams, 'ets' | 'theta' | 'weights'>;
  /** Trend per day of the (seasonally adjusted) fit at the end of the training data. */
  trend: number;
}

/** ETS trend per day one step ahead (damped). */
function etsTrend(p: { phi: number }, trendState: number): number {
  return p.phi * trendState;
}

/** Fit a model type to `train` (forecasts clamped at 0 when `nonNegative`). */
function fitModel(
  type: ModelType,
  train: readonly number[],
  period: number,
  nonNegative: boolean,
  thetaSeasonal: boolean,
  yearlyInput: readonly number[] = train,
): FittedModel {
  const clamp = (xs: number[]): number[] => (nonNegative ? xs.map((v) => Math.max(0, v)) : xs);
  switch (type) {
    case 'ets': {
      const ets = fitEts(train, { period });
      return { forecast: (h) => clamp(ets.forecast(h)), withYearly: () => null, params: { ets: ets.params }, trend: etsTrend(ets.params, ets.trendState) };
    }
    case 'theta': {
      const theta = fitTheta(train, { period, seasonal: thetaSeasonal });
      return { forecast: (h) => clamp(theta.forecast(h)), withYearly: () => null, params: { theta: theta.params }, trend: theta.params.drift };
    }
    case 'seasonal_naive':
      return {
        forecast: (h) => clamp(seasonalNaive(train, h, period) ?? new Array<number>(h).fill(train[train.length - 1])),
        withYearly: () => null,
        params: {},
        trend: 0,
      };
    case 'damped_trend_fallback': {
      const ets = fitEts(train, { period: 0 });
      return { forecast: (h) => clamp(ets.forecast(h)), withYearly: () => null, params: { ets: ets.params }, trend: etsTrend(ets.params, ets.trendState) };
    }
    default: {
      const ets = fitEts(train, { period });
      const theta = fitTheta(train, { period, seasonal: thetaSeasonal });
      const w = ENSEMBLE_WEIGHTS;
      const base = (h: number): number[] => {
        const t = theta.forecast(h);
        return ets.forecast(h).map((v, i) => w.ets * v + w.theta * t[i]);
      };
      return {
        forecast: (h) => clamp(base(h)),
        withYearly: (h) => {
          // The growth reference needs the first 28 forecast days, whatever the horizon.
          const reference = base(Math.max(h, 28));
          const component = yearlyInput.length >= YEAR_LAG ? yearlyComponent(yearlyInput, h, period, reference) : null;
          if (!component) return null;
          const values = component.values.map((v, i) => (1 - YEARLY_WEIGHT) * reference[i] + YEARLY_WEIGHT * v);
          return { values: clamp(values), component };
        },
        params: { ets: ets.params, theta: theta.params, weights: { ...w } },
        trend: w.ets * etsTrend(ets.params, ets.trendState) + w.theta * theta.params.drift,
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
 * approximation is used when the backtest has < 2 origins or < 10 errors. Short histories: a
 * 6-origin backtest with a shorter horizon when the accuracy backtest has < 3 origins, the anomalous
 * tail from every anomalous day of the series (≤ 6 origins), bands widened for few origins. See
 * intervals.ts and the README.
 *
 * @throws Error naming the bad value for a non-positive horizon, non-finite values, unsorted or
 *   duplicate dates, invalid dates, and missing days (unless `fillMissing: true`, which fills 0).
 */
export function forecast(series: readonly SeriesPoint[], options: ForecastOptions): ForecastResult {
  validateOptions(options);
  const {
    horizon,
    levels = [],
    model = 'ensemble',
    fillMissing = false,
    nonNegative = true,
    period = 7,
    maxOrigins = 12,
    originStep = 7,
    yearly = 'auto',
    fitValues,
  } = options;
  const { dates, values: y, filled } = toDailySeries(series, { fillMissing });
  const n = y.length;
  const fitY = fitValues ? [...fitValues] : y;
  if (fitY.length !== n || fitY.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new Error(`fitValues must hold ${n} finite numbers (one per day of the series), got ${fitValues?.length ?? 0}`);
  }
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
      explanation: {
        method: 'no forecast (fewer than 2 days)',
        trend_per_day: 0,
        weekly_strength: 0,
        yearly_used: false,
        yearly_reason: `less than a year of history (${n} < ${YEAR_LAG} days)`,
        backtest_mase: null,
        baseline_mase: null,
      },
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
    thetaSeasonal = n < 3 * period || isSeasonal(fitY, period);
    if (n < 3 * period) notes.push(`fewer than ${3 * period} points: weekly seasonality assumed for Theta (test underpowered)`);
  }
  // The yearly component (ensemble only) is tried wherever a backtest origin has a year of training.
  const tryYearly = type === 'ensemble' && yearly !== false && n >= YEAR_LAG;
  const yearlyForecasts: (number[] | null)[] = [];
  const yearlyY = tryYearly ? yearlyInput(y, fitY) : y;
  const forecaster: Forecaster = (train, h) => {
    const m = fitModel(type, train, period, nonNegative, thetaSeasonal, yearlyY.slice(0, train.length));
    yearlyForecasts.push(tryYearly ? (m.withYearly(h)?.values ?? null) : null);
    return m.forecast(h);
  };

  // Full fit (on the fit values: anomaly-cleaned when given).
  const fitted = fitModel(type, fitY, period, nonNegative, thetaSeasonal, yearlyY);
  const params: ForecastParams = { period, ...fitted.params, interval_method: 'empirical' };
  let predicted = fitted.forecast(horizon);

  // Backtest: trained on the fit values, scored on the series' own values.
  const seasonalModel = type !== 'damped_trend_fallback';
  const minTrain =
    type === 'seasonal_naive'
      ? Math.max(period, Math.min(4 * period, Math.floor(n / 2)))
      : seasonalModel
        ? Math.max(2 * period, Math.min(4 * period, Math.floor(n / 2)))
        : Math.max(3, Math.floor(n / 2));
  let bt = rollingOrigin(y, forecaster, { horizon, minTrain, step: originStep, maxOrigins, period, fit: fitY });

  // Yearly component: chosen by backtest when ≥ MIN_YEARLY_ORIGINS origins have a year of training
  // (used unless its absolute error is larger), otherwise used whenever a year of history exists.
  let yearlyUsed = false;
  let yearlyInfo: YearlyComponent | null = null;
  let yearlyReason =
    type !== 'ensemble' ? `not part of the ${type} model` : yearly === false ? 'turned off' : `less than a year of history (${n} < ${YEAR_LAG} days)`;
  if (tryYearly) {
    const full = fitted.withYearly(horizon);
    const withY = yearlyForecasts.map((f, k) => (f ? k : -1)).filter((k) => k >= 0);
    if (!full) yearlyReason = 'last year cannot be used as a profile (negative values, all zero, or a level more than 3× away from the current one)';
    else if (yearly === true) {
      yearlyUsed = true;
      yearlyReason = 'requested';
    } else if (withY.length >= MIN_YEARLY_ORIGINS) {
      let errWith = 0;
      let errWithout = 0;
      for (const k of withY) {
        for (let s2 = 0; s2 < bt.horizon; s2++) {
          errWith += Math.abs(bt.actuals[k][s2] - yearlyForecasts[k]![s2]);
          errWithout += Math.abs(bt.actuals[k][s2] - bt.forecasts[k][s2]);
        }
      }
      yearlyUsed = errWith <= errWithout;
      yearlyReason = `backtest on ${withY.length} origins with a year of training: MAE ${fmt(errWith / (withY.length * bt.horizon))} with, ${fmt(errWithout / (withY.length * bt.horizon))} without`;
    } else {
      yearlyUsed = true;
      yearlyReason = `a year of history (too short to backtest the yearly component: ${withY.length} origin(s) with a year of training)`;
    }
    if (yearlyUsed && full) {
      predicted = full.values;
      yearlyInfo = full.component;
      // Backtest forecasts where the yearly component was available are the combined ones.
      const forecasts = bt.forecasts.map((f, k) => yearlyForecasts[k] ?? f);
      bt = { ...bt, forecasts, ...rescore(bt.actuals, forecasts) };
    }
  }
  if (bt.origins.length === 0) notes.push('history too short for a backtest: accuracy not available');
  else if (bt.horizon < horizon) notes.push(`backtest horizon shortened to ${bt.horizon} days by the history length`);
  if (bt.skippedZeroActuals > 0) notes.push(`MAPE skips ${bt.skippedZeroActuals} zero actual(s) of the backtest`);
  if (yearlyUsed) {
    params.yearly = { weight: YEARLY_WEIGHT, lag: YEAR_LAG, growth: yearlyInfo!.growth, detail: yearlyInfo!.detail };
    notes.push(`yearly component used (${yearlyReason})`);
  }

  // Intervals. A short history leaves the accuracy backtest with fewer than MIN_BACKTEST_ORIGINS
  // origins (its horizon may not drop below half the requested one): the errors then come from a
  // backtest with a shorter horizon on INTERVAL_ORIGINS origins INTERVAL_ORIGIN_STEP days apart
  // (grown with √(s/H) beyond it), so the bands do not hang on one or two windows.
  let ibt = bt;
  if (!yearlyUsed && bt.origins.length < MIN_BACKTEST_ORIGINS) {
    const h = Math.min(horizon, n - minTrain - INTERVAL_ORIGIN_STEP * (INTERVAL_ORIGINS - 1));
    if (h >= MIN_INTERVAL_HORIZON) {
      ibt = rollingOrigin(y, forecaster, {
        horizon: h,
        minTrain,
        step: INTERVAL_ORIGIN_STEP,
        maxOrigins: INTERVAL_ORIGINS,
        period,
        fit: fitY,
        minOrigins: INTERVAL_ORIGINS,
      });
    }
  }
  const allLevels = [...new Set([...FIXED_LEVELS, ...levels])];
  let bands: StepQuantiles[];
  if (ibt.origins.length >= 2 && ibt.origins.length * ibt.horizon >= MIN_EMPIRICAL_ERRORS) {
    bands = widenBands(
      empiricalBands(ibt, horizon, allLevels, { anomalies: ibt.origins.length <= MAX_MIXTURE_ORIGINS ? anomalyDeviations(y, fitY) : undefined }),
      1 + FEW_ORIGINS_WIDENING * Math.max(0, 1 / ibt.origins.length - 1 / maxOrigins),
    );
    if (ibt !== bt)
      notes.push(
        `intervals from a ${ibt.horizon}-day backtest on ${ibt.origins.length} origins ${INTERVAL_ORIGIN_STEP} days apart (history too short for more origins at the full horizon)`,
      );
  } else {
    params.interval_method = 'normal_approx';
    notes.push('intervals from a normal approximation (backtest too small for empirical quantiles)');
    bands = normalBands(naiveRelativeSigma(y, type === 'damped_trend_fallback' ? 1 : period, fitY), horizon, allLevels);
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

  const explanation: ForecastExplanation = {
    method: describe(type, yearlyUsed),
    trend_per_day: fitted.trend,
    weekly_strength: weeklyStrength(fitY, period),
    yearly_used: yearlyUsed,
    yearly_reason: yearlyReason,
    backtest_mase: mase(bt.actuals, bt.forecasts, y, period),
    baseline_mase: bt.baseline.every((b) => b !== null) ? mase(bt.actuals, bt.baseline as number[][], y, period) : null,
  };

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
    explanation,
  };
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/**
 * Values last year's profile is taken from: the observed series, so recurring calendar effects
 * (holidays, year-end dips) are kept, except days that `fitValues` changed (anomalies) and that are
 * shown to be one-off: a year earlier (±1 day, as fixed-date holidays move by a weekday) the fit
 * values did not change the series in the same direction. Only the past is looked at, so backtest
 * origins see the same values they would have seen then. With a single year the check is
 * impossible and the observed values are kept.
 */
function yearlyInput(y: readonly number[], fit: readonly number[]): number[] {
  const dir = (t: number): number => (t >= 0 && t < y.length ? Math.sign(y[t] - fit[t]) : 0);
  return y.map((v, t) => {
    const d = dir(t);
    if (d === 0 || t < YEAR_LAG + 1) return v;
    const recurs = [-1, 0, 1].some((k) => dir(t - YEAR_LAG + k) === d);
    return recurs ? v : fit[t];
  });
}

/**
 * Per day: (observed − fit value) ÷ the relative-error denominator (fit value, floored at
 * SCALE_FLOOR × the mean |value| of the last 28 days) where the fit values changed the series
 * (anomaly-cleaned days), else 0. The anomalous tail of the prediction bands (see empiricalBands).
 */
function anomalyDeviations(y: readonly number[], fit: readonly number[]): number[] {
  const scale = mean(y.slice(-28).map(Math.abs));
  return y.map((v, t) => (v === fit[t] ? 0 : relativeError(v, fit[t], scale)));
}

/** MAPE/sMAPE of backtest forecasts (after the yearly component replaced some). */
function rescore(actuals: number[][], forecasts: number[][]): Pick<BacktestResult, 'mape' | 'smape' | 'skippedZeroActuals'> {
  const a = accuracy(actuals.flat(), forecasts.flat());
  return { mape: a.mape, smape: a.smape, skippedZeroActuals: a.skippedZeroActuals };
}

/** MASE: mean absolute backtest error ÷ in-sample MAE of the seasonal naive (lag `period`) over the whole series. */
function mase(actuals: number[][], forecasts: number[][], y: readonly number[], period: number): number | null {
  const flatA = actuals.flat();
  const flatF = forecasts.flat();
  if (flatA.length === 0 || y.length <= period) return null;
  let scale = 0;
  for (let t = period; t < y.length; t++) scale += Math.abs(y[t] - y[t - period]);
  scale /= y.length - period;
  if (!(scale > 0)) return null;
  let e = 0;
  flatA.forEach((a, i) => (e += Math.abs(a - flatF[i])));
  return e / flatA.length / scale;
}

/**
 * Strength of the weekly pattern in [0, 1] (Wang, Smith & Hyndman 2006): 1 − Var(remainder) ÷
 * Var(seasonal + remainder) of the classical additive decomposition; 0 below two weeks.
 */
function weeklyStrength(y: readonly number[], period: number): number {
  if (y.length < 2 * period) return 0;
  const { trend, indices } = classicalDecomposition(y, period, 'additive');
  const rem: number[] = [];
  const sr: number[] = [];
  y.forEach((v, t) => {
    if (!Number.isFinite(trend[t])) return;
    rem.push(v - trend[t] - indices[t % period]);
    sr.push(v - trend[t]);
  });
  const variance = (xs: number[]): number => {
    const m = mean(xs);
    return xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
  };
  const vsr = variance(sr);
  return vsr > 0 ? Math.min(1, Math.max(0, 1 - variance(rem) / vsr)) : 0;
}

/** One-line description of the method, for the chart's explanation. */
function describe(type: ModelType, yearlyUsed: boolean): string {
  const names: Record<ModelType, string> = {
    ensemble: 'ensemble of damped Holt-Winters (ETS) and Theta, weekly seasonality',
    ets: 'damped Holt-Winters (ETS), weekly seasonality',
    theta: 'Theta method, weekly seasonality',
    seasonal_naive: 'seasonal naive (same weekday last week)',
    damped_trend_fallback: 'damped trend without seasonality (less than two weeks of history)',
    insufficient_data: 'no forecast (fewer than 2 days)',
  };
  return yearlyUsed ? `${names[type]}, combined with last year's profile` : names[type];
}
