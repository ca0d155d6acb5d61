/**
 * Chart 2.16's text lists: the quietest contiguous hours of the week (suggested maintenance windows)
 * and the peak cells — checked against enumerating every run of the week by brute force.
 */
import { describe, expect, it } from 'vitest';
import { peakCells, quietestRuns, type HourWeekdayCell } from '../src/index.js';

/** 168 cells (weekday-major) from a load per hour of the week. */
function cellsOf(load: (slot: number) => number, occurrences: (slot: number) => number = () => 1): HourWeekdayCell[] {
  return Array.from({ length: 168 }, (_, s) => {
    const occ = occurrences(s);
    const requests = load(s) * occ;
    return { hour: s % 24, weekday: Math.floor(s / 24) + 1, requests, occurrences: occ, avg: occ > 0 ? requests / occ : 0, percentileRank: 0 };
  });
}

/** Every circular run, by brute force: mean load, earliest start on ties, greedy non-overlapping. */
function brute(cells: HourWeekdayCell[], k: number, n: number) {
  const at = (s: number) => cells.find((c) => (c.weekday - 1) * 24 + c.hour === s % 168)!;
  const all = [];
  for (let s = 0; s < 168; s++) {
    const run = Array.from({ length: k }, (_, i) => at(s + i));
    if (run.some((c) => c.occurrences <= 0)) continue;
    all.push({ start: s, hours: k, avg: run.reduce((a, c) => a + c.avg, 0) / k, requests: run.reduce((a, c) => a + c.requests, 0) });
  }
  all.sort((a, b) => a.avg - b.avg || a.start - b.start);
  const out: typeof all = [];
  for (const r of all) {
    if (out.length === n) break;
    const overlaps = out.some((o) => Array.from({ length: k }, (_, i) => (r.start + i) % 168).some((s) => (s - o.start + 168) % 168 < k));
    if (!overlaps) out.push(r);
  }
  return out;
}

describe('quietestRuns', () => {
  it('matches brute force on random loads for 2–4 hour runs', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 100;
    for (let t = 0; t < 20; t++) {
      const loads = Array.from({ length: 168 }, () => Math.floor(rnd()));
      const cells = cellsOf((s) => loads[s]);
      for (const k of [2, 3, 4]) expect(quietestRuns(cells, k, 3)).toEqual(brute(cells, k, 3));
    }
  });

  it('wraps from Sunday night into Monday morning', () => {
    const cells = cellsOf((s) => (s >= 166 || s <= 1 ? 1 : 50));
    expect(quietestRuns(cells, 4, 1)).toEqual([{ start: 166, hours: 4, avg: 1, requests: 4 }]);
  });

  it('breaks ties by the earliest start and never overlaps', () => {
    const cells = cellsOf(() => 5);
    expect(quietestRuns(cells, 3, 3).map((r) => r.start)).toEqual([0, 3, 6]);
  });

  it('skips hours that do not occur in the window (a short window)', () => {
    // Only Tuesday 10:00–16:00 occurs; the zero-load unobserved hours are not "quiet".
    const cells = cellsOf(
      (s) => (s === 24 + 13 ? 2 : 9),
      (s) => (s >= 24 + 10 && s < 24 + 16 ? 1 : 0),
    );
    expect(quietestRuns(cells, 2, 5).map((r) => r.start)).toEqual([24 + 12, 24 + 10, 24 + 14]);
    expect(
      quietestRuns(
        cellsOf(
          () => 0,
          () => 0,
        ),
        3,
        3,
      ),
    ).toEqual([]);
  });

  it('refuses a run length outside 1–168', () => {
    expect(() =>
      quietestRuns(
        cellsOf(() => 1),
        0,
      ),
    ).toThrow(RangeError);
    expect(() =>
      quietestRuns(
        cellsOf(() => 1),
        2.5,
      ),
    ).toThrow(RangeError);
  });
});

describe('peakCells', () => {
  it('lists the busiest cells, ties to the earliest weekday-hour, none without calls', () => {
    const cells = cellsOf((s) => (s === 30 || s === 20 ? 9 : s === 100 ? 12 : 0));
    expect(peakCells(cells, 5).map((c) => [c.weekday, c.hour, c.avg])).toEqual([
      [5, 4, 12],
      [1, 20, 9],
      [2, 6, 9],
    ]);
  });
});
