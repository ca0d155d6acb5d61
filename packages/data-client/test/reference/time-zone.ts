/**
 * Independent references for local-time modules: every request and every minute of the window is
 * placed with `Intl.DateTimeFormat` weekday/hour parts directly (no offsets, no segments, no grain),
 * so they check the module's offset arithmetic rather than repeat it.
 */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset } from '../fixtures.js';
import { rangeOf, windowRows } from './common.js';

const US_MIN = 60_000_000;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** (weekday 1–7, hour 0–23) of an epoch-µs instant in `timeZone`. */
export function localSlot(timeZone: string): (u: number) => { weekday: number; hour: number } {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  return (u) => {
    const parts = fmt.formatToParts(Math.floor(u / 1000));
    const weekday = DAYS.indexOf(parts.find((p) => p.type === 'weekday')!.value) + 1;
    const hour = Number(parts.find((p) => p.type === 'hour')!.value) % 24;
    return { weekday, hour };
  };
}

export function refHourWeekdayLocal(ds: Dataset, f: UsageFilters, p?: { timeZone?: string }) {
  const slot = localSlot(p?.timeZone ?? 'UTC');
  const range = rangeOf(ds, f);
  const inside = new Array<number>(168).fill(0);
  // Minute by minute (every zone offset in use is whole minutes), partial first and last minutes by
  // their µs inside the window; summed as exact integers and divided once.
  for (let m = Math.floor(range.start / US_MIN) * US_MIN; m < range.end; m += US_MIN) {
    const s = slot(m);
    inside[(s.weekday - 1) * 24 + s.hour] += Math.min(m + US_MIN, range.end) - Math.max(m, range.start);
  }
  const occ = inside.map((u) => u / (60 * US_MIN));
  const cnt = new Array<number>(168).fill(0);
  for (const r of windowRows(ds, f)) {
    const s = slot(r.ts);
    cnt[(s.weekday - 1) * 24 + s.hour]++;
  }
  const cells = cnt.map((requests, i) => ({
    hour: i % 24,
    weekday: Math.floor(i / 24) + 1,
    requests,
    occurrences: occ[i],
    avg: occ[i] <= 0 ? 0 : requests / occ[i],
    percentileRank: 0,
  }));
  for (const c of cells) c.percentileRank = (100 * cells.filter((x) => x.avg < c.avg).length) / (cells.length - 1);
  return cells;
}
