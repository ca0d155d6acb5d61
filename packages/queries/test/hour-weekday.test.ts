/**
 * Issue 7 A4: hourWeekday's occurrences per (UTC hour, ISO weekday) are computed by arithmetic, so
 * the grid works for any range. Checked here against listing every hour one by one (with JS Dates),
 * on random ranges with sub-hour edges, before and after 1970, and on multi-year ranges.
 */
import { describe, expect, it } from 'vitest';
import { defaultFilters, hourOfWeekSpan, hourWeekday, makeContext, type Sql } from '../src/index.js';

const HOUR = 3_600_000_000;

/** Exposure in hours per slot ((isoWeekday − 1) × 24 + hour) by listing every UTC hour the window touches. */
function listed(start: number, end: number): number[] {
  const occ = new Array<number>(168).fill(0);
  for (let h = Math.floor(start / HOUR); h <= Math.floor((end - 1) / HOUR); h++) {
    const d = new Date(h * 3_600_000);
    occ[((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours()] += (Math.min((h + 1) * HOUR, end) - Math.max(h * HOUR, start)) / HOUR;
  }
  return occ;
}

/** The same from hourOfWeekSpan (the module's SQL evaluates exactly this expression per cell). */
function computed(start: number, end: number): number[] {
  const { first, last, fullWeeks, extra, firstCut, lastCut } = hourOfWeekSpan(start, end);
  return Array.from(
    { length: 168 },
    (_, slot) => fullWeeks + ((((slot - first) % 168) + 168) % 168 < extra ? 1 : 0) - (slot === first ? firstCut : 0) - (slot === last ? lastCut : 0),
  );
}

const close = (a: number[], b: number[]) => {
  expect(a).toHaveLength(b.length);
  a.forEach((x, i) => expect(x, `slot ${i}`).toBeCloseTo(b[i], 9));
};

let seed = 11;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

describe('hourOfWeekSpan', () => {
  it('matches listing every hour on 400 random ranges (sub-hour edges, µs, both sides of 1970)', () => {
    for (let t = 0; t < 400; t++) {
      const start = Math.floor((rnd() - 0.3) * 2e15); // µs, about 19 years before to 44 years after 1970
      const end = start + 1 + Math.floor(rnd() ** 3 * 60 * 24 * HOUR);
      close(computed(start, end), listed(start, end));
    }
  });

  it.each([
    ['one µs', Date.UTC(2026, 2, 2, 10, 0) * 1000, Date.UTC(2026, 2, 2, 10, 0) * 1000 + 1],
    ['inside one hour', Date.UTC(2026, 2, 2, 10, 15) * 1000, Date.UTC(2026, 2, 2, 10, 45) * 1000],
    ['two partial hours', Date.UTC(2026, 2, 2, 10, 59, 59, 999) * 1000 + 999, Date.UTC(2026, 2, 2, 11, 0) * 1000 + 1],
    ['an aligned week', Date.UTC(2026, 2, 2) * 1000, Date.UTC(2026, 2, 9) * 1000],
    ['a week from a sub-ms anchor', Date.UTC(2026, 2, 3, 9, 30, 0, 123) * 1000 + 457, Date.UTC(2026, 2, 10, 9, 30, 0, 123) * 1000 + 457],
    ['eight years', Date.UTC(2018, 0, 1) * 1000, Date.UTC(2026, 2, 10, 12) * 1000],
    ['a century', Date.UTC(1950, 0, 1, 0, 30) * 1000, Date.UTC(2050, 0, 1, 23, 30) * 1000],
  ])('%s', (_n, start, end) => {
    close(computed(start, end), listed(start, end));
  });

  it('counts a partial hour by the fraction of it inside the window (documented rule)', () => {
    // Monday 2026-03-02 10:59:59.999999 .. 11:00:00.000001: one µs of 10:00 and one of 11:00.
    const occ = computed(Date.UTC(2026, 2, 2, 10, 59, 59, 999) * 1000 + 999, Date.UTC(2026, 2, 2, 11) * 1000 + 1);
    expect(occ[10]).toBeCloseTo(1 / HOUR, 15);
    expect(occ[11]).toBeCloseTo(1 / HOUR, 15);
    // A 7-day window from 09:30 gives every slot exactly 7 hours, its first and last half hours
    // included (the old rule counted Tuesday 09:00 twice and halved that cell's average).
    const week = computed(Date.UTC(2026, 2, 3, 9, 30) * 1000, Date.UTC(2026, 2, 10, 9, 30) * 1000);
    expect(week[24 + 9]).toBe(1); // Tuesday 09:00: 09:30–10:00 on the first day + 09:00–09:30 on the last
    for (const h of week) expect(h).toBe(1);
    expect(week.reduce((a, b) => a + b, 0)).toBe(168);
  });

  it('builds the grid without a per-hour table for a 200-year range', () => {
    const f = defaultFilters({ timeRange: { preset: 'custom', start: '1800-01-01', end: '2199-12-31T23:59:59.999999' } });
    const ctx = makeContext(f, '2026-03-10T00:00:00Z', '2025-01-01T00:00:00Z');
    const text = String(hourWeekday.sql(ctx, undefined) as string | Sql);
    expect(text).not.toMatch(/generate_series/);
  });
});
