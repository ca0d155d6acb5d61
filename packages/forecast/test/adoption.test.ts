import { describe, expect, it } from 'vitest';
import { fitAdoptionCurve, logistic } from '../src/index.js';
import { gaussian, mulberry32 } from './helpers.js';

const curve = (n: number, k: number, r: number, t0: number) => Array.from({ length: n }, (_, t) => logistic(t, k, r, t0));

describe('fitAdoptionCurve', () => {
  it('recovers the parameters of an exact logistic and projects it', () => {
    const values = curve(40, 500, 0.25, 20);
    const fit = fitAdoptionCurve(values, { horizon: 30 })!;
    expect(fit.model).toBe('logistic');
    expect(fit.capacity).toBeCloseTo(500, 0);
    expect(fit.rate).toBeCloseTo(0.25, 2);
    expect(fit.midpoint).toBeCloseTo(20, 1);
    expect(fit.rmse).toBeLessThan(0.5);
    expect(fit.fitted).toHaveLength(40);
    expect(fit.forecast).toHaveLength(30);
    // The projection is the logistic continued (independent of the fit's own arithmetic).
    const truth = Array.from({ length: 30 }, (_, h) => logistic(40 + h, 500, 0.25, 20));
    fit.forecast.forEach((v, h) => expect(Math.abs(v - truth[h])).toBeLessThan(2));
  });

  it('finds the saturation level when only the early, accelerating part is observed', () => {
    // Days 0..24 of a curve with inflection at day 25: half of K is not yet reached.
    const values = curve(25, 1000, 0.2, 25);
    const fit = fitAdoptionCurve(values)!;
    expect(fit.rmse).toBeLessThan(1);
    expect(fit.capacity).toBeGreaterThan(values[24]);
    // The projection keeps rising, never falls and stays below K.
    for (let h = 1; h < fit.forecast.length; h++) expect(fit.forecast[h]).toBeGreaterThanOrEqual(fit.forecast[h - 1]);
    expect(fit.forecast.at(-1)!).toBeLessThanOrEqual(fit.capacity);
    expect(fit.forecast.at(-1)!).toBeGreaterThan(values[24] * 1.5);
  });

  it('fits noisy cumulative counts within the noise level', () => {
    const rng = mulberry32(7);
    const truth = curve(60, 300, 0.15, 30);
    let running = 0;
    const values = truth.map((v) => (running = Math.max(running, Math.round(v + 4 * gaussian(rng)))));
    const fit = fitAdoptionCurve(values)!;
    expect(fit.rmse).toBeLessThan(6);
    expect(Math.abs(fit.capacity - 300)).toBeLessThan(25);
  });

  it('keeps K at or above the last observation and projects a flat series flat', () => {
    const flat = fitAdoptionCurve([7, 7, 7, 7, 7, 7], { horizon: 3 })!;
    expect(flat).toMatchObject({ capacity: 7, rate: 0, rmse: 0, forecast: [7, 7, 7], fitted: [7, 7, 7, 7, 7, 7] });
    const linear = fitAdoptionCurve(Array.from({ length: 20 }, (_, t) => 10 * t + 5))!;
    expect(linear.capacity).toBeGreaterThanOrEqual(195);
  });

  it('has no fit for too few days or no adoption at all', () => {
    expect(fitAdoptionCurve([])).toBeNull();
    expect(fitAdoptionCurve([1, 2, 3, 4])).toBeNull();
    expect(fitAdoptionCurve([1, 2, 3], { minPoints: 3 })).not.toBeNull();
    expect(fitAdoptionCurve([0, 0, 0, 0, 0, 0])).toBeNull();
  });

  it('one user: a single step is fitted as a steep S and projects 1', () => {
    const fit = fitAdoptionCurve([0, 0, 0, 1, 1, 1, 1, 1], { horizon: 5 })!;
    fit.forecast.forEach((v) => expect(v).toBeCloseTo(1, 1));
  });

  it('rejects negative, non-finite and decreasing values and a bad horizon', () => {
    expect(() => fitAdoptionCurve([1, 2, -1])).toThrow(RangeError);
    expect(() => fitAdoptionCurve([1, Number.NaN, 3])).toThrow(/values\[1\]/);
    expect(() => fitAdoptionCurve([1, 3, 2, 4, 5])).toThrow(/must not decrease/);
    expect(() => fitAdoptionCurve([1, 2, 3, 4, 5], { horizon: -1 })).toThrow(/horizon/);
    expect(() => fitAdoptionCurve([1, 2, 3, 4, 5], { horizon: 1.5 })).toThrow(/horizon/);
  });

  it('horizon 0 gives an empty projection', () => {
    expect(fitAdoptionCurve(curve(10, 50, 0.5, 5), { horizon: 0 })!.forecast).toEqual([]);
  });
});
