import { classicalDecomposition } from './decompose.js';

/** 52 weeks: the lag of the yearly component (keeps the weekday). */
export const YEAR_LAG = 364;
/** Window (days) of the centred mean that smooths last year's weekday-adjusted values. */
const SMOOTH_WINDOW = 15;
/** First forecast days whose level is compared with the same days a year earlier (growth). */
const GROWTH_WINDOW = 28;
/** Year-over-year changes of the log level below this are not applied (soft threshold, ≈ ±10 %). */
const GROWTH_THRESHOLD = 0.1;
/** Growth factor bounds. */
const GROWTH_RANGE = [1 / 3, 3] as const;

/** A yearly component: last year's values (same weekday, 364 days earlier), adjusted for growth. */
export interface YearlyComponent {
  /** Forecast of the component for steps 1..horizon. */
  values: number[];
  /** Growth factor applied (level of the weekly model ÷ level a year earlier, soft-thresholded; 1 for changes within ≈ ±10 %). */
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
 * series (classical multiplicative decomposition, period 7) and S its centred 15-day mean.
 * Growth: `reference` (the weekly model's forecast) over its first 28 days ÷ last year's smoothed
 * values on the same days — the year-over-year change of the level, which a single year of history
 * shows no other way. Its log is soft-thresholded at 0.1 (changes within ≈ ±10 % are noise of the
 * level estimate and not applied; a series that doubled is still followed) and bounded to [1/3, 3].
 * Without `reference` the growth is 1. When last year's level is more than 3× away from the
 * reference's (e.g. a series that started during the year, zeros before), null: no yearly profile.
 * Weekdays whose index is 0 (no traffic) are forecast 0 and left out of the smoothing.
 * Returns null when the history is shorter than a year, has negative values, or is all zero.
 */
export function yearlyComponent(y: readonly number[], horizon: number, period = 7, reference?: readonly number[]): YearlyComponent | null {
  const n = y.length;
  if (n < YEAR_LAG || y.some((v) => v < 0) || y.every((v) => v === 0)) return null;
  const idx = classicalDecomposition(y, period, 'multiplicative').indices;
  // A weekday with index 0 (e.g. no weekend traffic) is forecast 0 and left out of the smoothing.
  if (idx.some((v) => !(v >= 0 && Number.isFinite(v))) || idx.every((v) => v === 0)) return null;
  const active = (t: number): boolean => idx[t % period] > 0;
  const d = y.map((v, t) => (active(t) ? v / idx[t % period] : 0));
  const half = Math.floor(SMOOTH_WINDOW / 2);
  const sum = [0];
  const cnt = [0];
  d.forEach((v, t) => {
    sum.push(sum[t] + v);
    cnt.push(cnt[t] + (active(t) ? 1 : 0));
  });
  const smooth = d.map((_, t) => {
    const a = Math.max(0, t - half);
    const b = Math.min(n, t + half + 1);
    const c = cnt[b] - cnt[a];
    return c > 0 ? (sum[b] - sum[a]) / c : 0;
  });
  // Detail kept: 1 − expected Poisson variance of D/S (≈ 1/(S·index) per day) ÷ its observed variance.
  let noise = 0;
  let spread = 0;
  for (let t = 0; t < n; t++) {
    if (!active(t) || !(smooth[t] > 0)) continue;
    noise += 1 / (smooth[t] * idx[t % period]);
    spread += (d[t] / smooth[t] - 1) ** 2;
  }
  const detail = spread > 0 ? Math.min(1, Math.max(0, 1 - noise / spread)) : 1;
  const at = (i: number): { t: number; weekday: number } => ({ t: n + (i % YEAR_LAG) - YEAR_LAG, weekday: idx[(n + i) % period] });
  let growth = 1;
  if (reference && reference.length > 0) {
    let now = 0;
    let then = 0;
    for (let i = 0; i < Math.min(GROWTH_WINDOW, reference.length); i++) {
      const { t, weekday } = at(i);
      now += reference[i];
      then += smooth[t] * weekday;
    }
    // Last year's level more than 3× away from now (e.g. a series that started during the year,
    // with zeros before): its profile says nothing about this year.
    if (!(then > 0) || now / then > GROWTH_RANGE[1] || now / then < GROWTH_RANGE[0]) return null;
    const l = now > 0 ? Math.log(now / then) : 0;
    const shrunk = Math.sign(l) * Math.max(0, Math.abs(l) - GROWTH_THRESHOLD);
    growth = Math.min(GROWTH_RANGE[1], Math.max(GROWTH_RANGE[0], Math.exp(shrunk)));
  }
  const values = Array.from({ length: horizon }, (_, i) => {
    const { t, weekday } = at(i);
    const s = smooth[t];
    if (weekday === 0 || !(s > 0)) return 0;
    return growth * s * weekday * (d[t] / s) ** detail;
  });
  return { values, growth, detail };
}
