// The bench's random filter changes (scripts/bench/filter-sets.ts): valid, distinct, repeatable by seed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, makeContext, validateFilters, whereSql, type Dimensions } from '@usage-analytics/queries';
import { drawFilterChanges, filterKey, oldFilterChanges, prng } from './bench/filter-sets.js';

const dims: Dimensions = {
  departments: Array.from({ length: 12 }, (_, i) => `dept-${i}`),
  intents: ['search', 'summarise', 'code', 'translate', 'classify'],
  providers: ['openai', 'anthropic', 'google'],
  modelFamilies: ['gpt', 'claude', 'gemini'],
  agentIds: Array.from({ length: 30 }, (_, i) => `agent-${i}`),
};
const dataStart = Date.parse('2026-08-03T00:00:00Z');
const anchor = Date.parse('2026-11-01T00:00:00Z');
const draw = (seed: number, count = 60) => drawFilterChanges(DEFAULT_FILTERS, dims, { seed, count, dataStart, anchor });

describe('bench filter changes', () => {
  it('repeats a run for a seed and differs for another', () => {
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7).map((c) => filterKey(c.filters))).not.toEqual(draw(8).map((c) => filterKey(c.filters)));
    const r = prng(1);
    const xs = Array.from({ length: 1000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('draws the asked number of valid, distinct states, none the base, singles and combinations', () => {
    for (const seed of [1, 2, 3, 12345]) {
      const changes = draw(seed);
      expect(changes).toHaveLength(60);
      const keys = new Set(changes.map((c) => filterKey(c.filters)));
      expect(keys.size).toBe(60);
      expect(keys.has(filterKey(DEFAULT_FILTERS))).toBe(false);
      for (const c of changes) {
        expect(() => validateFilters(c.filters, dims)).not.toThrow();
        // compiles to SQL against the data window (custom ranges end after they start)
        const ctx = makeContext(c.filters, new Date(anchor), new Date(dataStart), dims);
        expect(whereSql(ctx).text).toContain('ts >=');
      }
      const singles = changes.filter((c) => c.kind === 'single');
      expect(singles.length).toBeGreaterThanOrEqual(5);
      // a single changes exactly one field of the base
      for (const s of singles) {
        const changed = Object.keys(s.filters).filter((k) => filterKey({ ...DEFAULT_FILTERS, [k]: (s.filters as never)[k] }) !== filterKey(DEFAULT_FILTERS));
        expect(changed).toHaveLength(1);
      }
      // the shape: several departments with an intent and a segment
      expect(changes.some((c) => c.filters.departments.length >= 2 && c.filters.intents.length >= 1 && c.filters.userSegments.length >= 1)).toBe(true);
    }
  });

  it('draws custom ranges inside the data that cut through days', () => {
    const ranges = [1, 2, 3, 4, 5].flatMap((s) => draw(s)).flatMap((c) => (c.filters.timeRange.preset === 'custom' ? [c.filters.timeRange] : []));
    expect(ranges.length).toBeGreaterThan(10);
    for (const r of ranges) {
      const [s, e] = [Date.parse(r.start), Date.parse(r.end)];
      expect(s).toBeGreaterThanOrEqual(dataStart);
      expect(e).toBeLessThanOrEqual(anchor);
      expect(e).toBeGreaterThan(s);
    }
    expect(ranges.some((r) => !r.start.includes('T00:00:00Z'))).toBe(true);
    expect(ranges.some((r) => Date.parse(r.end) - Date.parse(r.start) < 86_400_000)).toBe(true);
  });

  it('keeps the older fixed set for comparison', () => {
    const old = oldFilterChanges(DEFAULT_FILTERS, dims);
    expect(old.map((c) => c.name)).toEqual([...dims.departments.map((d) => `department ${d}`), '7 days', '90 days', 'staging', 'intent search']);
  });
});
