import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../src/index.js';
import { isWeekend, poissonCounts, toSeries, usageValues } from './helpers.js';

/** Injected anomalies on weekdays: spikes ×2.5 and outages ×0.1 (index → factor). */
const INJECTED = new Map<number, number>([
  [3, 2.5],
  [22, 0.1],
  [51, 2.5],
  [80, 2.5],
  [115, 0.1],
  [144, 2.5],
]);

function withAnomalies(seed: number): number[] {
  const { values } = usageValues({ days: 150, seed });
  return values.map((v, t) => Math.round(v * (INJECTED.get(t) ?? 1)));
}

describe('detectAnomalies', () => {
  it('finds injected spikes and outages with recall and precision ≥ 0.8, flagging no weekend', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const res = detectAnomalies(toSeries(withAnomalies(seed)));
      res.forEach((p, t) => {
        if (p.isAnomaly && INJECTED.has(t)) tp++;
        else if (p.isAnomaly) fp++;
        else if (INJECTED.has(t)) fn++;
        if (p.isAnomaly) expect(isWeekend(t)).toBe(false);
        if (INJECTED.has(t)) expect(p.direction).toBe(INJECTED.get(t)! > 1 ? 'spike' : 'dip');
      });
    }
    expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.8);
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.8);
  });

  it('does not flag normal weekly seasonality (weekends at ~35% of weekdays)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const res = detectAnomalies(toSeries(usageValues({ days: 180, seed }).values));
      expect(res.filter((p) => p.isAnomaly)).toEqual([]);
    }
  });

  it('keeps anomalies from contaminating the fit of their neighbours', () => {
    const res = detectAnomalies(toSeries(withAnomalies(3)));
    for (const t of INJECTED.keys()) {
      for (const j of [t - 2, t - 1, t + 1, t + 2]) {
        if (j < 0 || j >= res.length) continue;
        expect(res[j].isAnomaly).toBe(false);
        expect(Math.abs(res[j].score)).toBeLessThan(3.5);
      }
      // the expectation on the anomalous day itself is the normal level, not the anomaly
      const usual = usageValues({ days: 150, seed: 3 }).expected[t];
      expect(Math.abs(res[t].expected - usual) / usual).toBeLessThan(0.1);
    }
  });

  it('finds a multi-day outage and reports expected, residual and score', () => {
    const { values } = usageValues({ days: 120, seed: 7 });
    const v = values.map((x, t) => (t >= 40 && t < 43 ? Math.round(x * 0.1) : x));
    const res = detectAnomalies(toSeries(v));
    expect(res.filter((p) => p.isAnomaly).map((p) => p.date)).toEqual(['2024-02-10', '2024-02-11', '2024-02-12']);
    const p = res[41];
    expect(p.residual).toBeCloseTo(p.value - p.expected, 9);
    expect(p.score).toBeLessThan(-3.5);
    expect(p.direction).toBe('dip');
  });

  it('works on series with zero weekends and on constant series', () => {
    const { values } = usageValues({ days: 120, seed: 7 });
    const zeroWeekends = values.map((x, t) => (isWeekend(t) ? 0 : t === 30 ? x * 2.5 : x));
    const res = detectAnomalies(toSeries(zeroWeekends));
    expect(res.filter((p) => p.isAnomaly).map((p) => p.date)).toEqual(['2024-01-31']);
    expect(res[33].expected).toBe(0);

    const flat = new Array(30).fill(100);
    expect(detectAnomalies(toSeries(flat)).some((p) => p.isAnomaly)).toBe(false);
    flat[10] = 250;
    expect(
      detectAnomalies(toSeries(flat))
        .filter((p) => p.isAnomaly)
        .map((p) => p.date),
    ).toEqual(['2024-01-11']);
  });

  it('handles short series and honours the threshold option', () => {
    expect(detectAnomalies([])).toEqual([]);
    expect(detectAnomalies(toSeries([5]))[0]).toMatchObject({ expected: 5, score: 0, isAnomaly: false });
    const short = detectAnomalies(toSeries([100, 102, 98, 101, 400, 99, 100, 103]));
    expect(short.filter((p) => p.isAnomaly).map((p) => p.value)).toEqual([400]);
    const lenient = detectAnomalies(toSeries(withAnomalies(2)), { threshold: 1000 });
    expect(lenient.some((p) => p.isAnomaly)).toBe(false);
  });

  it('throws the same clear validation errors as forecast', () => {
    const s = toSeries([1, 2, 3]);
    expect(() => detectAnomalies([s[0], s[2]])).toThrow(/Missing 1 day\(s\) between 2024-01-01 and 2024-01-03/);
    expect(detectAnomalies([s[0], s[2]], { fillMissing: true })).toHaveLength(3);
    expect(() => detectAnomalies([s[0], { ...s[1], value: Number.NaN }])).toThrow(/Non-finite value NaN/);
    expect(() => detectAnomalies(s, { threshold: 0 })).toThrow(/threshold must be > 0, got 0/);
    expect(() => detectAnomalies(s, { score: 'poisson' as never })).toThrow(/score must be 'auto', 'count' or 'relative', got "poisson"/);
  });

  describe('count-aware score (square-root scale with fitted overdispersion)', () => {
    /** Weekday of the injected dip for a seed (indices 98..102 are Monday..Friday). */
    const dipDay = (seed: number): number => 98 + (seed % 5);

    for (const weekendFactor of [1, 0.5, 0.2]) {
      it(`flags a drop to 30 % of ~40 calls a day in ≥ 85 % of series (weekends at ${weekendFactor} of weekdays)`, () => {
        let caught = 0;
        const runs = 60;
        for (let seed = 1; seed <= runs; seed++) {
          const { values } = poissonCounts({ seed, level: 40, weekendFactor, days: 180 });
          const day = dipDay(seed);
          values[day] = Math.round(values[day] * 0.3);
          const p = detectAnomalies(toSeries(values))[day];
          if (p.isAnomaly) {
            caught++;
            expect(p.direction).toBe('dip');
          }
        }
        expect(caught / runs).toBeGreaterThanOrEqual(0.85);
      });
    }

    it('the relative score (as before) misses most of those drops: the count score is what catches them', () => {
      let caught = 0;
      for (let seed = 1; seed <= 60; seed++) {
        const { values } = poissonCounts({ seed, level: 40, weekendFactor: 0.2, days: 180 });
        values[dipDay(seed)] = Math.round(values[dipDay(seed)] * 0.3);
        if (detectAnomalies(toSeries(values), { score: 'relative' })[dipDay(seed)].isAnomaly) caught++;
      }
      expect(caught / 60).toBeLessThan(0.5);
    });

    it('keeps false flags on clean Poisson series ≤ 0.3 % of days, from 5 to 400 a day', () => {
      for (const level of [5, 40, 400]) {
        let flagged = 0;
        let days = 0;
        for (let seed = 1; seed <= 40; seed++) {
          const res = detectAnomalies(toSeries(poissonCounts({ seed: 1000 + seed, level, weekendFactor: 0.5, days: 180 }).values));
          flagged += res.filter((p) => p.isAnomaly).length;
          days += res.length;
        }
        expect(flagged / days, `level ${level}`).toBeLessThanOrEqual(0.003);
      }
    });

    it('is chosen for non-negative integers only; fractional values keep the relative score', () => {
      const { values } = poissonCounts({ seed: 3, level: 40, weekendFactor: 0.5, days: 120 });
      values[51] = Math.round(values[51] * 0.3);
      const auto = detectAnomalies(toSeries(values));
      expect(auto.map((p) => p.score)).toEqual(detectAnomalies(toSeries(values), { score: 'count' }).map((p) => p.score));
      const fractional = values.map((v) => v + 0.5);
      expect(detectAnomalies(toSeries(fractional)).map((p) => p.score)).toEqual(
        detectAnomalies(toSeries(fractional), { score: 'relative' }).map((p) => p.score),
      );
      // On the count scale a dip is scored against Poisson noise: −2(√(v+3/8) − √(e+3/8)) ≈ 5 sd here.
      const p = auto[51];
      const sqrtResidual = 2 * (Math.sqrt(p.value + 0.375) - Math.sqrt(p.expected + 0.375));
      expect(sqrtResidual).toBeLessThan(-3.5);
      expect(p.score).toBeLessThan(-3.5);
    });
  });
});
