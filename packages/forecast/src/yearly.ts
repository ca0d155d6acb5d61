import { classicalDecomposition } from './decompose.js';

/** 52 weeks: the lag of the yearly component (keeps the weekday). */
export const YEAR_LAG = 364;
/** Window (days) of the centred mean that smooths last year's weekday-adjusted values. */
const SMOOTH_WINDOW = 15;
/** Days compared with the same days a year earlier to estimate the growth over the year. */
const GROWTH_WINDOW = 28;

/** A yearly component: last year's values (same weekday, 364 days earlier), adjusted for growth. */
export interface YearlyComponent {
  /** Forecast of the component for steps 1..horizon. */
  values: number[];
  /** Growth factor applied (current level ÷ level 364 days earlier; 1 when it cannot be seen). */
  growth: number;
  /**
   * Share of last year's day-to-day detail kept (0 = smoothed profile only, 1 = the raw values):
   * 1 − (Poisson noise variance ÷ variance of the detail), so holidays stay in high counts and
   * low counts are smoothed.
   */
  detail: number;
}

/**
 * Yearly component for a daily series with at least {@link YEAR_LAG} days: for a forecast day
 * n+s, the value at t = n+s−364 (same weekday a year earlier; steps past a year repeat the profile),
 * as smoothed level S(t) × weekly index × (D(t)/S(t))^detail × growth, where D is the weekday-adjusted
 * series (classical multiplicative decomposition, period 7) and S its centred 15-day mean. The
 * growth compares the last ≤ 28 days with the same days a year earlier, shrunk towards 1 when
 * fewer than 28 such days exist (with exactly a year of history the growth cannot be seen: 1).
 * Returns null when the history is shorter than a year or the weekday adjustment is impossible.
 */
export function yearlyComponent(y: readonly number[], horizon: number, period = 7): YearlyComponent | null {
  const n = y.length;
  if (n < YEAR_LAG || y.some((v) => v < 0)) return null;
  const idx = classicalDecomposition(y, period, 'multiplicative').indices;
  if (idx.some((v) => !(v > 0 && Number.isFinite(v)))) return null;
  const d = y.map((v, t) => v / idx[t % period]);
  const half = Math.floor(SMOOTH_WINDOW / 2);
  const prefix = [0];
  for (const v of d) prefix.push(prefix[prefix.length - 1] + v);
  const smooth = d.map((_, t) => {
    const a = Math.max(0, t - half);
    const b = Math.min(n, t + half + 1);
    return (prefix[b] - prefix[a]) / (b - a);
  });
  // Detail kept: 1 − expected Poisson variance of D/S (≈ 1/S per day) ÷ its observed variance.
  let noise = 0;
  let spread = 0;
  let count = 0;
  for (let t = 0; t < n; t++) {
    if (!(smooth[t] > 0)) continue;
    noise += 1 / (smooth[t] * idx[t % period]);
    spread += (d[t] / smooth[t] - 1) ** 2;
    count++;
  }
  const detail = count > 0 && spread > 0 ? Math.min(1, Math.max(0, 1 - noise / spread)) : 1;
  // Growth over the year from the days that have a counterpart a year earlier.
  const k = Math.min(GROWTH_WINDOW, n - YEAR_LAG);
  let growth = 1;
  if (k >= 7) {
    let now = 0;
    let then = 0;
    for (let t = n - k; t < n; t++) {
      now += d[t];
      then += d[t - YEAR_LAG];
    }
    if (now > 0 && then > 0) growth = Math.min(2, Math.max(0.5, (now / then) ** (k / GROWTH_WINDOW)));
  }
  const values = Array.from({ length: horizon }, (_, i) => {
    const t = n + (i % YEAR_LAG) - YEAR_LAG;
    const s = smooth[t];
    const ratio = s > 0 ? (d[t] / s) ** detail : 1;
    return growth * s * idx[(n + i) % period] * ratio;
  });
  return { values, growth, detail };
}
