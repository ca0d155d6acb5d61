import { accuracy } from './accuracy.js';
import { seasonalNaive } from './seasonal-naive.js';
import { mean } from './stats.js';

/** A forecasting function: training values → forecasts for steps 1..horizon. */
export type Forecaster = (train: readonly number[], horizon: number) => number[];

/** Options of {@link rollingOrigin}. */
export interface BacktestOptions {
  /** Requested horizon h. */
  horizon: number;
  /** Minimum training length at any origin. */
  minTrain: number;
  /** Days between consecutive origins. Default 7. */
  step?: number;
  /** Maximum number of origins (the most recent ones are kept). Default 12. */
  maxOrigins?: number;
  /** Shorten the evaluated horizon (if needed) so that at least this many origins fit. Default 3. */
  minOrigins?: number;
  /** Seasonal period of the seasonal-naive baseline. Default 7. */
  period?: number;
  /**
   * Values the forecaster is trained on instead of `y` (same length; e.g. anomaly-cleaned). Actuals,
   * errors and the seasonal-naive baseline always use `y`. Default `y`.
   */
  fit?: readonly number[];
}

/** Result of {@link rollingOrigin}. */
export interface BacktestResult {
  /** Training lengths (origins), ascending. */
  origins: number[];
  /** Horizon actually evaluated (≤ requested). */
  horizon: number;
  /** Per origin: model forecasts, actuals and seasonal-naive forecasts for steps 1..horizon. */
  forecasts: number[][];
  actuals: number[][];
  baseline: (number[] | null)[];
  /** Per origin: mean |value| of the last 28 training days (scale for relative errors). */
  scales: number[];
  mape: number | null;
  smape: number | null;
  baselineMape: number | null;
  baselineSmape: number | null;
  /** Actuals equal to 0 that MAPE skipped. */
  skippedZeroActuals: number;
}

/**
 * Choose rolling origins (training lengths). The evaluated horizon H is the requested one unless
 * the history cannot hold `minOrigins` origins `step` days apart with ≥ `minTrain` training days;
 * then H is shortened, but not below half the requested horizon (fewer origins are used instead),
 * and as a last resort a single origin with whatever horizon fits. The last origin ends exactly H
 * days before the end, earlier ones every `step` days, at most `maxOrigins`.
 */
export function chooseOrigins(
  n: number,
  { horizon, minTrain, step = 7, maxOrigins = 12, minOrigins = 3 }: BacktestOptions,
): { origins: number[]; horizon: number } {
  let h = 0;
  for (let k = Math.max(1, minOrigins); k >= 1 && h === 0; k--) {
    const fit = Math.min(horizon, n - minTrain - step * (k - 1));
    if (fit >= Math.ceil(horizon / 2)) h = fit;
  }
  if (h === 0) h = Math.max(0, Math.min(horizon, n - minTrain));
  if (h < 1) return { origins: [], horizon: 0 };
  const origins: number[] = [];
  for (let o = n - h; o >= minTrain && origins.length < maxOrigins; o -= step) origins.unshift(o);
  return { origins, horizon: h };
}

/**
 * Rolling-origin backtest: at each origin o (see {@link chooseOrigins}) the forecaster is refitted
 * on y[0..o) and forecasts h steps, compared with y[o..o+h). Reports MAPE/sMAPE (percent) pooled
 * over all origins and steps 1..h, for the model and for the seasonal-naive baseline on the same
 * origins. MAPE skips zero actuals.
 */
export function rollingOrigin(y: readonly number[], forecaster: Forecaster, options: BacktestOptions): BacktestResult {
  const { period = 7, fit = y } = options;
  if (fit.length !== y.length) throw new Error(`fit values must have the series' length ${y.length}, got ${fit.length}`);
  const { origins, horizon } = chooseOrigins(y.length, options);
  const forecasts: number[][] = [];
  const actuals: number[][] = [];
  const baseline: (number[] | null)[] = [];
  const scales: number[] = [];
  for (const o of origins) {
    const train = y.slice(0, o);
    forecasts.push(forecaster(fit.slice(0, o), horizon));
    actuals.push(y.slice(o, o + horizon));
    baseline.push(seasonalNaive(train, horizon, period));
    scales.push(mean(train.slice(-28).map(Math.abs)));
  }
  const flatA = actuals.flat();
  const model = accuracy(flatA, forecasts.flat());
  const withBase = baseline.every((b) => b !== null) && origins.length > 0;
  const base = withBase ? accuracy(flatA, (baseline as number[][]).flat()) : null;
  return {
    origins,
    horizon,
    forecasts,
    actuals,
    baseline,
    scales,
    mape: model.mape,
    smape: model.smape,
    baselineMape: base?.mape ?? null,
    baselineSmape: base?.smape ?? null,
    skippedZeroActuals: model.skippedZeroActuals,
  };
}
