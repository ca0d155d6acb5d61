import { describe, expect, it } from 'vitest';
import { forecast, type ForecastResult } from '../src/index.js';
import { toSeries, usageValues } from './helpers.js';

const realistic = usageValues({ days: 180, seed: 1 }).values;

function checkShape(r: ForecastResult): void {
  for (const p of r.points) {
    for (const v of [p.predicted, p.lower80, p.upper80, p.lower95, p.upper95]) expect(Number.isFinite(v)).toBe(true);
    expect(p.lower95).toBeLessThanOrEqual(p.lower80);
    expect(p.lower80).toBeLessThanOrEqual(p.predicted);
    expect(p.predicted).toBeLessThanOrEqual(p.upper80);
    expect(p.upper80).toBeLessThanOrEqual(p.upper95);
    expect(p.lower95).toBeGreaterThanOrEqual(0);
  }
}

describe('forecast output', () => {
  it('continues dates day by day in UTC after the last input date and reports training range', () => {
    const series = toSeries(realistic, '2023-11-30'); // ends 2024-05-27
    const r = forecast(series, { horizon: 40 });
    expect(r.points).toHaveLength(40);
    expect(r.training_start).toBe('2023-11-30');
    expect(r.training_end).toBe(series.at(-1)!.date);
    expect(r.points[0].date).toBe('2024-05-28');
    expect(r.points[4].date).toBe('2024-06-01');
    expect(r.points[39].date).toBe('2024-07-06');
    checkShape(r);
  });

  it('reports ensemble parameters, backtest size and the seasonal-naive baseline per point', () => {
    const r = forecast(toSeries(realistic), { horizon: 14 });
    expect(r.model_type).toBe('ensemble');
    expect(r.params.weights).toEqual({ ets: 0.5, theta: 0.5 });
    expect(r.params.ets?.phi).toBeGreaterThanOrEqual(0.8);
    expect(r.params.ets?.phi).toBeLessThanOrEqual(0.98);
    expect(r.params.theta?.seasonality).toBe('multiplicative');
    expect(r.params.interval_method).toBe('empirical');
    expect(r.backtest_origins).toBe(12);
    expect(r.points.map((p) => p.baseline)).toEqual([...realistic.slice(-7), ...realistic.slice(-7)]);
    // weekend days are forecast well below weekdays (2024-06-29 is a Saturday)
    expect(r.points[0].date).toBe('2024-06-29');
    expect(r.points[0].predicted).toBeLessThan(0.5 * r.points[2].predicted);
  });

  it('adds bands for extra levels, nested with the fixed 80/95% bands', () => {
    const r = forecast(toSeries(realistic), { horizon: 10, levels: [0.5, 0.99] });
    for (const p of r.points) {
      const [b50, b99] = p.bands;
      expect(b50.level).toBe(0.5);
      expect(b50.lower).toBeGreaterThanOrEqual(p.lower80);
      expect(b50.upper).toBeLessThanOrEqual(p.upper80);
      expect(b99.lower).toBeLessThanOrEqual(p.lower95);
      expect(b99.upper).toBeGreaterThanOrEqual(p.upper95);
    }
    expect(forecast(toSeries(realistic), { horizon: 2 }).points[0].bands).toEqual([]);
  });
});

describe('forecast errors', () => {
  const s = toSeries(realistic.slice(0, 30));
  it('rejects a bad horizon, naming it', () => {
    expect(() => forecast(s, { horizon: 0 })).toThrow('horizon must be a positive integer, got 0');
    expect(() => forecast(s, { horizon: -3 })).toThrow(/got -3/);
    expect(() => forecast(s, { horizon: 1.5 })).toThrow(/got 1.5/);
    expect(() => forecast(s, { horizon: Number.NaN })).toThrow(/got NaN/);
  });

  it('rejects bad values, dates and options, naming them', () => {
    const bad = s.map((p, i) => (i === 5 ? { ...p, value: Number.POSITIVE_INFINITY } : p));
    expect(() => forecast(bad, { horizon: 7 })).toThrow(/Non-finite value Infinity at series\[5\] \(2024-01-06\)/);
    expect(() => forecast([s[1], s[0]], { horizon: 7 })).toThrow(/not sorted: 2024-01-01/);
    expect(() => forecast([s[0], s[0]], { horizon: 7 })).toThrow(/Duplicate date 2024-01-01/);
    expect(() => forecast([s[0], { date: '2024-01-32', value: 1 }], { horizon: 7 })).toThrow(/"2024-01-32"/);
    expect(() => forecast(s, { horizon: 7, levels: [1.5] })).toThrow(/got 1.5/);
    expect(() => forecast(s, { horizon: 7, model: 'arima' as never })).toThrow(/Unknown model "arima"/);
  });

  it('names a gap unless fillMissing is set, then fills it with 0 and says so', () => {
    const gappy = s.filter((_, i) => i !== 10 && i !== 11);
    expect(() => forecast(gappy, { horizon: 7 })).toThrow('Missing 2 day(s) between 2024-01-10 and 2024-01-13 (2024-01-11..2024-01-12)');
    const r = forecast(gappy, { horizon: 7, fillMissing: true });
    expect(r.points).toHaveLength(7);
    expect(r.notes).toContain('2 missing day(s) filled with 0');
  });
});

describe('forecast edge cases', () => {
  it('returns no points, without throwing, for 0 or 1 points', () => {
    for (const n of [0, 1]) {
      const r = forecast(toSeries(realistic.slice(0, n)), { horizon: 30 });
      expect(r.model_type).toBe('insufficient_data');
      expect(r.points).toEqual([]);
      expect(r.mape).toBeNull();
      expect(r.baseline_mape).toBeNull();
      expect(r.backtest_origins).toBe(0);
      expect(r.training_end).toBe(n === 0 ? null : '2024-01-01');
    }
  });

  it('falls back to a damped trend without seasonality below 14 points and says so', () => {
    for (const n of [2, 7, 13]) {
      const r = forecast(toSeries(realistic.slice(0, n)), { horizon: 30 });
      expect(r.model_type).toBe('damped_trend_fallback');
      expect(r.notes[0]).toMatch(new RegExp(`only ${n} points \\(< 14\\)`));
      expect(r.points).toHaveLength(30);
      expect(r.params.ets?.period).toBe(0);
      checkShape(r);
    }
    const naive = forecast(toSeries(realistic.slice(0, 10)), { horizon: 3, model: 'seasonal_naive' });
    expect(naive.model_type).toBe('seasonal_naive');
    expect(naive.points.map((p) => p.predicted)).toEqual(realistic.slice(3, 6));
  });

  it('uses the seasonal models from 14 points', () => {
    const r = forecast(toSeries(realistic.slice(0, 14)), { horizon: 30 });
    expect(r.model_type).toBe('ensemble');
    expect(r.backtest_origins).toBe(0);
    expect(r.mape).toBeNull();
    expect(r.params.interval_method).toBe('normal_approx');
    expect(r.points[5].predicted).toBeLessThan(0.6 * r.points[2].predicted); // a weekend
    checkShape(r);
  });

  it('forecasts a constant series exactly with zero-width bands', () => {
    const r = forecast(toSeries(new Array(60).fill(42)), { horizon: 10 });
    expect(r.mape).toBe(0);
    expect(r.baseline_mape).toBe(0);
    for (const p of r.points) {
      expect(p.predicted).toBeCloseTo(42, 9);
      expect(p.upper95 - p.lower95).toBeLessThan(1e-6);
    }
  });

  it('handles zeros: MAPE skips zero actuals (and says so), forecasts stay non-negative', () => {
    const values = usageValues({ days: 90, seed: 4 }).values.map((v, t) => (t % 7 >= 5 ? 0 : v));
    const r = forecast(toSeries(values), { horizon: 14 });
    expect(r.mape).not.toBeNull();
    expect(Number.isFinite(r.mape!)).toBe(true);
    expect(r.mape!).toBeLessThan(15);
    expect(r.notes.some((n) => /MAPE skips \d+ zero actual/.test(n))).toBe(true);
    checkShape(r);
    const zeros = forecast(toSeries(new Array(30).fill(0)), { horizon: 5 });
    expect(zeros.mape).toBeNull();
    expect(zeros.points.every((p) => p.predicted === 0 && p.upper95 === 0)).toBe(true);
  });

  it('can return negative forecasts when nonNegative is false', () => {
    const falling = Array.from({ length: 60 }, (_, t) => 600 - 10 * t);
    const clamped = forecast(toSeries(falling), { horizon: 60, model: 'theta' });
    const free = forecast(toSeries(falling), { horizon: 60, model: 'theta', nonNegative: false });
    expect(Math.min(...clamped.points.map((p) => p.lower95))).toBe(0);
    expect(free.points.at(-1)!.predicted).toBeLessThan(0);
  });
});
