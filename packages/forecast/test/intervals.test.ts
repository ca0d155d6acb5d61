import { describe, expect, it } from 'vitest';
import { empiricalBands, forecast, quantile, type BacktestResult } from '../src/index.js';
import { weightedQuantile } from '../src/intervals.js';
import { toSeries, usageValues } from './helpers.js';

describe('prediction intervals', () => {
  it('widen with the horizon (relative width never shrinks)', () => {
    const { values } = usageValues({ days: 180, seed: 2 });
    const r = forecast(toSeries(values), { horizon: 90 });
    const rel = (lo: number, hi: number, p: number) => (hi - lo) / p;
    r.points.slice(1).forEach((p, i) => {
      const q = r.points[i];
      expect(rel(p.lower80, p.upper80, p.predicted)).toBeGreaterThanOrEqual(rel(q.lower80, q.upper80, q.predicted) - 1e-9);
      expect(rel(p.lower95, p.upper95, p.predicted)).toBeGreaterThanOrEqual(rel(q.lower95, q.upper95, q.predicted) - 1e-9);
    });
    const first = r.points[0];
    const last = r.points[89];
    expect(rel(last.lower95, last.upper95, last.predicted)).toBeGreaterThan(1.3 * rel(first.lower95, first.upper95, first.predicted));
    // same weekday a quarter apart: absolute width grows too
    expect(r.points[84].upper80 - r.points[84].lower80).toBeGreaterThan(r.points[0].upper80 - r.points[0].lower80);
  });

  it.each([
    [180, 30],
    [150, 60],
    [180, 90],
  ])('contain roughly the nominal share of held-out points (history %i, horizon %i)', (days, horizon) => {
    let in80 = 0;
    let in95 = 0;
    let total = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { values } = usageValues({ days: days + horizon, seed: 100 + seed });
      const r = forecast(toSeries(values.slice(0, days)), { horizon });
      r.points.forEach((p, s) => {
        const a = values[days + s];
        total++;
        if (a >= p.lower80 && a <= p.upper80) in80++;
        if (a >= p.lower95 && a <= p.upper95) in95++;
      });
    }
    expect(in80 / total).toBeGreaterThan(0.7);
    expect(in80 / total).toBeLessThan(0.97);
    expect(in95 / total).toBeGreaterThan(0.87);
  });
});

describe('weighted quantiles and the anomalous tail', () => {
  it('weightedQuantile equals quantile with equal weights, and follows the weights', () => {
    const xs = [5, -1, 3, 0.5, 9, 2, 2];
    for (const p of [0, 0.025, 0.2, 0.5, 0.9, 0.975, 1])
      expect(
        weightedQuantile(
          xs,
          xs.map(() => 3),
          p,
        ),
      ).toBeCloseTo(quantile(xs, p), 12);
    // Weight moved to the upper values raises the quantile (each value holds the span above it).
    expect(weightedQuantile([0, 1, 2], [0.05, 0.9, 0.05], 0.5)).toBeCloseTo(1 + 0.425 / 0.9, 12);
    expect(weightedQuantile([0, 1, 2], [0.9, 0.05, 0.05], 0.5)).toBeCloseTo(0.475 / 0.9, 12);
  });

  it('one outage seen by every backtest window does not pin the lower band at −100 %', () => {
    // 6 origins 3 days apart, 20 steps: errors ±2 % except an outage on day 40 (error −0.9) in every window.
    const origins = [30, 33, 36, 39, 42, 45].map((o) => o - 5);
    const H = 20;
    const actuals = origins.map((o) => Array.from({ length: H }, (_, s) => (o + s === 40 ? 10 : 100 + ((o * 7 + s * 13) % 5) - 2)));
    const bt = {
      origins,
      horizon: H,
      forecasts: origins.map(() => new Array<number>(H).fill(100)),
      actuals,
      baseline: [],
      scales: origins.map(() => 100),
    } as unknown as BacktestResult;
    const plain = empiricalBands(bt, H, [0.95]);
    expect(Math.min(...plain[0].lower)).toBeLessThan(-0.8);
    // The outage is 1 day in 60: under the 2.5 % tail.
    const anomalies = Array.from({ length: 60 }, (_, t) => (t === 40 ? -0.9 : 0));
    const mixed = empiricalBands(bt, H, [0.95], { anomalies });
    expect(Math.min(...mixed[0].lower)).toBeGreaterThan(-0.1);
    // Two outages in 60 days (3.3 %) reach the tail again.
    anomalies[20] = -0.9;
    expect(Math.min(...empiricalBands(bt, H, [0.95], { anomalies })[0].lower)).toBeLessThan(-0.5);
  });
});
