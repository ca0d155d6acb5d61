import { list, sql, type Sql } from '../sql.js';
import { defineQuery, num, numOrNull, str } from '../module.js';
import type { QueryContext } from '../filters.js';
import { US_PER_DAY, US_PER_HOUR, US_PER_MS, type Micros } from '../time.js';
import { HOURS_PER_WEEK, hourOfWeek, timeZoneParam, zoneSegments } from '../time-zone.js';
import type { MaintenanceRecurrence } from '../schema.js';
import { intParam, ts } from './shared.js';

export interface MaintenanceWindowsParams {
  /** IANA time zone of `slots` (default UTC). */
  timeZone?: string;
  /** Also list occurrences starting up to this many days after the window's end (scheduled ones), 0–366; default 28. */
  upcomingDays?: number;
}

/** One occurrence of a maintenance window, epoch ms [start, end). */
export interface MaintenanceOccurrence {
  start: number;
  end: number;
}

export interface MaintenanceWindow {
  windowId: string;
  /** null: the whole platform. */
  agentId: string | null;
  /** The agent's registry name (user text), null when unknown or platform-wide. */
  agentName: string | null;
  /** User text. */
  title: string;
  /** The first occurrence, epoch ms. */
  startsAt: number;
  endsAt: number;
  recurrence: MaintenanceRecurrence;
  recursUntil: number | null;
  createdBy: string;
  /** Occurrences overlapping the filtered window, oldest first. */
  occurrences: MaintenanceOccurrence[];
  /** Occurrences starting in [window end, window end + upcomingDays), oldest first. */
  upcoming: MaintenanceOccurrence[];
  /**
   * Local hours of the week (0 = Monday 00:00 … 167 = Sunday 23:00, in `timeZone`) that an occurrence
   * (in the window or upcoming) overlaps, ascending. A weekly window crossing a DST change covers
   * both the hour before and the hour after the shift.
   */
  slots: number[];
}

const WEEK_US = 7 * US_PER_DAY;
/** Weekly occurrences listed per window at most (a 20-year window of a weekly slot). */
const MAX_OCCURRENCES = 1_100;

/** The windows' agent scope: platform-wide ones always, agent ones under the agent filters (ids, statuses). */
function scopeSql(ctx: QueryContext): Sql {
  const f = ctx.filters;
  const c: Sql[] = [];
  if (f.agentIds.length > 0) c.push(sql` AND (w.agent_id IS NULL OR w.agent_id IN ${list(f.agentIds)})`);
  if (f.agentStatuses.length > 0)
    c.push(sql` AND (w.agent_id IS NULL OR w.agent_id IN (SELECT agent_id FROM agents WHERE agent_status IN ${list(f.agentStatuses)}))`);
  return c.reduce((a, b) => sql`${a}${b}`, sql``);
}

/**
 * Chart 2.16 overlay — the maintenance windows of the agent registry in scope (agent filters; windows
 * without an agent are platform-wide and always in scope) that occur in the filtered window or are
 * scheduled within `upcomingDays` after it, with their occurrences (weekly ones expanded) and the
 * local weekday-hours they cover. Ordered by first start, then id.
 */
export const maintenanceWindows = defineQuery<MaintenanceWindowsParams | undefined, MaintenanceWindow[]>({
  name: 'maintenanceWindows',
  sql(ctx, params) {
    timeZoneParam('timeZone', params?.timeZone ?? (ctx as { timeZone?: string } | undefined)?.timeZone);
    const upcoming = intParam('upcomingDays', params?.upcomingDays, { def: 28, min: 0, max: 366 });
    const { start, end } = ctx.range;
    return sql`SELECT w.window_id, w.agent_id, a.agent_name, w.title, epoch_us(w.starts_at)::BIGINT AS s_us, epoch_us(w.ends_at)::BIGINT AS e_us,
  w.recurrence::VARCHAR AS recurrence, epoch_us(w.recurs_until)::BIGINT AS u_us, w.created_by
FROM maintenance_windows w LEFT JOIN agents a ON a.agent_id = w.agent_id
WHERE w.ends_at > w.starts_at AND w.starts_at < ${ts(end + upcoming * US_PER_DAY)}
  AND (w.recurrence = 'weekly' AND (w.recurs_until IS NULL OR w.recurs_until > ${ts(start)}) OR w.ends_at > ${ts(start)})${scopeSql(ctx)}
ORDER BY w.starts_at, w.window_id`;
  },
  transform(rows, ctx, params) {
    const zone = timeZoneParam('timeZone', params?.timeZone ?? (ctx as { timeZone?: string } | undefined)?.timeZone);
    const upcomingDays = intParam('upcomingDays', params?.upcomingDays, { def: 28, min: 0, max: 366 });
    const { start, end } = ctx.range;
    const horizon = end + upcomingDays * US_PER_DAY;
    const out: MaintenanceWindow[] = [];
    for (const r of rows) {
      const s0 = num(r.s_us);
      const e0 = num(r.e_us);
      const recurrence: MaintenanceRecurrence = str(r.recurrence) === 'weekly' ? 'weekly' : 'none';
      const until = numOrNull(r.u_us);
      const inWindow = occurrencesIn(s0, e0, recurrence, until, start, end);
      // Upcoming: occurrences that start in [end, horizon) (an occurrence running over `end` is already in the window).
      const upcoming = occurrencesIn(s0, e0, recurrence, until, end, horizon).filter(([a]) => a >= end);
      if (inWindow.length === 0 && upcoming.length === 0) continue;
      const covered = new Set<number>();
      for (const [a, b] of [...inWindow, ...upcoming]) for (const s of slotsCovered(zone, a, b)) covered.add(s);
      const ms = ([a, b]: [Micros, Micros]) => ({ start: a / US_PER_MS, end: b / US_PER_MS });
      out.push({
        windowId: str(r.window_id),
        agentId: r.agent_id === null || r.agent_id === undefined ? null : str(r.agent_id),
        agentName: r.agent_name === null || r.agent_name === undefined ? null : str(r.agent_name),
        title: str(r.title),
        startsAt: s0 / US_PER_MS,
        endsAt: e0 / US_PER_MS,
        recurrence,
        recursUntil: until === null ? null : until / US_PER_MS,
        createdBy: str(r.created_by),
        occurrences: inWindow.map(ms),
        upcoming: upcoming.map(ms),
        slots: [...covered].sort((a, b) => a - b),
      });
    }
    return out;
  },
});

/** Occurrences [a, b) (µs) of a window that overlap [lo, hi); weekly ones every 7 days from the first, starting before `until`. */
export function occurrencesIn(s0: Micros, e0: Micros, recurrence: MaintenanceRecurrence, until: Micros | null, lo: Micros, hi: Micros): [Micros, Micros][] {
  if (!(e0 > s0) || !(hi > lo)) return [];
  if (recurrence !== 'weekly') return s0 < hi && e0 > lo ? [[s0, e0]] : [];
  // Occurrence k overlaps when s0 + kW < hi and e0 + kW > lo.
  const kMin = Math.max(0, Math.floor((lo - e0) / WEEK_US) + 1);
  const kMax = Math.ceil((hi - s0) / WEEK_US) - 1;
  const out: [Micros, Micros][] = [];
  for (let k = kMin; k <= kMax && out.length < MAX_OCCURRENCES; k++) {
    const a = s0 + k * WEEK_US;
    if (until !== null && a >= until) break;
    if (a < hi && e0 + k * WEEK_US > lo) out.push([a, e0 + k * WEEK_US]);
  }
  return out;
}

/** Local hours of the week (in `timeZone`) that the interval [a, b) (µs) overlaps. */
export function slotsCovered(timeZone: string, a: Micros, b: Micros): number[] {
  const slots = new Set<number>();
  for (const seg of zoneSegments(timeZone, a, b)) {
    const la = seg.start + seg.offset;
    const lb = seg.end + seg.offset;
    const h0 = Math.floor(la / US_PER_HOUR);
    const h1 = Math.ceil(lb / US_PER_HOUR);
    for (let h = h0; h < h1 && h - h0 < HOURS_PER_WEEK; h++) slots.add(hourOfWeek(h * US_PER_HOUR));
  }
  return [...slots].sort((x, y) => x - y);
}
