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
 * Empirical prediction bands from a rolling-origin backtest. For each step s the relative errors
 * of all origins at steps s−w..s+w are pooled (w chosen so a pool holds ≥ `minSamples` errors),
 * and the (1−level)/2 and (1+level)/2 quantiles are taken. Beyond the backtested horizon H the
 * step-H quantiles are scaled by sqrt(s/H). Shape rules of `enforceShape` are then applied.
 */
export function empiricalBands(bt: BacktestResult, horizon: number, levels: readonly number[], { minSamples = 40 } = {}): StepQuantiles[] {
  const H = bt.horizon;
  const errors: number[][] = Array.from({ length: H }, () => []);
  bt.origins.forEach((_, k) => {
    for (let s = 0; s < H; s++) errors[s].push(relativeError(bt.actuals[k][s], bt.forecasts[k][s], bt.scales[k]));
  });
  const w = Math.min(H - 1, Math.max(0, Math.ceil((minSamples / Math.max(1, bt.origins.length) - 1) / 2)));
  const at = (s: number, p: number): number => {
    const pool: number[] = [];
    for (let j = Math.max(0, s - w); j <= Math.min(H - 1, s + w); j++) pool.push(...errors[j]);
    return quantile(pool, p);
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
 */
export function naiveRelativeSigma(y: readonly number[], lag = 1): number {
  const k = y.length >= lag + 2 ? lag : 1;
  if (y.length <= k) return 0;
  const scale = mean(y.map(Math.abs));
  let s = 0;
  for (let t = k; t < y.length; t++) s += relativeError(y[t], y[t - k], scale) ** 2;
  return Math.sqrt(s / (y.length - k));
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
