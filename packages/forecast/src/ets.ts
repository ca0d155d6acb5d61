import { classicalDecomposition } from './decompose.js';
import { nelderMead } from './nelder-mead.js';
import { linearFit, logistic, logit } from './stats.js';
import type { EtsParams } from './types.js';

/** Options of {@link fitEts}. */
export interface EtsOptions {
  /** Seasonal period; 0 fits ETS(A,Ad,N) (no seasonality). Default 7. */
  period?: number;
  /** Range of the damping parameter φ. Default [0.8, 0.98]; [1, 1] gives undamped Holt-Winters. */
  phiBounds?: readonly [number, number];
  /** Nelder–Mead evaluation budget. Default 400. */
  maxEvaluations?: number;
}

/** A fitted ETS model. */
export interface EtsModel {
  params: EtsParams;
  /** One-step-ahead in-sample predictions (same length as the input). */
  fitted: number[];
  /** Trend state b at the end of the series (per day, before damping). */
  trendState: number;
  /** Point forecasts for steps 1..horizon after the last observation. */
  forecast(horizon: number): number[];
}

interface Smoothing {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface States {
  level: number;
  trend: number;
  /** Seasonal states by position t mod period (mutated by the filter). */
  season: number[];
}

/**
 * Run the ETS(A,Ad,A) recursions (error-correction form, Hyndman et al. 2008):
 *   ŷ_t = l + φb + s_{t−m};  e_t = y_t − ŷ_t
 *   l ← l + φb + αe;  b ← φb + βe;  s_t = s_{t−m} + γe
 * Returns the SSE; `states` is updated to the end of the series.
 */
function filter(y: readonly number[], p: Smoothing, states: States, period: number, fitted?: number[]): number {
  let { level, trend } = states;
  const season = states.season;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const pos = period > 0 ? t % period : 0;
    const s = period > 0 ? season[pos] : 0;
    const base = level + p.phi * trend;
    const yhat = base + s;
    if (fitted) fitted[t] = yhat;
    const e = y[t] - yhat;
    sse += e * e;
    level = base + p.alpha * e;
    trend = p.phi * trend + p.beta * e;
    if (period > 0) season[pos] = s + p.gamma * e;
  }
  states.level = level;
  states.trend = trend;
  return sse;
}

/**
 * Initial states from the first 2–3 periods: classical additive decomposition gives the
 * seasonal states; an OLS line through the seasonally adjusted values gives level and trend
 * (level placed one step before the first observation).
 */
export function initialStates(y: readonly number[], period: number): { l0: number; b0: number; s0: number[] } {
  if (period > 0 && y.length >= 2 * period) {
    const k = period * Math.min(3, Math.floor(y.length / period));
    const head = y.slice(0, k);
    const { indices } = classicalDecomposition(head, period, 'additive');
    const { intercept, slope } = linearFit(head.map((v, t) => v - indices[t % period]));
    return { l0: intercept - slope, b0: slope, s0: indices };
  }
  const head = y.slice(0, Math.min(y.length, 10));
  const { intercept, slope } = linearFit(head);
  return { l0: intercept - slope, b0: slope, s0: [] };
}

/**
 * Fit damped Holt-Winters with additive seasonality, ETS(A,Ad,A), by minimising the in-sample
 * one-step-ahead SSE with Nelder–Mead (≤ `maxEvaluations` evaluations). Parameters are kept valid
 * by logistic transforms: α ∈ (0,1), β = α·β* with β* ∈ (0,1), γ = (1−α)·γ* with γ* ∈ (0,1),
 * φ ∈ `phiBounds`. Initial states come from {@link initialStates} and are not optimised.
 * With `period: 0` the model is ETS(A,Ad,N) (used for series shorter than two weeks).
 */
export function fitEts(y: readonly number[], { period = 7, phiBounds = [0.8, 0.98], maxEvaluations = 400 }: EtsOptions = {}): EtsModel {
  if (y.length < 2) throw new Error(`fitEts needs at least 2 observations, got ${y.length}`);
  const seasonal = period > 0 && y.length >= 2 * period;
  const m = seasonal ? period : 0;
  const init = initialStates(y, m);
  const [phiLo, phiHi] = phiBounds;
  const fixedPhi = phiHi - phiLo < 1e-12;

  const decode = (x: number[]): Smoothing => {
    const alpha = logistic(x[0], 1e-4, 0.9999);
    return {
      alpha,
      beta: alpha * logistic(x[1]),
      gamma: m > 0 ? (1 - alpha) * logistic(x[2]) : 0,
      phi: fixedPhi ? phiLo : logistic(x[m > 0 ? 3 : 2], phiLo, phiHi),
    };
  };
  const run = (p: Smoothing, fitted?: number[]): { sse: number; states: States } => {
    const states: States = { level: init.l0, trend: init.b0, season: [...init.s0] };
    return { sse: filter(y, p, states, m, fitted), states };
  };

  const x0 = [logit(0.3, 1e-4, 0.9999), logit(0.1)];
  if (m > 0) x0.push(logit(0.1));
  if (!fixedPhi) x0.push(0);
  const opt = nelderMead((x) => run(decode(x)).sse, x0, { maxEvaluations });
  const p = decode(opt.x);
  const fitted = new Array<number>(y.length);
  const { sse, states } = run(p, fitted);
  const n = y.length;

  return {
    params: { ...p, l0: init.l0, b0: init.b0, s0: init.s0, period: m, sse, evaluations: opt.evaluations },
    fitted,
    trendState: states.trend,
    forecast(horizon: number): number[] {
      const out: number[] = [];
      let damp = 0;
      for (let h = 1; h <= horizon; h++) {
        damp += p.phi ** h;
        const s = m > 0 ? states.season[(n - 1 + h) % m] : 0;
        out.push(states.level + damp * states.trend + s);
      }
      return out;
    },
  };
}
