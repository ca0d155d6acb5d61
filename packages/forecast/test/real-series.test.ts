/**
 * Accuracy regression guard on real daily counts (installed from the npm registry, see
 * accuracy/data.ts): the tab's pipeline (forecastWithAnomalies) against damped Holt-Winters and the
 * weekly seasonal naive on the same windows — 8 origins 45 days apart (a spread over the year),
 * 365-day training windows, horizons 30 and 90. The full check (28 origins, 4 series, more peers) is
 * accuracy/real-series.ts; its figures are in the README. Limits = measured value + a margin of
 * about 0.1 MASE (measured 2026-12: births 0.64 / 0.75, birdstrikes 0.86 / 0.97).
 */
import { describe, expect, it } from 'vitest';
import { realSeries } from '../accuracy/data.js';
import { evaluate, type EvalOptions } from '../accuracy/evaluate.js';
import { model, pipeline, seasonalNaiveWeekly } from '../accuracy/methods.js';

const OPTIONS: EvalOptions = { origins: 8, step: 45, train: 365, horizons: [30, 90] };
const LIMITS: Record<string, Record<number, number>> = {
  'births-cdc-1994-2003': { 30: 0.75, 90: 0.85 },
  'birdstrikes-1990-2002': { 30: 0.97, 90: 1.07 },
};

describe('forecast accuracy on real daily series (held-out)', () => {
  const all = realSeries();
  it('loads the four real series as consecutive days of non-negative counts', () => {
    expect(all.map((s) => s.name)).toEqual(['births-cdc-1969-1988', 'births-ssa-2000-2014', 'births-cdc-1994-2003', 'birdstrikes-1990-2002']);
    expect(all.find((s) => s.name === 'births-cdc-1994-2003')!.points).toHaveLength(3652);
    expect(all.find((s) => s.name === 'births-cdc-1994-2003')!.points[0]).toEqual({ date: '1994-01-01', value: 8096 });
    const strikes = all.find((s) => s.name === 'birdstrikes-1990-2002')!.points;
    expect(strikes[0].date).toBe('1990-01-08');
    expect(strikes.at(-1)!.date).toBe('2002-07-25');
    expect(strikes.reduce((a, p) => a + p.value, 0)).toBe(10_000); // one strike per CSV row
    for (const s of all) expect(s.points.every((p) => Number.isInteger(p.value) && p.value >= 0)).toBe(true);
  });

  for (const name of Object.keys(LIMITS)) {
    it(`${name}: MASE within the stated limits, below damped Holt-Winters and seasonal naive, 95 % band covers ≥ 88 %`, () => {
      const s = all.find((x) => x.name === name)!;
      const ours = evaluate(s.points, pipeline, OPTIONS);
      const ets = evaluate(s.points, model('ets'), OPTIONS);
      const naive = evaluate(s.points, seasonalNaiveWeekly, OPTIONS);
      for (const h of OPTIONS.horizons) {
        const o = ours.get(h)!;
        console.log(
          `[real ${name}] h=${h}: MASE ours ${o.mase.toFixed(3)}, damped HW ${ets.get(h)!.mase.toFixed(3)}, seasonal naive ${naive.get(h)!.mase.toFixed(3)}; 80/95 % coverage ${o.cover80!.toFixed(2)}/${o.cover95!.toFixed(2)}; ${o.ms.toFixed(1)} CPU ms/fit`,
        );
        expect(o.mase).toBeLessThanOrEqual(LIMITS[name][h]);
        expect(o.mase).toBeLessThan(ets.get(h)!.mase);
        expect(o.mase).toBeLessThan(naive.get(h)!.mase);
        expect(o.cover95!).toBeGreaterThanOrEqual(0.88);
        expect(o.cover95!).toBeLessThanOrEqual(0.995);
        expect(o.cover80!).toBeGreaterThanOrEqual(0.7);
        expect(o.ms).toBeLessThan(100);
      }
    });
  }
});
