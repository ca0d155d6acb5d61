import { describe, expect, it } from 'vitest';
import { fitEts, initialStates } from '../src/index.js';
import { gaussian, mulberry32 } from './helpers.js';

const SEASON = [50, 40, 30, 20, 10, -70, -80];

/** Simulate ETS(A,Ad,A) with known parameters and N(0, sigma²) errors. */
function simulate(seed: number, n: number, p: { alpha: number; beta: number; gamma: number; phi: number }, sigma = 10): number[] {
  const rng = mulberry32(seed);
  let level = 1000;
  let trend = 2;
  const s = [...SEASON];
  const y: number[] = [];
  for (let t = 0; t < n; t++) {
    const e = sigma * gaussian(rng);
    const pos = t % 7;
    y.push(level + p.phi * trend + s[pos] + e);
    const next = level + p.phi * trend + p.alpha * e;
    trend = p.phi * trend + p.beta * e;
    s[pos] += p.gamma * e;
    level = next;
  }
  return y;
}

describe('initialStates', () => {
  it('recovers level, slope and seasonal states of a deterministic series', () => {
    const y = Array.from({ length: 28 }, (_, t) => 500 + 3 * t + SEASON[t % 7]);
    const { l0, b0, s0 } = initialStates(y, 7);
    expect(b0).toBeCloseTo(3, 9);
    expect(l0).toBeCloseTo(497, 9); // level one step before the first observation
    s0.forEach((s, i) => expect(s).toBeCloseTo(SEASON[i] - SEASON.reduce((a, b) => a + b) / 7, 9));
  });
});

describe('fitEts', () => {
  it('forecasts a pure level + weekly seasonal series exactly', () => {
    const y = Array.from({ length: 84 }, (_, t) => 1000 + SEASON[t % 7]);
    const f = fitEts(y).forecast(30);
    f.forEach((v, i) => expect(v).toBeCloseTo(1000 + SEASON[(84 + i) % 7], 6));
  });

  it('forecasts a pure trend + seasonal series with (near) zero error', () => {
    const truth = (t: number) => 1000 + 5 * t + SEASON[t % 7];
    const y = Array.from({ length: 120 }, (_, t) => truth(t));
    // Undamped (phi fixed at 1): exact at every horizon.
    const exact = fitEts(y, { phiBounds: [1, 1] });
    exact.forecast(90).forEach((v, i) => expect(v).toBeCloseTo(truth(120 + i), 6));
    // Default damped model: in-sample and one-week-ahead errors are tiny.
    const damped = fitEts(y);
    const rmse = Math.sqrt(damped.params.sse / y.length);
    expect(rmse).toBeLessThan(1);
    damped.forecast(7).forEach((v, i) => expect(Math.abs(v - truth(120 + i)) / truth(120 + i)).toBeLessThan(0.005));
  });

  it('roughly recovers known smoothing parameters of a simulated ETS(A,Ad,A) process', () => {
    const truth = { alpha: 0.3, beta: 0.05, gamma: 0.15, phi: 0.9 };
    for (const seed of [1, 2, 3, 4]) {
      const m = fitEts(simulate(seed, 400, truth));
      const { alpha, beta, gamma, phi, sse } = m.params;
      expect(Math.abs(alpha - truth.alpha)).toBeLessThan(0.1);
      expect(Math.abs(gamma - truth.gamma)).toBeLessThan(0.07);
      expect(beta).toBeLessThan(0.12);
      expect(phi).toBeGreaterThanOrEqual(0.8);
      expect(phi).toBeLessThanOrEqual(0.98);
      const rmse = Math.sqrt(sse / 400);
      expect(rmse).toBeGreaterThan(9);
      expect(rmse).toBeLessThan(12); // innovations have sd 10
    }
  });

  it('keeps parameters in their valid region and within the evaluation budget', () => {
    const y = simulate(9, 180, { alpha: 0.8, beta: 0.3, gamma: 0.1, phi: 0.95 }, 40);
    const { alpha, beta, gamma, phi, evaluations } = fitEts(y).params;
    expect(alpha).toBeGreaterThan(0);
    expect(alpha).toBeLessThan(1);
    expect(beta).toBeGreaterThanOrEqual(0);
    expect(beta).toBeLessThanOrEqual(alpha);
    expect(gamma).toBeGreaterThanOrEqual(0);
    expect(gamma).toBeLessThanOrEqual(1 - alpha);
    expect(phi).toBeGreaterThanOrEqual(0.8);
    expect(phi).toBeLessThanOrEqual(0.98);
    expect(evaluations).toBeLessThanOrEqual(400);
  });

  it('fits ETS(A,Ad,N) without seasonality when period is 0 and damps the trend', () => {
    const y = [10, 12, 14, 16, 18, 20];
    const m = fitEts(y, { period: 0 });
    expect(m.params.period).toBe(0);
    expect(m.params.s0).toEqual([]);
    const f = m.forecast(60);
    expect(f[0]).toBeGreaterThan(20);
    expect(f[0]).toBeLessThan(23);
    // damped: increments shrink and the forecast levels off below the linear extrapolation
    expect(f[59] - f[58]).toBeLessThan(f[1] - f[0]);
    expect(f[59]).toBeLessThan(20 + 2 * 60);
  });

  it('uses one-step-ahead fitted values consistent with the SSE', () => {
    const y = simulate(5, 60, { alpha: 0.3, beta: 0.05, gamma: 0.15, phi: 0.9 });
    const m = fitEts(y);
    const sse = y.reduce((a, v, t) => a + (v - m.fitted[t]) ** 2, 0);
    expect(sse).toBeCloseTo(m.params.sse, 6);
    expect(() => fitEts([1])).toThrow(/at least 2 observations, got 1/);
  });
});
