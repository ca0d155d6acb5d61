/**
 * Issue 7 A5: largestRemainder compares remainders exactly (integers) and breaks exact ties by a
 * stated rule — the larger value first, then the key that sorts first, then the earlier index — so
 * floating-point noise no longer decides who gets the last 0.1, and the answer does not depend on
 * the order the items arrive in. Shares still sum to exactly 100.0.
 */
import { describe, expect, it } from 'vitest';
import { agentHierarchy, intentMatrix, largestRemainder, type HierarchyNode, type QueryContext } from '../src/index.js';

const tenths = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b * 10, 0));

describe('exact ties, by hand', () => {
  it('1/12, 7/12, 4/12 → 8.3 / 58.4 / 33.3 by the rule (larger value first), in any order', () => {
    // 1,000 tenths over S = 12: 1·1000 = 83·12 + 4, 7·1000 = 583·12 + 4, 4·1000 = 333·12 + 4.
    // Floors 83 + 583 + 333 = 999: one tenth is left, and all three remainders are exactly 4/12.
    // Tie → the larger value, 7, takes it: 8.3 / 58.4 / 33.3 (in floats the remainders were
    // 0.33333333333332860, 0.33333333333337, 0.33333333333331440: noise, which happened to agree).
    expect(largestRemainder([1, 7, 4], { keys: ['a', 'b', 'c'] })).toEqual([8.3, 58.4, 33.3]);
    expect(largestRemainder([4, 1, 7], { keys: ['c', 'a', 'b'] })).toEqual([33.3, 8.3, 58.4]);
    expect(largestRemainder([7, 4, 1])).toEqual([58.4, 33.3, 8.3]);
  });

  it('gives the tied tenth to the larger value where float noise gave it to a smaller one', () => {
    // S = 1,060: 649·1000 = 612·1060 + 280, 385·1000 = 363·1060 + 220, 13·1000 = 12·1060 + 280 (twice).
    // Floors 612 + 363 + 12 + 12 = 999; one tenth left; remainders 280, 220, 280, 280: a three-way tie,
    // 649 is the largest value → 61.3. (The float version gave 61.2 / 36.3 / 1.3 / 1.2.)
    expect(largestRemainder([649, 385, 13, 13], { keys: ['a', 'b', 'c', 'd'] })).toEqual([61.3, 36.3, 1.2, 1.2]);
  });

  it('breaks ties between equal values by key, then by index', () => {
    // 1, 1, 4 over S = 6: 166·6 + 4, 166·6 + 4, 666·6 + 4 → 998 tenths, two left, all remainders 4/6:
    // the 4 first (66.7), then the key that sorts first among the 1s.
    expect(largestRemainder([1, 1, 4], { keys: ['zeta', 'alpha', 'mid'] })).toEqual([16.6, 16.7, 66.7]);
    expect(largestRemainder([1, 1, 1], { keys: ['c', 'a', 'b'] })).toEqual([33.3, 33.4, 33.3]);
    expect(largestRemainder([1, 1, 1], { keys: ['x', 'x', 'x'] })).toEqual([33.4, 33.3, 33.3]);
  });

  it('refuses bad input with a clear error', () => {
    expect(() => largestRemainder([1, -1])).toThrow(/≥ 0/);
    expect(() => largestRemainder([1, Number.NaN])).toThrow(/finite/);
    expect(() => largestRemainder([1, Infinity])).toThrow(/finite/);
    expect(() => largestRemainder([1, 2], { keys: ['a'] })).toThrow(/1 keys for 2 values/);
  });

  it('keeps other totals and decimals', () => {
    expect(largestRemainder([1, 1, 1], { total: 1, decimals: 3 })).toEqual([0.334, 0.333, 0.333]);
    expect(largestRemainder([1, 2], { decimals: 0 })).toEqual([33, 67]);
  });
});

describe('equal hierarchy nodes', () => {
  // Four departments of 253, 33, 1 and 1 requests (S = 288), one agent and one intent each, so every
  // level holds the same four values: 1000 = 3·288 + 136; 253000 = 878·288 + 136; 33000 = 114·288 + 168.
  // Floors 878 + 114 + 3 + 3 = 998; the first spare tenth goes to 33 (168), the second to the tie at
  // 136 between 253, 1 and 1 → the larger value, 253. The two one-request departments stay equal.
  // (Floats gave the second tenth to one of the 1s: 0.4 and 0.3 side by side.)
  const depts: [string, number][] = [
    ['engineering', 253],
    ['sales', 33],
    ['legal', 1],
    ['support', 1],
  ];
  const row = (department_id: string | null, agent_id: string | null, intent_category: string | null, requests: number) => ({
    department_id,
    agent_id,
    intent_category,
    requests,
    users: 1,
    cost: 0,
    agent_name: agent_id,
  });
  // Rows as the SQL returns them (root first, each department before its agent and intent), with the
  // departments in the given order.
  const rowsIn = (order: [string, number][]) => [
    row(null, null, null, 288),
    ...order.flatMap(([d, n]) => [row(d, null, null, n), row(d, `${d}-bot`, null, n), row(d, `${d}-bot`, 'other', n)]),
  ];

  it('never show 0.3 and 0.4 side by side, at any level, in any row order', () => {
    const orders = [depts, [...depts].reverse(), [depts[2], depts[0], depts[3], depts[1]], [depts[3], depts[2], depts[1], depts[0]]];
    for (const order of orders) {
      const root = agentHierarchy.transform(rowsIn(order), {} as QueryContext, undefined);
      const levels: HierarchyNode[][] = [
        root.children,
        root.children.flatMap((d) => d.children),
        root.children.flatMap((d) => d.children.flatMap((a) => a.children)),
      ];
      for (const level of levels) {
        expect(level.map((n) => [n.requests, n.share])).toEqual([
          [253, 87.9],
          [33, 11.5],
          [1, 0.3],
          [1, 0.3],
        ]);
        expect(tenths(level.map((n) => n.share))).toBe(1000);
      }
      expect(root.children.map((n) => n.shareOfParent)).toEqual([87.9, 11.5, 0.3, 0.3]);
    }
  });

  it('the intent matrix rounds a department row and the totals by the same rule', () => {
    const m = intentMatrix.transform(
      [
        { department_id: 'd', intent_category: 'a', requests: 1 },
        { department_id: 'd', intent_category: 'b', requests: 7 },
        { department_id: 'd', intent_category: 'c', requests: 4 },
      ],
      {} as QueryContext,
      undefined,
    );
    expect(m.pctOfDept).toEqual([[8.3, 58.4, 33.3]]);
    expect(m.colShares).toEqual([8.3, 58.4, 33.3]);
  });
});

describe('random property tests', () => {
  let seed = 99;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const shuffle = <T>(xs: T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  /** Many ties: small counts, repeated values, zeros; sometimes large counts. */
  const counts = (): number[] => {
    const n = 1 + Math.floor(rnd() * 14);
    const pool = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => Math.floor(rnd() ** 2 * (rnd() < 0.2 ? 1e9 : 40)));
    return Array.from({ length: n }, () => pool[Math.floor(rnd() * pool.length)] + (rnd() < 0.3 ? Math.floor(rnd() * 5) : 0));
  };

  it('sum to exactly 100.0, each within 0.1 of exact (checked in integers), on 3,000 sets', () => {
    for (let t = 0; t < 3000; t++) {
      const xs = counts();
      const s = xs.reduce((a, b) => a + b, 0);
      const sh = largestRemainder(xs);
      if (s === 0) {
        expect(sh.every((v) => v === 0)).toBe(true);
        continue;
      }
      expect(tenths(sh)).toBe(1000);
      xs.forEach((v, i) => {
        const got = BigInt(Math.round(sh[i] * 10));
        expect(Math.round(sh[i] * 10)).toBeCloseTo(sh[i] * 10, 9);
        // |got/1000 − v/S| < 1/1000  ⇔  |got·S − v·1000| < S
        const diff = got * BigInt(s) - BigInt(v) * 1000n;
        expect(diff < 0n ? -diff : diff, `${xs} #${i}`).toBeLessThan(BigInt(s));
      });
    }
  });

  it('does not depend on input order when keys are given (3,000 sets, each shuffled)', () => {
    for (let t = 0; t < 3000; t++) {
      const xs = counts();
      const keys = xs.map((_, i) => `k${(i * 7919) % 101}-${i}`);
      const base = new Map(largestRemainder(xs, { keys }).map((v, i) => [keys[i], v]));
      const perm = shuffle(xs.map((_, i) => i));
      const sh = largestRemainder(
        perm.map((i) => xs[i]),
        { keys: perm.map((i) => keys[i]) },
      );
      perm.forEach((i, j) => expect(sh[j]).toBe(base.get(keys[i])));
    }
  });

  it('is monotone: a larger value never gets a smaller share', () => {
    for (let t = 0; t < 2000; t++) {
      const xs = counts();
      const sh = largestRemainder(xs, { keys: xs.map((_, i) => String(i)) });
      for (let i = 0; i < xs.length; i++) for (let j = 0; j < xs.length; j++) if (xs[i] > xs[j]) expect(sh[i]).toBeGreaterThanOrEqual(sh[j]);
    }
  });

  it('non-integer values (costs): sum 100.0, within 0.1, order-independent with keys', () => {
    for (let t = 0; t < 1000; t++) {
      const xs = Array.from({ length: 1 + Math.floor(rnd() * 10) }, () =>
        rnd() < 0.3 ? 0.1 * Math.floor(rnd() * 5) : rnd() * 10 ** Math.floor(rnd() * 6 - 3),
      );
      const s = xs.reduce((a, b) => a + b, 0);
      if (s === 0) continue;
      const keys = xs.map((_, i) => `c${i}`);
      const sh = largestRemainder(xs, { keys });
      expect(tenths(sh)).toBe(1000);
      xs.forEach((v, i) => expect(Math.abs(sh[i] - (100 * v) / s)).toBeLessThan(0.1 + 1e-9));
      const perm = shuffle(xs.map((_, i) => i));
      const p = largestRemainder(
        perm.map((i) => xs[i]),
        { keys: perm.map((i) => keys[i]) },
      );
      perm.forEach((i, j) => expect(p[j]).toBe(sh[i]));
    }
    // 0.1 + 0.2 is not 0.3 in binary: they are not a tie, and the exact comparison says which is larger.
    expect(largestRemainder([0.1 + 0.2, 0.3, 0.3], { keys: ['z', 'a', 'b'] })).toEqual([33.4, 33.3, 33.3]);
  });
});
