import { toDailySeries } from './series.js';
import { mad, median } from './stats.js';
import type { AnomalyOptions, AnomalyPoint, SeriesPoint } from './types.js';

/**
 * Rolling median over `window` consecutive values, leaving out the value at the centre
 * (leave-one-out: a day never supports its own expectation, so an outlier cannot mask itself and
 * residuals are not shrunk towards 0). Near the ends the window is shifted, not shrunk, so it
 * always spans min(window, n) days — for a multiple of the period every weekday stays equally
 * represented. NaN entries are ignored.
 */
export function rollingMedian(y: readonly number[], window: number): number[] {
  const n = y.length;
  const w = Math.max(1, Math.min(window, n));
  const half = Math.floor(w / 2);
  return y.map((_, t) => {
    const start = Math.min(Math.max(0, t - half), n - w);
    const others: number[] = [];
    for (let j = start; j < start + w; j++) if (j !== t && !Number.isNaN(y[j])) others.push(y[j]);
    return median(others.length > 0 ? others : [y[t]]);
  });
}

/**
 * Replace the `half` values at each end of a centred rolling-median trend (where the window was
 * shifted, so the trend lags) by a linear extrapolation from the first/last centred value, with
 * the slope between centred values `baseline` days apart (independent windows, so a stable slope).
 */
function extrapolateEnds(trend: number[], half: number, baseline: number): number[] {
  const n = trend.length;
  if (half < 1 || n < 2 * half + 1 + baseline) return trend;
  const out = [...trend];
  const a = half;
  const b = n - 1 - half;
  const slopeStart = (trend[a + baseline] - trend[a]) / baseline;
  const slopeEnd = (trend[b] - trend[b - baseline]) / baseline;
  for (let t = 0; t < a; t++) out[t] = trend[a] + slopeStart * (t - a);
  for (let t = b + 1; t < n; t++) out[t] = trend[b] + slopeEnd * (t - b);
  return out;
}

/** Share of the median |value| below which residuals are not divided by the expectation. */
const DENOMINATOR_FLOOR = 0.1;

/** Scaled residuals and the ones informative about the noise scale. */
interface Residuals {
  z: number[];
  informative: number[];
}

/**
 * Relative residuals (value − expected) / max(|expected|, 0.1·median|value|): noise that grows with
 * the level. Days that are 0 and expected 0 carry no information on the noise scale.
 */
function relativeResiduals(y: readonly number[], expected: readonly number[]): Residuals {
  const typical = median(y.map(Math.abs)) || y.reduce((a, v) => a + Math.abs(v), 0) / y.length;
  const z = y.map((v, t) => {
    const d = Math.max(Math.abs(expected[t]), DENOMINATOR_FLOOR * typical);
    return d > 0 ? (v - expected[t]) / d : 0;
  });
  return { z, informative: z.filter((_, t) => !(y[t] === 0 && expected[t] === 0)) };
}

/**
 * Count residuals on the square-root scale (Anscombe): z = 2(√(value + 3/8) − √(e + 3/8)), of variance
 * ≈ 1 for Poisson counts whatever their level, divided by sd = √(1 + κ·e) for overdispersion (κ·e
 * grows with the level: relative noise of high counts), floored at minScale·√e (the relative floor on
 * this scale). κ ≥ 0 is the smallest overdispersion for which the robust scale 1.4826·MAD of the
 * residuals is 1 (bisection on log κ); 0 when the counts are not overdispersed. A drop from 40 to 12
 * a day scores about −5, instead of being lost in the relative noise of low days; the square root
 * also keeps the (lighter) lower tail of counts from being under-scored.
 */
function countResiduals(y: readonly number[], expected: readonly number[], minScale: number): Residuals {
  const keep = y.map((v, t) => !(v === 0 && expected[t] === 0));
  const at = (kappa: number): number[] =>
    y.map((v, t) => {
      const e = Math.max(0, expected[t]);
      const sd = Math.max(Math.sqrt(1 + kappa * e), minScale * Math.sqrt(e));
      return (2 * (Math.sqrt(v + 0.375) - Math.sqrt(e + 0.375))) / sd;
    });
  const scale = (kappa: number): number => {
    const z = at(kappa).filter((_, t) => keep[t]);
    return z.length > 0 ? 1.4826 * mad(z) : 0;
  };
  let kappa = 0;
  if (scale(0) > 1) {
    // log κ in [−20, 3]: 20 halvings leave an interval of 2e-5 (a relative change of κ of 0.002 %).
    let lo = -20;
    let hi = 3;
    for (let i = 0; i < 20; i++) {
      const mid = (lo + hi) / 2;
      if (scale(Math.exp(mid)) > 1) lo = mid;
      else hi = mid;
    }
    kappa = Math.exp(hi);
  }
  const z = at(kappa);
  return { z, informative: z.filter((_, t) => keep[t]) };
}

/**
 * Robust seasonal fit (STL-like, with medians instead of loess): a rolling median over three
 * periods gives a first trend; then twice: weekly profile = median of detrended values at the
 * same weekday in the 2·`weeks` nearest other weeks (±`weeks` away from the ends); trend =
 * rolling median (`trendWindow`) of the seasonally adjusted series, extrapolated linearly over
 * the first/last half window. Every median leaves out the day itself, so isolated spikes and
 * outages neither mask themselves nor pull the fit of their neighbours.
 * Returns the expected values, or null when a multiplicative fit is impossible (trend ≤ 0).
 */
function robustFit(y: readonly number[], period: number, trendWindow: number, weeks: number, multiplicative: boolean): number[] | null {
  const n = y.length;
  const seasonal = n >= 2 * period;
  let trend = rollingMedian(y, seasonal ? 3 * period : trendWindow);
  const neutral = multiplicative ? 1 : 0;
  let profile = new Array<number>(n).fill(neutral);
  if (seasonal) {
    for (let pass = 0; pass < 2; pass++) {
      if (multiplicative && trend.some((v) => !(v > 0))) return null;
      const detrended = y.map((v, t) => (multiplicative ? v / trend[t] : v - trend[t]));
      profile = y.map((_, t) => {
        // The same weekday in the 2·weeks nearest other weeks (window shifted at the ends).
        const kMin = -Math.floor(t / period);
        const kMax = Math.floor((n - 1 - t) / period);
        const lo = Math.max(kMin, Math.min(-weeks, kMax - 2 * weeks));
        const hi = Math.min(kMax, lo + 2 * weeks);
        const same: number[] = [];
        for (let k = lo; k <= hi; k++) if (k !== 0) same.push(detrended[t + k * period]);
        return median(same.length > 0 ? same : [detrended[t]]);
      });
      // A zero profile (e.g. no weekend traffic) makes those days uninformative about the trend.
      trend = rollingMedian(
        y.map((v, t) => (multiplicative ? (profile[t] > 0 ? v / profile[t] : Number.NaN) : v - profile[t])),
        trendWindow,
      );
      if (trend.some((v) => Number.isNaN(v))) return null;
      trend = extrapolateEnds(trend, Math.floor(Math.min(trendWindow, n) / 2), 3 * period);
    }
  }
  return trend.map((tr, t) => (multiplicative ? tr * profile[t] : tr + profile[t]));
}

/**
 * Flag anomalous days of a daily series.
 *
 * The expected value of each day comes from a robust, leave-one-out seasonal fit (rolling-median
 * trend × median weekly profile; additive trend + profile when the series has negative values, a
 * non-positive trend, or `mode: 'additive'`); it is clamped at 0 for non-negative series.
 * Residuals: for counts (non-negative integers, or `score: 'count'`) on the square-root scale with
 * fitted overdispersion (see countResiduals: Poisson noise for low counts, relative noise for high
 * ones, relative floor `minScale`); otherwise scaled by the expectation, r = (value − expected) /
 * max(expected, 0.1·median|value|), with the robust scale floored at `minScale`. The score is the
 * robust z-score (r − median(r)) / (1.4826·MAD(r)); days that are 0 and expected 0 are left out of
 * the median/MAD. Days with |score| > `threshold` are anomalies;
 * `direction` is 'spike' above the expectation and 'dip' below. Fewer than two periods: no weekly
 * profile, trend only.
 *
 * @throws Error on invalid dates, unsorted/duplicate dates, non-finite values, or gaps (unless `fillMissing`).
 */
export function detectAnomalies(series: readonly SeriesPoint[], options: AnomalyOptions = {}): AnomalyPoint[] {
  const {
    threshold = 3.5,
    period = 7,
    trendWindow = 15,
    seasonalWeeks = 4,
    mode = 'auto',
    minScale = 0.01,
    fillMissing = false,
    score: scoreMode = 'auto',
  } = options;
  if (!(threshold > 0)) throw new Error(`threshold must be > 0, got ${String(threshold)}`);
  if (!Number.isInteger(period) || period < 2) throw new Error(`period must be an integer ≥ 2, got ${String(period)}`);
  if (!Number.isInteger(trendWindow) || trendWindow < 1) throw new Error(`trendWindow must be a positive integer, got ${String(trendWindow)}`);
  if (!['auto', 'count', 'relative'].includes(scoreMode)) throw new Error(`score must be 'auto', 'count' or 'relative', got ${JSON.stringify(scoreMode)}`);
  const { dates, values: y } = toDailySeries(series, { fillMissing });
  if (y.length === 0) return [];

  const tryMultiplicative = mode === 'multiplicative' || (mode === 'auto' && y.every((v) => v >= 0));
  const fit = (tryMultiplicative ? robustFit(y, period, trendWindow, seasonalWeeks, true) : null) ?? robustFit(y, period, trendWindow, seasonalWeeks, false)!;
  const nonNegative = y.every((v) => v >= 0);
  const expected = nonNegative ? fit.map((e) => Math.max(0, e)) : fit;

  const counts = scoreMode === 'count' || (scoreMode === 'auto' && y.every((v) => v >= 0 && Number.isInteger(v)));
  const { z, informative } = counts ? countResiduals(y, expected, minScale) : relativeResiduals(y, expected);
  const pool = informative.length >= Math.max(3, z.length / 4) ? informative : z;
  const center = median(pool);
  const sigma = Math.max(1.4826 * mad(pool, center), counts ? 0 : minScale) || 1;

  return y.map((value, t) => {
    const score = (z[t] - center) / sigma;
    const residual = value - expected[t];
    return {
      date: dates[t],
      value,
      expected: expected[t],
      residual,
      score,
      isAnomaly: Math.abs(score) > threshold,
      direction: residual >= 0 ? 'spike' : 'dip',
    };
  });
}
