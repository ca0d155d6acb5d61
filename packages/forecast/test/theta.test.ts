import { describe, expect, it } from 'vitest';
import { fitTheta, isSeasonal } from '../src/index.js';
import { gaussian, mulberry32, usageValues } from './helpers.js';

describe('fitTheta', () => {
  it('equals a hand computation on a tiny series (alpha fixed at 0.5)', () => {
    // SES with l = y0: levels 10, 11, 11, 12.5, 12.75.
    // OLS slope of [10,12,11,14,13] on 0..4 = 8/10 = 0.8, drift b/2 = 0.4.
    // ŷ(n+h) = 12.75 + 0.4·(h − 1 + (1 − 0.5⁵)/0.5) = 12.75 + 0.4·(h + 0.9375)
    const m = fitTheta([10, 12, 11, 14, 13], { alpha: 0.5 });
    expect(m.params.seasonality).toBe('none');
    expect(m.params.level).toBeCloseTo(12.75, 12);
    expect(m.params.drift).toBeCloseTo(0.4, 12);
    const f = m.forecast(3);
    expect(f[0]).toBeCloseTo(13.525, 12);
    expect(f[1]).toBeCloseTo(13.925, 12);
    expect(f[2]).toBeCloseTo(14.325, 12);
  });

  it('fits alpha by minimising the SES one-step SSE', () => {
    const y = [10, 12, 11, 14, 13, 15, 14, 17, 16, 18];
    const sse = (a: number) => {
      let l = y[0];
      let s = 0;
      for (let t = 1; t < y.length; t++) {
        s += (y[t] - l) ** 2;
        l += a * (y[t] - l);
      }
      return s;
    };
    const { alpha } = fitTheta(y).params;
    for (let a = 0.01; a < 1; a += 0.01) expect(sse(alpha)).toBeLessThanOrEqual(sse(a) + 1e-9);
  });

  it('reproduces a pure multiplicative weekly pattern exactly', () => {
    const idx = [1.2, 1.1, 1.15, 1.2, 1.0, 0.45, 0.4];
    const y = Array.from({ length: 56 }, (_, t) => 1000 * idx[t % 7]);
    const m = fitTheta(y);
    expect(m.params.seasonality).toBe('multiplicative');
    m.forecast(14).forEach((v, i) => expect(v).toBeCloseTo(1000 * idx[(56 + i) % 7], 6));
  });

  it('uses additive decomposition when the series has zeros', () => {
    const y = Array.from({ length: 42 }, (_, t) => (t % 7 >= 5 ? 0 : 100 + (t % 3)));
    const m = fitTheta(y);
    expect(m.params.seasonality).toBe('additive');
    const f = m.forecast(7);
    expect(f[5]).toBeLessThan(20); // index 42 + 5 = 47 → position 5, a weekend day
    expect(f[0]).toBeGreaterThan(80);
  });

  it('detects weekly seasonality with the thetaf ACF test, and can be overridden', () => {
    const { values } = usageValues({ days: 60, seed: 3 });
    expect(isSeasonal(values, 7)).toBe(true);
    const rng = mulberry32(11);
    const noise = Array.from({ length: 90 }, () => 100 + 5 * gaussian(rng));
    expect(isSeasonal(noise, 7)).toBe(false);
    expect(isSeasonal(new Array(30).fill(5), 7)).toBe(false);
    expect(fitTheta(values, { seasonal: false }).params.seasonality).toBe('none');
    expect(fitTheta(values.slice(0, 15), { seasonal: true }).params.seasonality).toBe('multiplicative');
  });
});
