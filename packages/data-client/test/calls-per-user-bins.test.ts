/**
 * Chart 2.4's adaptive bins: the module's `callBinEdges` against the reference written from its
 * documented rule, over every largest count up to 5,000 and a spread of medians (all three branches:
 * one bar per count, nice linear widths, the 1-2-5 log scale).
 */
import { describe, expect, it } from 'vitest';
import { MAX_LINEAR_BINS, callBinEdges } from '@usage-analytics/queries';
import { refCallBins } from './reference/users.js';

describe('callBinEdges(hi, p50)', () => {
  it('equals the reference for hi 0..5000 and medians null, 0.5, 1, 3, 7.5, 40, 600', () => {
    const seen = new Set<string>();
    for (const p50 of [null, 0.5, 1, 3, 7.5, 40, 600]) {
      for (let hi = 0; hi <= 5000; hi++) {
        const got = callBinEdges(hi, p50);
        expect(got, `hi ${hi}, p50 ${p50}`).toEqual(refCallBins(hi, p50));
        seen.add(`${got.scale}:${got.binWidth === 1 ? 1 : 'w'}`);
        if (hi >= 1) {
          expect(got.edges[0]).toBe(1);
          expect(got.edges[got.edges.length - 2]).toBeLessThanOrEqual(hi);
          expect(got.edges[got.edges.length - 1]).toBeGreaterThan(hi);
          if (got.scale === 'linear') expect(got.edges.length - 1).toBeLessThanOrEqual(MAX_LINEAR_BINS);
        }
      }
    }
    expect([...seen].sort()).toEqual(['linear:1', 'linear:w', 'log:w']);
  });

  it('examples: one bar per count, a long tail on the log scale, a wide body on nice widths', () => {
    expect(callBinEdges(0, null).edges).toEqual([]);
    expect(callBinEdges(1, 1).edges).toEqual([1, 2]);
    expect(callBinEdges(24, 2).edges).toHaveLength(25);
    expect(callBinEdges(60, 4)).toEqual({ scale: 'log', binWidth: null, edges: [1, 2, 3, 5, 10, 20, 50, 100] });
    expect(callBinEdges(60, 30)).toEqual({ scale: 'linear', binWidth: 5, edges: [1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65] });
    expect(callBinEdges(100, 20).binWidth).toBe(5);
    expect(callBinEdges(120, 20).binWidth).toBe(10);
  });
});
