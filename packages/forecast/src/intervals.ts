import type { BacktestResult } from './backtest.js';
import { mean, normalQuantile, quantile } from './stats.js';

/** Share of the recent mean |value| used as a floor for relative-error denominators. */
export const SCALE_FLOOR = 0.05;

/** Relative quantiles per step (index 0 = step 1) for one central level. */
export interface StepQuantiles {
  level: number;
  lower: number[];
  upper: number[];
}

/** Relative forecast error (actual − forecast) / max(|forecast|, SCALE_FLOOR·scale). */
export function relativeError(actual: number, forecast: number, scale: number): number {
  const d = Math.max(Math.abs(forecast), SCALE_FLOOR * scale);
  return d > 0 ? (actual - forecast) / d : 0;
}

/**
 * Make bands usable: relative quantiles widen monotonically with the step (running min of the
 * lower, running max of the upper), always contain 0 (the point forecast) and are nested across
 * levels (a wider level never lies inside a narrower one).
 */
function enforceShape(bands: StepQuantiles[]): StepQuantiles[] {
  const sorted = [...bands].sort((a, b) => a.level - b.level);
  sorted.forEach((b, k) => {
    for (let s = 0; s < b.lower.length; s++) {
      b.lower[s] = Math.min(b.lower[s], 0, s > 0 ? b.lower[s - 1] : 0, k > 0 ? sorted[k - 1].lower[s] : 0);
      b.upper[s] = Math.max(b.upper[s], 0, s > 0 ? b.upper[s - 1] : 0, k > 0 ? sorted[k - 1].upper[s] : 0);
    }
  });
  return bands;
}

/**
 * Quantile with weights: the i-th smallest value sits at position (weight below it) ÷ (total weight −
 * weight of the largest), linear in between; with equal weights this is {@link quantile}.
 */
export function weightedQuantile(values: readonly number[], weights: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const order = values.map((v, i) => ({ v, w: weights[i] })).sort((a, b) => a.v - b.v);
  const total = order.reduce((a, x) => a + x.w, 0) - order[order.length - 1].w;
  if (!(total > 0)) return order[order.length - 1].v;
  const target = Math.min(1, Math.max(0, p)) * total;
  let below = 0;
  for (let i = 0; i < order.length - 1; i++) {
    const next = below + order[i].w;
    if (target <= next) return order[i].v + (order[i + 1].v - order[i].v) * (order[i].w > 0 ? (target - below) / order[i].w : 0);
    below = next;
  }
  return order[order.length - 1].v;
}

/** Options of {@link empiricalBands}. */
export interface EmpiricalBandOptions {
  /** Fewest errors per pool. Default 40. */
  minSamples?: number;
  /**
   * Per day of the series (index = training length + step − 1, i.e. the backtest's day index): the
   * relative deviation of an anomalous day from its expectation, (observed − fit value) ÷ the
   * relative-error denominator; 0 for a day without anomaly. See {@link empiricalBands}.
   */
  anomalies?: readonly number[];
}

/**
 * Empirical prediction bands from a rolling-origin backtest. For each step s the relative errors
 * of all origins at steps s−w..s+w are pooled (w chosen so a pool holds ≥ `minSamples` errors),
 * and the (1−level)/2 and (1+level)/2 quantiles are taken. Beyond the backtested horizon H the
 * step-H quantiles are scaled by sqrt(s/H). Shape rules of `enforceShape` are then applied.
 *
 * With `anomalies` (a share π of the days is anomalous), a pool is a mixture: its errors on days
 * without anomaly weigh 1 − π in all, and the deviations of every anomalous day of the series weigh
 * π (equally). A short backtest's overlapping windows otherwise see one outage again and again (the
 * lower band pinned at 0) and miss the spikes that came before them (no upper tail): the tails now
 * follow how often, and how far, the series has left its expectation, on both sides.
 */
export function empiricalBands(
  bt: BacktestResult,
  horizon: number,
  levels: readonly number[],
  { minSamples = 40, anomalies }: EmpiricalBandOptions = {},
): StepQuantiles[] {
  const H = bt.horizon;
  const errors: number[][] = Array.from({ length: H }, () => []);
  const normal: boolean[][] = Array.from({ length: H }, () => []);
  bt.origins.forEach((o, k) => {
    for (let s = 0; s < H; s++) {
      errors[s].push(relativeError(bt.actuals[k][s], bt.forecasts[k][s], bt.scales[k]));
      normal[s].push(!anomalies?.[o + s]);
    }
  });
  const deviations = (anomalies ?? []).filter((v) => v !== 0 && Number.isFinite(v));
  const pi = deviations.length > 0 ? deviations.length / anomalies!.length : 0;
  const w = Math.min(H - 1, Math.max(0, Math.ceil((minSamples / Math.max(1, bt.origins.length) - 1) / 2)));
  const at = (s: number, p: number): number => {
    const pool: number[] = [];
    for (let j = Math.max(0, s - w); j <= Math.min(H - 1, s + w); j++) {
      errors[j].forEach((e, i) => {
        if (pi === 0 || normal[j][i]) pool.push(e);
      });
    }
    if (pi === 0 || pool.length === 0) return quantile(pool.length > 0 ? pool : errors.flat(), p);
    const weights = [...pool.map(() => (1 - pi) / pool.length), ...deviations.map(() => pi / deviations.length)];
    return weightedQuantile([...pool, ...deviations], weights, p);
  };
  return enforceShape(
    levels.map((level) => {
      const lo = (1 - level) / 2;
      const hi = (1 + level) / 2;
      const lowerH = Array.from({ length: H }, (_, s) => at(s, lo));
      const upperH = Array.from({ length: H }, (_, s) => at(s, hi));
      const lower: number[] = [];
      const upper: number[] = [];
      for (let s = 0; s < horizon; s++) {
        const grow = s < H ? 1 : Math.sqrt((s + 1) / H);
        lower.push(lowerH[Math.min(s, H - 1)] * grow);
        upper.push(upperH[Math.min(s, H - 1)] * grow);
      }
      return { level, lower, upper };
    }),
  );
}

/**
 * Scale relative bands by `factor` ≥ 1. A lower quantile is not pushed below −1 (an actual of 0)
 * unless it already was; order across steps and levels is kept.
 */
export function widenBands(bands: readonly StepQuantiles[], factor: number): StepQuantiles[] {
  if (!(factor > 1)) return [...bands];
  return bands.map((b) => ({
    level: b.level,
    lower: b.lower.map((v) => Math.max(v * factor, Math.min(v, -1))),
    upper: b.upper.map((v) => v * factor),
  }));
}

/**
 * Fallback bands when the backtest is too small: Gaussian relative errors with σ₁ =
 * {@link naiveRelativeSigma} of the history, growing like a random walk (σ₁·sqrt(s)).
 */
export function normalBands(sigma1: number, horizon: number, levels: readonly number[]): StepQuantiles[] {
  return enforceShape(
    levels.map((level) => {
      const z = normalQuantile((1 + level) / 2);
      const upper = Array.from({ length: horizon }, (_, s) => z * sigma1 * Math.sqrt(s + 1));
      return { level, lower: upper.map((u) => -u), upper };
    }),
  );
}

/**
 * Root-mean-square relative error of the (seasonal) naive forecast y(t−lag) over the history:
 * lag = period for seasonal models (falls back to 1 when fewer than two seasonal differences exist).
 * The naive forecast is taken from `fit` (e.g. anomaly-cleaned values, as the model is fitted on
 * them), the actuals from `y`: an outage day must not become the denominator of next week's error.
 * Days whose fit value differs from the observed one (anomalies) are left out as actuals too: one
 * spike in a month of history would otherwise set σ for every day (the Gaussian has no tail for it).
 */
export function naiveRelativeSigma(y: readonly number[], lag = 1, fit: readonly number[] = y): number {
  const k = y.length >= lag + 2 ? lag : 1;
  if (y.length <= k) return 0;
  const scale = mean(y.map(Math.abs));
  let s = 0;
  let count = 0;
  for (let t = k; t < y.length; t++) {
    if (y[t] !== fit[t]) continue;
    s += relativeError(y[t], fit[t - k], scale) ** 2;
    count++;
  }
  return count > 0 ? Math.sqrt(s / count) : 0;
}

/**
 * Turn relative quantiles into absolute bounds around the point forecasts:
 * bound = predicted + q · max(|predicted|, SCALE_FLOOR·scale), clamped at 0 when `nonNegative`.
 */
export function applyBand(predicted: readonly number[], q: StepQuantiles, scale: number, nonNegative: boolean): { lower: number[]; upper: number[] } {
  const clamp = (v: number): number => (nonNegative ? Math.max(0, v) : v);
  const unit = predicted.map((p) => Math.max(Math.abs(p), SCALE_FLOOR * scale));
  return {
    lower: predicted.map((p, s) => clamp(p + q.lower[s] * unit[s])),
    upper: predicted.map((p, s) => clamp(p + q.upper[s] * unit[s])),
  };
}
