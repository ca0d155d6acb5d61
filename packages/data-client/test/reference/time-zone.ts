/**
 * Independent references for local-time modules: every request and every minute of the window is
 * placed with `Intl.DateTimeFormat` weekday/hour parts directly (no offsets, no segments, no grain),
 * so they check the module's offset arithmetic rather than repeat it.
 */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset } from '../fixtures.js';
import { rangeOf, windowRows } from './common.js';
import { logRow } from './usage.js';

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

const US_WEEK = 7 * 24 * 60 * US_MIN;
const US_DAY_ = 24 * 60 * US_MIN;

/** maintenanceWindows by brute force: weekly occurrences stepped one week at a time, covered hours minute by minute with Intl. */
export function refMaintenanceWindows(ds: Dataset, f: UsageFilters, p?: { timeZone?: string; upcomingDays?: number }) {
  const slot = localSlot(p?.timeZone ?? 'UTC');
  const range = rangeOf(ds, f);
  const horizon = range.end + (p?.upcomingDays ?? 28) * US_DAY_;
  const status = new Map(ds.agents.map((a) => [a.agent_id, a.agent_status]));
  const name = new Map(ds.agents.map((a) => [a.agent_id, a.agent_name]));
  const rows = [...(ds.maintenance_windows ?? [])]
    .filter((w) => (w.ends_at as number) > (w.starts_at as number))
    .filter((w) => {
      const agent = w.agent_id as string | null;
      if (agent === null) return true;
      if (f.agentIds.length && !f.agentIds.includes(agent)) return false;
      if (f.agentStatuses.length && !f.agentStatuses.includes(status.get(agent) as never)) return false;
      return true;
    })
    .sort((a, b) => (a.starts_at as number) - (b.starts_at as number) || ((a.window_id as string) < (b.window_id as string) ? -1 : 1));
  const out = [];
  for (const w of rows) {
    const s0 = w.starts_at as number;
    const len = (w.ends_at as number) - s0;
    const until = w.recurs_until as number | null;
    const all: [number, number][] = [];
    for (let a = s0; a < horizon; a += US_WEEK) {
      if (until !== null && a >= until) break;
      all.push([a, a + len]);
      if (w.recurrence !== 'weekly') break;
    }
    const occurrences = all.filter(([a, b]) => a < range.end && b > range.start);
    const upcoming = all.filter(([a]) => a >= range.end && a < horizon);
    if (!occurrences.length && !upcoming.length) continue;
    const slots = new Set<number>();
    for (const [a, b] of [...occurrences, ...upcoming]) {
      for (let m = Math.floor(a / US_MIN) * US_MIN; m < b; m += US_MIN) {
        const s = slot(m);
        slots.add((s.weekday - 1) * 24 + s.hour);
      }
    }
    const ms = ([a, b]: [number, number]) => ({ start: a / 1000, end: b / 1000 });
    out.push({
      windowId: w.window_id,
      agentId: w.agent_id ?? null,
      agentName: w.agent_id === null ? null : (name.get(w.agent_id as string) ?? null),
      title: w.title,
      startsAt: s0 / 1000,
      endsAt: (w.ends_at as number) / 1000,
      recurrence: w.recurrence,
      recursUntil: until === null ? null : until / 1000,
      createdBy: w.created_by,
      occurrences: occurrences.map(ms),
      upcoming: upcoming.map(ms),
      slots: [...slots].sort((a, b) => a - b),
    });
  }
  return out;
}

/** requestsInHourWeekday: the window's requests whose Intl weekday and hour match, by (ts, id), paged. */
export function refRequestsInHourWeekday(
  ds: Dataset,
  f: UsageFilters,
  p: { weekday: number; hour: number; timeZone?: string; limit?: number; offset?: number },
) {
  const slot = localSlot(p.timeZone ?? 'UTC');
  const rows = windowRows(ds, f)
    .filter((r) => {
      const s = slot(r.ts);
      return s.weekday === p.weekday && s.hour === p.hour;
    })
    .sort((a, b) => a.ts - b.ts || (a.request_id < b.request_id ? -1 : a.request_id > b.request_id ? 1 : 0));
  const off = p.offset ?? 0;
  return rows.slice(off, off + (p.limit ?? 50)).map((r) => logRow(r, rows.length));
}
