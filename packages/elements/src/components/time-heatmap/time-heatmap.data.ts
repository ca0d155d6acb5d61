/**
 * Pure parts of `<usage-time-heatmap>` (chart 2.16): the 24 × 7 grid (rows = hours, columns =
 * Monday…Sunday, as the PRD asks), its accessible names and tooltips, the maintenance windows and
 * suggested quiet windows as overlay marks and as text, the CSV/table rows and the drill-down.
 */
import { peakCells, quietestRuns, type HourRun, type HourWeekdayCell, type MaintenanceWindow, type UsageFilters } from '@usage-analytics/queries';
import type { HeatmapData } from '../../charts/heatmap.js';
import type { OverlayMark } from '../../charts/maintenance-overlay.js';
import type { HourWeekdayDrilldown } from '../../events/usage-drilldown.js';
import type { DataColumn } from '../../internal/data-column.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import { WEEKDAYS } from '../calls-over-time/calls-over-time.data.js';

export { WEEKDAYS };

const HOURS = 168;
export const hh = (h: number): string => `${String(((h % 24) + 24) % 24).padStart(2, '0')}:00`;
/** Slot (hour of the week, 0 = Monday 00:00) of a weekday 1–7 and hour 0–23. */
export const slotOf = (weekday: number, hour: number): number => (weekday - 1) * 24 + hour;
export const weekdayOfSlot = (slot: number): number => Math.floor((((slot % HOURS) + HOURS) % HOURS) / 24) + 1;

export interface HeatFormatters {
  count(v: number): string;
  avg(v: number): string;
  pct(v: number): string;
}

export function formatters(locale: string): HeatFormatters {
  const nf = new Intl.NumberFormat(locale);
  const af = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const pf = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return { count: (v) => nf.format(v), avg: (v) => af.format(v), pct: (v) => pf.format(v) };
}

/** The cells by slot (missing ones as zero cells that never occur). */
export function cellsBySlot(cells: readonly HourWeekdayCell[]): HourWeekdayCell[] {
  const out: HourWeekdayCell[] = Array.from({ length: HOURS }, (_, s) => ({
    hour: s % 24,
    weekday: Math.floor(s / 24) + 1,
    requests: 0,
    occurrences: 0,
    avg: 0,
    percentileRank: 0,
  }));
  for (const c of cells) out[slotOf(c.weekday, c.hour)] = c;
  return out;
}

/** Windows covering each slot. */
export function windowsBySlot(windows: readonly MaintenanceWindow[]): Map<number, MaintenanceWindow[]> {
  const m = new Map<number, MaintenanceWindow[]>();
  for (const w of windows) {
    for (const s of w.slots) {
      const list = m.get(s);
      if (list) list.push(w);
      else m.set(s, [w]);
    }
  }
  return m;
}

/** Slots of the suggested runs → the run. */
export function suggestedBySlot(runs: readonly HourRun[]): Map<number, HourRun> {
  const m = new Map<number, HourRun>();
  for (const r of runs) for (let i = 0; i < r.hours; i++) m.set((r.start + i) % HOURS, r);
  return m;
}

/** "Saturday 22:00 – Sunday 01:00" (or "Sunday 02:00–05:00" within a day) for `hours` hours from `slot`. */
export function spanText(slot: number, hours: number, short = false): string {
  const day = (s: number) => (short ? WEEKDAYS[weekdayOfSlot(s) - 1].slice(0, 3) : WEEKDAYS[weekdayOfSlot(s) - 1]);
  const end = slot + hours;
  if (hours >= HOURS) return 'the whole week';
  if (weekdayOfSlot(slot) === weekdayOfSlot(end - 1)) return `${day(slot)} ${hh(slot)}–${end % 24 === 0 ? '24:00' : hh(end)}`;
  return `${day(slot)} ${hh(slot)} – ${day(end)} ${hh(end)}`;
}

/** Consecutive runs of slots (circular), as [start, length]. */
export function slotRuns(slots: readonly number[]): [number, number][] {
  const set = new Set(slots);
  if (set.size === 0) return [];
  if (set.size >= HOURS) return [[0, HOURS]];
  const out: [number, number][] = [];
  for (const s of [...set].sort((a, b) => a - b)) {
    if (set.has((s + HOURS - 1) % HOURS)) continue; // not a run start
    let n = 1;
    while (set.has((s + n) % HOURS)) n++;
    out.push([s, n]);
  }
  return out;
}

export interface HeatView {
  zone: string;
  cells: HourWeekdayCell[];
  windows: readonly MaintenanceWindow[];
  peaks: HourWeekdayCell[];
  quiet: HourRun[];
  bySlot: Map<number, MaintenanceWindow[]>;
  quietBySlot: Map<number, HourRun>;
}

/** Everything the chart shows, from the two queries. */
export function heatView(cells: readonly HourWeekdayCell[], windows: readonly MaintenanceWindow[], zone: string, quietHours: number, peaks: number): HeatView {
  const grid = cellsBySlot(cells);
  const quiet = quietestRuns(grid, quietHours, 3);
  return { zone, cells: grid, windows, peaks: peakCells(grid, peaks), quiet, bySlot: windowsBySlot(windows), quietBySlot: suggestedBySlot(quiet) };
}

const windowName = (w: MaintenanceWindow): string => ((w.agentName ?? w.agentId) ? `${w.title} (${w.agentName ?? w.agentId})` : `${w.title} (all agents)`);

/** The grid: rows = hours 00–23, columns = Monday…Sunday; cells that never occur in the window are empty. */
export function heatmapData(v: HeatView, f: HeatFormatters): HeatmapData {
  const at = (r: number, c: number) => v.cells[slotOf(c + 1, r)];
  return {
    rows: Array.from({ length: 24 }, (_, h) => hh(h)),
    columns: WEEKDAYS.map((d) => d.slice(0, 3)),
    values: Array.from({ length: 24 }, (_, r) => Array.from({ length: 7 }, (_, c) => (at(r, c).occurrences > 0 ? at(r, c).avg : null))),
    ariaLabel: (r, c) => {
      const cell = at(r, c);
      const slot = slotOf(c + 1, r);
      const mw = v.bySlot.get(slot);
      const quiet = v.quietBySlot.get(slot);
      return (
        `${WEEKDAYS[c]} ${hh(r)}–${hh(r + 1)}: ${f.avg(cell.avg)} calls per hour on average, percentile rank ${f.pct(cell.percentileRank)} ` +
        `(${f.count(cell.requests)} calls over ${f.avg(cell.occurrences)} hours)` +
        (mw ? `; maintenance: ${mw.map(windowName).join(', ')}` : '') +
        (quiet ? `; suggested maintenance window ${spanText(quiet.start, quiet.hours)}` : '')
      );
    },
    rowHeaderLabel: (r) => `${hh(r)}–${hh(r + 1)} (${v.zone})`,
    columnHeaderLabel: (c) => WEEKDAYS[c],
  };
}

/** Overlay marks: maintenance windows (hatched) and suggested quiet windows (dotted). */
export function overlayMarks(v: HeatView): OverlayMark[] {
  const marks: OverlayMark[] = [];
  for (const [slot, ws] of v.bySlot) marks.push({ row: slot % 24, col: weekdayOfSlot(slot) - 1, kind: 'maintenance', title: ws.map(windowName).join('\n') });
  for (const [slot, r] of v.quietBySlot) {
    marks.push({ row: slot % 24, col: weekdayOfSlot(slot) - 1, kind: 'suggested', title: `Suggested maintenance window: ${spanText(r.start, r.hours)}` });
  }
  return marks;
}

export function cellTooltip(v: HeatView, r: number, c: number, f: HeatFormatters): TooltipContent {
  const cell = v.cells[slotOf(c + 1, r)];
  const mw = v.bySlot.get(slotOf(c + 1, r));
  const quiet = v.quietBySlot.get(slotOf(c + 1, r));
  return {
    title: `${WEEKDAYS[c]} ${hh(r)}–${hh(r + 1)} (${v.zone})`,
    rows: [
      { label: 'Calls per hour (avg)', value: f.avg(cell.avg), emphasis: true },
      { label: 'Percentile rank', value: f.pct(cell.percentileRank) },
      { label: 'Requests', value: f.count(cell.requests) },
      { label: 'Hours in period', value: f.avg(cell.occurrences) },
      ...(mw ? mw.map((w) => ({ label: 'Maintenance', value: windowName(w) })) : []),
      ...(quiet ? [{ label: 'Suggested window', value: spanText(quiet.start, quiet.hours) }] : []),
    ],
    note: 'Click or press Enter for the requests of this hour.',
  };
}

/** How a window is scheduled, in words (times in the shown zone). */
export function windowSchedule(w: MaintenanceWindow, zone: string, locale: string): string {
  const dt = new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
  const hours = slotRuns(w.slots)
    .map(([s, n]) => spanText(s, n, true))
    .join(', ');
  const when =
    w.recurrence === 'weekly'
      ? `weekly, ${w.occurrences.length} ${w.occurrences.length === 1 ? 'time' : 'times'} in the period`
      : w.occurrences.length
        ? `once, ${dt.format(w.occurrences[0].start)}`
        : 'once';
  const next = w.upcoming.length ? `; scheduled ${dt.format(w.upcoming[0].start)}` : '';
  return `${when}${next}; covers ${hours}`;
}

export function windowAgent(w: MaintenanceWindow): string {
  return w.agentId === null ? 'All agents' : (w.agentName ?? w.agentId);
}

export interface HeatRow {
  weekday: string;
  hour: string;
  requests: number;
  occurrences: number;
  avg: number;
  percentileRank: number;
  maintenance: string;
}

export function screenRows(v: HeatView): HeatRow[] {
  return v.cells.map((c) => ({
    weekday: WEEKDAYS[c.weekday - 1],
    hour: hh(c.hour),
    requests: c.requests,
    occurrences: c.occurrences,
    avg: c.avg,
    percentileRank: c.percentileRank,
    maintenance: (v.bySlot.get(slotOf(c.weekday, c.hour)) ?? []).map(windowName).join('; '),
  }));
}

export function screenColumns(zone: string): DataColumn<HeatRow>[] {
  return [
    { key: 'weekday', label: `Weekday (${zone})` },
    { key: 'hour', label: `Hour (${zone})` },
    { key: 'requests', label: 'Requests', type: 'integer' },
    { key: 'occurrences', label: 'Hours in period', type: 'number' },
    { key: 'avg', label: 'Calls per hour (avg)', type: 'number' },
    { key: 'percentileRank', label: 'Percentile rank', type: 'number' },
    { key: 'maintenance', label: 'Maintenance windows' },
  ];
}

export function cellDrilldown(weekday: number, hour: number, timeZone: string, filters: UsageFilters): HourWeekdayDrilldown {
  return { kind: 'hour-weekday', weekday, hour, timeZone, filters: structuredClone(filters) };
}

/** The browser's time zone (UTC when it cannot say). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
