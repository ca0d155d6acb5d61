import { describe, expect, it } from 'vitest';
import { nelderMead } from '../src/index.js';

describe('nelderMead', () => {
  it('finds the minimum of a shifted quadratic', () => {
    const r = nelderMead(([x, y]) => (x - 3) ** 2 + 2 * (y + 1) ** 2, [0, 0]);
    expect(r.x[0]).toBeCloseTo(3, 4);
    expect(r.x[1]).toBeCloseTo(-1, 4);
    expect(r.fx).toBeLessThan(1e-8);
  });

  it('gets close on Rosenbrock and never exceeds the evaluation budget', () => {
    const rosen = ([x, y]: number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    const r = nelderMead(rosen, [-1.2, 1], { maxEvaluations: 400, step: 0.5 });
    expect(r.evaluations).toBeLessThanOrEqual(400);
    expect(r.fx).toBeLessThan(1e-3);
    const tight = nelderMead(rosen, [-1.2, 1], { maxEvaluations: 30 });
    expect(tight.evaluations).toBeLessThanOrEqual(30);
  });

  it('treats non-finite objective values as +Infinity', () => {
    const r = nelderMead(([x]) => (x < 0 ? Number.NaN : (x - 2) ** 2), [1]);
    expect(r.x[0]).toBeCloseTo(2, 3);
  });
});
