/**
 * Adoption S-curve: a three-parameter logistic fitted to a cumulative count (users or requests of one
 * agent since launch) observed on consecutive days, projected `horizon` days ahead (chart 2.10's
 * forecast overlay).
 *
 *   C(t) = K / (1 + exp(−r·(t − t₀)))        t = 0, 1, …, n−1 (days of the observed values)
 *
 * K is the saturation level (the users the agent will eventually reach), r the growth rate per day and
 * t₀ the inflection day (half of K). The fit minimises the sum of squared errors with Nelder–Mead over
 * unconstrained parameters: K = max(yₙ₋₁, 1)·(1 + e^a) (so K is never below the last observation),
 * r = e^b, t₀ = c. Several starts (K at 1.2×, 2×, 5× the last value; t₀ at 0, n/2, n) guard against the
 * local minima of logistic least squares; the best fit wins.
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
  const unpack = ([a, b, c]: number[]): [number, number, number] => [base * (1 + Math.exp(a)), Math.exp(b), c];
  const sse = (x: number[]): number => {
    const [k, r, t0] = unpack(x);
    let s = 0;
    for (let t = 0; t < n; t++) s += (logistic(t, k, r, t0) - values[t]) ** 2;
    return s;
  };
  let best: { x: number[]; fx: number } | undefined;
  for (const kMul of [1.2, 2, 5])
    for (const t0 of [0, n / 2, n]) {
      const r = nelderMead(sse, [Math.log(kMul - 1), Math.log(4 / Math.max(n, 4)), t0], { maxEvaluations: 600, step: 0.5 });
      if (!best || r.fx < best.fx) best = r;
    }
  const [k, r, t0] = unpack(best!.x);
  return build(k, r, t0);
}
