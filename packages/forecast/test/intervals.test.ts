import { describe, expect, it } from 'vitest';
import { forecast } from '../src/index.js';
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
