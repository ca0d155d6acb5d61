/** Kind of seasonal decomposition. */
export type SeasonalType = 'multiplicative' | 'additive';

/** Result of {@link classicalDecomposition}. */
export interface Decomposition {
  /** Centred moving-average trend (NaN where the window does not fit). */
  trend: number[];
  /** Seasonal indices by position `t mod period`: ratios with mean 1, or differences with mean 0. */
  indices: number[];
}

/**
 * Centred moving average of length `period` (a 2×period MA when `period` is even), as in
 * classical decomposition. Entries whose window leaves the series are NaN.
 */
export function centredMovingAverage(y: readonly number[], period: number): number[] {
  const n = y.length;
  const out = new Array<number>(n).fill(Number.NaN);
  const half = Math.floor(period / 2);
  const even = period % 2 === 0;
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (even) {
      s += 0.5 * (y[t - half] + y[t + half]);
      for (let k = -half + 1; k < half; k++) s += y[t + k];
    } else {
      for (let k = -half; k <= half; k++) s += y[t + k];
    }
    out[t] = s / period;
  }
  return out;
}

/**
 * Classical decomposition (as R's `decompose`): centred-MA trend, seasonal index per position
 * `t mod period` = mean of the detrended values (y/trend or y−trend) at that position,
 * normalised to mean 1 (multiplicative) or 0 (additive). Needs at least two full periods.
 */
export function classicalDecomposition(y: readonly number[], period: number, type: SeasonalType): Decomposition {
  const trend = centredMovingAverage(y, period);
  const sums = new Array<number>(period).fill(0);
  const counts = new Array<number>(period).fill(0);
  y.forEach((v, t) => {
    const tr = trend[t];
    if (!Number.isFinite(tr)) return;
    if (type === 'multiplicative' && tr === 0) return;
    sums[t % period] += type === 'multiplicative' ? v / tr : v - tr;
    counts[t % period]++;
  });
  const neutral = type === 'multiplicative' ? 1 : 0;
  const raw = sums.map((s, i) => (counts[i] > 0 ? s / counts[i] : neutral));
  const avg = raw.reduce((a, b) => a + b, 0) / period;
  const indices = type === 'multiplicative' ? raw.map((r) => (avg !== 0 ? r / avg : 1)) : raw.map((r) => r - avg);
  return { trend, indices };
}
