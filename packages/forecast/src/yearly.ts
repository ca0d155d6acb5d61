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
 * Without `reference` the growth is 1.
 * Returns null when the history is shorter than a year or the weekday adjustment is impossible.
 */
export function yearlyComponent(y: readonly number[], horizon: number, period = 7, reference?: readonly number[]): YearlyComponent | null {
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
  let growth = 1;
  if (reference && reference.length > 0) {
    let now = 0;
    let then = 0;
    for (let i = 0; i < Math.min(GROWTH_WINDOW, reference.length); i++) {
      now += reference[i];
      then += smooth[n + (i % YEAR_LAG) - YEAR_LAG] * idx[(n + i) % period];
    }
    const l = now > 0 && then > 0 ? Math.log(now / then) : 0;
    const shrunk = Math.sign(l) * Math.max(0, Math.abs(l) - GROWTH_THRESHOLD);
    growth = Math.min(GROWTH_RANGE[1], Math.max(GROWTH_RANGE[0], Math.exp(shrunk)));
  }
  const values = Array.from({ length: horizon }, (_, i) => {
    const t = n + (i % YEAR_LAG) - YEAR_LAG;
    const s = smooth[t];
    const ratio = s > 0 ? (d[t] / s) ** detail : 1;
    return growth * s * idx[(n + i) % period] * ratio;
  });
  return { values, growth, detail };
}
