import { classicalDecomposition } from './decompose.js';
import { nelderMead } from './nelder-mead.js';
import { linearFit, logistic, logit, mean } from './stats.js';
import type { ThetaParams } from './types.js';

/** Options of {@link fitTheta}. */
export interface ThetaOptions {
  /** Seasonal period. Default 7. */
  period?: number;
  /** Fix the SES smoothing parameter instead of fitting it (useful for hand checks). */
  alpha?: number;
  /** Override the seasonality test ({@link isSeasonal}): true/false forces (no) seasonal adjustment. */
  seasonal?: boolean;
}

/** A fitted Theta model. */
export interface ThetaModel {
  params: ThetaParams;
  /** Point forecasts for steps 1..horizon after the last observation. */
  forecast(horizon: number): number[];
}

/**
 * Seasonality test used by R's `forecast::thetaf`: the lag-`period` autocorrelation is
 * significant at 90% (two-sided) under Bartlett's variance sqrt((1 + 2 Σ_{k<m} r_k²) / n).
 */
export function isSeasonal(y: readonly number[], period: number): boolean {
  const n = y.length;
  if (period < 2 || n < 2 * period) return false;
  const ybar = mean(y);
  let denom = 0;
  for (const v of y) denom += (v - ybar) ** 2;
  if (denom <= 0) return false;
  const acf = (k: number): number => {
    let s = 0;
    for (let t = k; t < n; t++) s += (y[t] - ybar) * (y[t - k] - ybar);
    return s / denom;
  };
  let sum = 0;
  for (let k = 1; k < period; k++) sum += acf(k) ** 2;
  const se = Math.sqrt((1 + 2 * sum) / n);
  return Math.abs(acf(period)) / se > 1.6448536269514722;
}

/** SES one-step SSE and final level with l = x_0 after the first observation. */
function ses(x: readonly number[], alpha: number): { sse: number; level: number } {
  let level = x[0];
  let sse = 0;
  for (let t = 1; t < x.length; t++) {
    const e = x[t] - level;
    sse += e * e;
    level += alpha * e;
  }
  return { sse, level };
}

/**
 * Theta method (Assimakopoulos & Nikolopoulos 2000) in its standard form (Hyndman & Billah 2003,
 * as R's `thetaf`): if the series passes {@link isSeasonal} (or `seasonal: true`; either way at
 * least two periods are needed), it is seasonally adjusted by
 * classical decomposition (multiplicative when all values are > 0, else additive); simple
 * exponential smoothing (level initialised at the first value, α fitted by SSE unless given) is
 * combined with half the OLS slope b of the adjusted series:
 *   ŷ(n+h) = ℓ_n + (b/2)·(h − 1 + (1 − (1−α)ⁿ)/α),
 * then reseasonalised with the index of the target position.
 */
export function fitTheta(y: readonly number[], { period = 7, alpha: fixedAlpha, seasonal }: ThetaOptions = {}): ThetaModel {
  const n = y.length;
  if (n < 2) throw new Error(`fitTheta needs at least 2 observations, got ${n}`);
  let seasonality: ThetaParams['seasonality'] = 'none';
  let indices: number[] = [];
  let adjusted = [...y];
  if (n >= 2 * period && period >= 2 && (seasonal ?? isSeasonal(y, period))) {
    seasonality = y.every((v) => v > 0) ? 'multiplicative' : 'additive';
    indices = classicalDecomposition(y, period, seasonality).indices;
    adjusted = y.map((v, t) => (seasonality === 'multiplicative' ? v / indices[t % period] : v - indices[t % period]));
  }
  let alpha = fixedAlpha ?? 0;
  if (fixedAlpha === undefined) {
    const lo = 1e-4;
    const hi = 0.9999;
    const opt = nelderMead((x) => ses(adjusted, logistic(x[0], lo, hi)).sse, [logit(0.5, lo, hi)], { maxEvaluations: 100 });
    alpha = logistic(opt.x[0], lo, hi);
  }
  if (!(alpha > 0 && alpha <= 1)) throw new Error(`Theta alpha must be in (0, 1], got ${alpha}`);
  const { level } = ses(adjusted, alpha);
  const drift = linearFit(adjusted).slope / 2;
  const start = (1 - (1 - alpha) ** n) / alpha;

  return {
    params: { alpha, drift, seasonality, indices, level },
    forecast(horizon: number): number[] {
      return Array.from({ length: horizon }, (_, i) => {
        const v = level + drift * (i + start);
        if (seasonality === 'none') return v;
        const idx = indices[(n + i) % period];
        return seasonality === 'multiplicative' ? v * idx : v + idx;
      });
    },
  };
}
