import { describe, expect, it } from 'vitest';
import { accuracy, chooseOrigins, forecast, rollingOrigin, seasonalNaive } from '../src/index.js';
import { toSeries, usageValues } from './helpers.js';

describe('accuracy', () => {
  it('computes MAPE and sMAPE in percent, skipping zero actuals for MAPE', () => {
    const a = accuracy([100, 200, 0, 50], [110, 180, 5, 50]);
    expect(a.mape).toBeCloseTo(((10 / 100 + 20 / 200 + 0) / 3) * 100, 10);
    expect(a.smape).toBeCloseTo(((20 / 210 + 40 / 380 + 2 + 0) / 4) * 100, 10);
    expect(a.skippedZeroActuals).toBe(1);
    expect(accuracy([0, 0], [0, 0])).toEqual({ mape: null, smape: 0, skippedZeroActuals: 2 });
    expect(accuracy([], [])).toEqual({ mape: null, smape: null, skippedZeroActuals: 0 });
  });
});

describe('chooseOrigins', () => {
  it('places origins every 7 days, the last one h days before the end', () => {
    const { origins, horizon } = chooseOrigins(180, { horizon: 90, minTrain: 28 });
    expect(horizon).toBe(90);
    expect(origins.at(-1)).toBe(90);
    expect(origins[0]).toBeGreaterThanOrEqual(28);
    expect(origins.length).toBe(9);
    origins.slice(1).forEach((o, i) => expect(o - origins[i]).toBe(7));
  });

  it('caps the number of origins and shortens the horizon only when history is short', () => {
    expect(chooseOrigins(400, { horizon: 30, minTrain: 28, maxOrigins: 5 }).origins).toEqual([342, 349, 356, 363, 370]);
    expect(chooseOrigins(120, { horizon: 90, minTrain: 28 })).toEqual({ origins: [28, 35, 42], horizon: 78 });
    expect(chooseOrigins(30, { horizon: 7, minTrain: 15 })).toEqual({ origins: [16, 23], horizon: 7 });
    expect(chooseOrigins(20, { horizon: 30, minTrain: 14 })).toEqual({ origins: [14], horizon: 6 });
    expect(chooseOrigins(14, { horizon: 30, minTrain: 14 })).toEqual({ origins: [], horizon: 0 });
  });
});

describe('rollingOrigin', () => {
  it('scores an oracle forecaster at 0 and the seasonal-naive baseline on the same origins', () => {
    const y = Array.from({ length: 70 }, (_, t) => 100 + t + (t % 7 === 6 ? -50 : 0));
    const oracle = (train: readonly number[], h: number) => y.slice(train.length, train.length + h);
    const bt = rollingOrigin(y, oracle, { horizon: 7, minTrain: 28 });
    expect(bt.origins).toEqual([28, 35, 42, 49, 56, 63]);
    expect(bt.mape).toBe(0);
    expect(bt.smape).toBe(0);
    // seasonal naive misses the trend by exactly 7 per day
    const expected = bt.origins.flatMap((o) => y.slice(o, o + 7).map((a, s) => Math.abs(a - seasonalNaive(y.slice(0, o), 7)![s]) / a));
    expect(bt.baselineMape).toBeCloseTo((100 * expected.reduce((a, b) => a + b)) / expected.length, 10);
  });
});

describe('backtest accuracy on a realistic usage series', () => {
  // ~+40%/quarter linear growth, weekends at 35% of weekdays, 5% noise, 120–180 days of history
  const SEEDS = [1, 2, 3, 4, 5];
  it.each([
    [180, 30, 15],
    [150, 30, 15],
    [120, 30, 15],
    [180, 60, 20],
    [180, 90, 25],
    [150, 90, 25],
  ])('history %i days, horizon %i: ensemble MAPE < %i%% and better than seasonal naive', (days, horizon, limit) => {
    for (const seed of SEEDS) {
      const { values } = usageValues({ days, seed });
      const r = forecast(toSeries(values), { horizon });
      expect(r.model_type).toBe('ensemble');
      expect(r.backtest_horizon).toBe(horizon);
      expect(r.backtest_origins).toBeGreaterThanOrEqual(3);
      expect(r.mape).not.toBeNull();
      expect(r.mape!).toBeLessThan(limit);
      expect(r.smape!).toBeLessThan(limit);
      expect(r.baseline_mape).not.toBeNull();
      expect(r.mape!).toBeLessThan(r.baseline_mape!);
    }
  });

  it('scores each single model and the baseline model too', () => {
    const { values } = usageValues({ days: 180, seed: 7 });
    for (const model of ['ets', 'theta', 'seasonal_naive'] as const) {
      const r = forecast(toSeries(values), { horizon: 30, model });
      expect(r.model_type).toBe(model);
      expect(r.mape!).toBeLessThan(15);
    }
    const naive = forecast(toSeries(values), { horizon: 30, model: 'seasonal_naive' });
    expect(naive.mape).toBeCloseTo(naive.baseline_mape!, 10);
  });
});
