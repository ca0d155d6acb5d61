/**
 * Adoption S-curve: a three-parameter logistic fitted to a cumulative count (users or requests of one
 * agent since launch) observed on consecutive days, projected `horizon` days ahead (chart 2.10's
 * forecast overlay).
 *
 *   C(t) = K / (1 + exp(−r·(t − t₀)))        t = 0, 1, …, n−1 (days of the observed values)
 *
 * K is the saturation level (the users the agent will eventually reach), r the growth rate per day and
 * t₀ the inflection day (half of K). The fit minimises the sum of squared errors SSE = Σ (C(t) − yₜ)².
 * For fixed r and t₀, C is linear in K, so the best K is closed-form, K = Σ yₜ·gₜ / Σ gₜ² with
 * gₜ = 1 / (1 + exp(−r(t − t₀))), raised to max(yₙ₋₁, 1) when below it (K never under the last
 * observation). Nelder–Mead then searches only (log r, t₀); four starts (r = 4/n per day; t₀ at 0, n/2,
 * n, 1.5n) guard against the local minima of logistic least squares; the best fit wins.
 *
 * A flat series (no growth in the observed days) projects flat with r = 0. Fewer than `minPoints`
 * values, or a series that is zero throughout, has no fit (null). The projection is the model's values,
 * not anchored to the last observation, so a poor fit shows as a gap at the seam (see `rmse`).
 */
import { nelderMead } from './nelder-mead.js';

/** Options of {@link fitAdoptionCurve}. */
export interface AdoptionFitOptions {
  /** Days to project after the last observation. Default 30. */
  horizon?: number;
  /** Fewest observed days to fit. Default 5. */
  minPoints?: number;
}

/** A fitted logistic adoption curve (see {@link fitAdoptionCurve}). */
export interface AdoptionFit {
  model: 'logistic';
  /** Saturation level K (≥ the last observation). */
  capacity: number;
  /** Growth rate r per day (0 for a flat series). */
  rate: number;
  /** Inflection day t₀ on the input's day index (may lie outside the observed days). */
  midpoint: number;
  /** The model at t = 0 … n−1. */
  fitted: number[];
  /** The model at t = n … n+horizon−1. */
  forecast: number[];
  /** Root mean squared error of `fitted` against the input. */
  rmse: number;
}

/** The logistic K / (1 + exp(−r(t − t₀))). */
export function logistic(t: number, capacity: number, rate: number, midpoint: number): number {
  return capacity / (1 + Math.exp(-rate * (t - midpoint)));
}

/**
 * Fits {@link logistic} to cumulative `values` on consecutive days and projects `horizon` days. Throws a
 * RangeError on a non-finite or negative value or a decreasing series (a cumulative count never falls).
 */
export function fitAdoptionCurve(values: readonly number[], { horizon = 30, minPoints = 5 }: AdoptionFitOptions = {}): AdoptionFit | null {
  if (!Number.isInteger(horizon) || horizon < 0) throw new RangeError(`horizon must be a non-negative integer, got ${String(horizon)}`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`values[${i}] must be a finite non-negative number, got ${String(v)}`);
    if (i > 0 && v < values[i - 1]) throw new RangeError(`values must not decrease (values[${i}] = ${v} < ${values[i - 1]})`);
  });
  const n = values.length;
  if (n < Math.max(2, minPoints)) return null;
  const last = values[n - 1];
  if (last === 0) return null;
  const build = (capacity: number, rate: number, midpoint: number): AdoptionFit => {
    const fitted = values.map((_, t) => logistic(t, capacity, rate, midpoint));
    const forecast = Array.from({ length: horizon }, (_, h) => logistic(n + h, capacity, rate, midpoint));
    const rmse = Math.sqrt(fitted.reduce((s, f, t) => s + (f - values[t]) ** 2, 0) / n);
    return { model: 'logistic', capacity, rate, midpoint, fitted, forecast, rmse };
  };
  // Flat: r = 0 would give K/2; the flat curve is K = last with t₀ far in the past (exactly `last` everywhere).
  if (values[0] === last) {
    const fit = build(last, 0, 0);
    return { ...fit, fitted: values.map(() => last), forecast: fit.forecast.map(() => last), rmse: 0 };
  }
  const base = Math.max(last, 1);
  // For given r and t₀ the model is linear in K: the least-squares K is Σy·g / Σg² (g the unit logistic),
  // raised to the last observation when below it. So the simplex searches only (log r, t₀).
  const g = new Float64Array(n);
  const solve = ([b, c]: number[]): { k: number; sse: number } => {
    const r = Math.exp(b);
    let yg = 0;
    let gg = 0;
    for (let t = 0; t < n; t++) {
      g[t] = 1 / (1 + Math.exp(-r * (t - c)));
      yg += values[t] * g[t];
      gg += g[t] * g[t];
    }
    const k = Math.max(base, gg > 0 ? yg / gg : base);
    let sse = 0;
    for (let t = 0; t < n; t++) sse += (k * g[t] - values[t]) ** 2;
    return { k, sse };
  };
  let best: { x: number[]; fx: number } | undefined;
  for (const t0 of [0, n / 2, n, 1.5 * n]) {
    const r = nelderMead((x) => solve(x).sse, [Math.log(4 / Math.max(n, 4)), t0], { maxEvaluations: 240, step: 0.5, tolerance: 1e-9 });
    if (!best || r.fx < best.fx) best = r;
  }
  const [k, r, t0] = [solve(best!.x).k, Math.exp(best!.x[0]), best!.x[1]];
  return build(k, r, t0);
}
