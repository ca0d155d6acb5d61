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
 * Residuals are scaled by the expectation, r = (value − expected) / max(expected, 0.1·median|value|),
 * and scored by the robust z-score (r − median(r)) / max(1.4826·MAD(r), `minScale`); days that are
 * 0 and expected 0 are left out of the median/MAD. Days with |score| > `threshold` are anomalies;
 * `direction` is 'spike' above the expectation and 'dip' below. Fewer than two periods: no weekly
 * profile, trend only.
 *
 * @throws Error on invalid dates, unsorted/duplicate dates, non-finite values, or gaps (unless `fillMissing`).
 */
export function detectAnomalies(series: readonly SeriesPoint[], options: AnomalyOptions = {}): AnomalyPoint[] {
  const { threshold = 3.5, period = 7, trendWindow = 15, seasonalWeeks = 4, mode = 'auto', minScale = 0.01, fillMissing = false } = options;
  if (!(threshold > 0)) throw new Error(`threshold must be > 0, got ${String(threshold)}`);
  if (!Number.isInteger(period) || period < 2) throw new Error(`period must be an integer ≥ 2, got ${String(period)}`);
  if (!Number.isInteger(trendWindow) || trendWindow < 1) throw new Error(`trendWindow must be a positive integer, got ${String(trendWindow)}`);
  const { dates, values: y } = toDailySeries(series, { fillMissing });
  if (y.length === 0) return [];

  const tryMultiplicative = mode === 'multiplicative' || (mode === 'auto' && y.every((v) => v >= 0));
  const fit = (tryMultiplicative ? robustFit(y, period, trendWindow, seasonalWeeks, true) : null) ?? robustFit(y, period, trendWindow, seasonalWeeks, false)!;
  const nonNegative = y.every((v) => v >= 0);
  const expected = nonNegative ? fit.map((e) => Math.max(0, e)) : fit;

  // Scaled residuals: relative to the expectation (noise grows with the level), with the
  // denominator floored at DENOMINATOR_FLOOR × median |value| so days expected near 0 stay finite.
  const typical = median(y.map(Math.abs)) || y.reduce((a, v) => a + Math.abs(v), 0) / y.length;
  const r = y.map((v, t) => {
    const d = Math.max(Math.abs(expected[t]), DENOMINATOR_FLOOR * typical);
    return d > 0 ? (v - expected[t]) / d : 0;
  });
  // Days that are exactly 0 and expected 0 (e.g. no weekend traffic) carry no information on the
  // noise scale; leaving them out keeps them from shrinking the MAD.
  const informative = r.filter((_, t) => !(y[t] === 0 && expected[t] === 0));
  const pool = informative.length >= Math.max(3, r.length / 4) ? informative : r;
  const center = median(pool);
  const sigma = Math.max(1.4826 * mad(pool, center), minScale);

  return y.map((value, t) => {
    const score = (r[t] - center) / sigma;
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
