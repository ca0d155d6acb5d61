/**
 * Pure data shaping for `<usage-calls-over-time>` (chart 2.5): the series on screen for each mode,
 * the anomaly markers, the heatmap grid, the weekday seasonality, the hover breakdown, the causes
 * text and the drill-down details.
 */
import { US_PER_MS, wallToInstant } from '@usage-analytics/queries';
import type { AnomalyCause, AnomalyCauses, CallsOverTime, CallsOverTimeParams, HourWeekdayCell, UsageFilters, UsageForecast } from '@usage-analytics/queries';
import type { HeatmapData } from '../../charts/heatmap.js';
import { formatBucket, type TimeLabelOptions } from '../../charts/time-axis.js';
import type { AnomalyDrilldown } from '../../events/usage-drilldown.js';
import type { TooltipContent, TooltipRow } from '../../internal/tooltip.js';

/** What the time series shows: the total, per department (compare), per agent version, per environment. */
export type CallsSplit = 'total' | 'version' | 'environment';
export const SPLITS: readonly CallsSplit[] = ['total', 'version', 'environment'];
export const ENVIRONMENT_KEYS = ['production', 'staging', 'development'] as const;
/** The key of the single series in total mode. */
export const TOTAL_KEY = 'Total';
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const BREAKDOWN_TOP = 5;

export const parseSplit = (v: string | null | undefined): CallsSplit => (SPLITS.includes(v as CallsSplit) ? (v as CallsSplit) : 'total');

/** callsOverTime parameters of a mode (total and compare read the department split). */
export function seriesParams(split: CallsSplit): CallsOverTimeParams {
  return SERIES_PARAMS[split] ?? SERIES_PARAMS.total;
}
/** One object per split, so memos keyed by the params object hold. */
const SERIES_PARAMS: Readonly<Record<CallsSplit, CallsOverTimeParams>> = Object.freeze({
  total: Object.freeze({ by: 'department' }),
  version: Object.freeze({ by: 'agent_version' }),
  environment: Object.freeze({ by: 'environment' }),
});

/** The filters of a mode: the environment split shows every environment whatever the environment filter. */
export function seriesFilters(split: CallsSplit, filters: UsageFilters): UsageFilters {
  return split === 'environment' ? { ...filters, environments: [] } : filters;
}

/** The series to draw: the total as one series, the compared departments, or the split's keys. */
export function screenSeries(data: CallsOverTime, split: CallsSplit, compare: readonly string[]): { chart: CallsOverTime; keys: string[] } {
  if (split === 'total' && compare.length === 0) {
    return { chart: { ...data, keys: [TOTAL_KEY], points: data.points.map((p) => ({ ...p, values: { [TOTAL_KEY]: p.total } })) }, keys: [TOTAL_KEY] };
  }
  if (split === 'total') return { chart: data, keys: [...compare] };
  if (split === 'environment') {
    const rest = data.keys.filter((k) => !(ENVIRONMENT_KEYS as readonly string[]).includes(k));
    return { chart: data, keys: [...ENVIRONMENT_KEYS, ...rest] };
  }
  return { chart: data, keys: [...data.keys].sort() };
}

export interface AnomalyMarker {
  date: string;
  /** Day centre, epoch ms. */
  t: number;
  value: number;
  expected: number;
  score: number;
  direction: 'spike' | 'dip';
}

/** The fleet series' flagged days inside [start, end) (epoch ms). */
export function anomalyMarkers(forecast: UsageForecast | undefined, start: number, end: number): AnomalyMarker[] {
  const s = forecast?.series.find((x) => x.key === '') ?? forecast?.series[0];
  if (!s) return [];
  return s.history
    .filter((p) => p.isAnomaly)
    .map((p) => ({ date: p.date, t: Date.parse(`${p.date}T12:00:00Z`), value: p.value, expected: p.expected, score: p.score, direction: p.direction }))
    .filter((m) => m.t >= start && m.t < end);
}

/** Weekdays (rows, Monday first) × UTC hours (columns); colour = average calls per occurrence. */
export function heatmapGrid(cells: readonly HourWeekdayCell[], format: (v: number) => string): HeatmapData & { cells: HourWeekdayCell[][] } {
  const grid: HourWeekdayCell[][] = WEEKDAYS.map((_, w) =>
    Array.from(
      { length: 24 },
      (_, h) => cells.find((c) => c.weekday === w + 1 && c.hour === h) ?? { hour: h, weekday: w + 1, requests: 0, occurrences: 0, avg: 0, percentileRank: 0 },
    ),
  );
  return {
    cells: grid,
    rows: WEEKDAYS.map((d) => d.slice(0, 3)),
    columns: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
    values: grid.map((r) => r.map((c) => (c.occurrences === 0 ? null : c.avg))),
    ariaLabel: (r, c) => {
      const cell = grid[r][c];
      return `${WEEKDAYS[r]} ${String(c).padStart(2, '0')}:00 UTC: ${format(cell.avg)} calls on average (${format(cell.requests)} calls over ${cell.occurrences} occurrences)`;
    },
    rowHeaderLabel: (r) => WEEKDAYS[r],
    columnHeaderLabel: (c) => `${String(c).padStart(2, '0')}:00 UTC`,
  };
}

/** The busiest weekday-hours (highest average first). */
export function peakSlots(cells: readonly HourWeekdayCell[], n = 3): HourWeekdayCell[] {
  return [...cells]
    .filter((c) => c.avg > 0)
    .sort((a, b) => b.avg - a.avg || a.weekday - b.weekday || a.hour - b.hour)
    .slice(0, n);
}

export interface WeekdayAverage {
  weekday: number;
  name: string;
  calls: number;
  /** Days of this weekday in the window (the hour slot seen most often). */
  days: number;
  avg: number;
}

/** Average calls per day of each weekday: the weekday's calls over the number of its days in the window. */
export function weekdaySeasonality(cells: readonly HourWeekdayCell[]): WeekdayAverage[] {
  return WEEKDAYS.map((name, i) => {
    const own = cells.filter((c) => c.weekday === i + 1);
    const calls = own.reduce((s, c) => s + c.requests, 0);
    const days = Math.max(0, ...own.map((c) => c.occurrences));
    return { weekday: i + 1, name, calls, days, avg: days === 0 ? 0 : calls / days };
  });
}

/** The filters selecting one bucket [start, end) (custom range), for the hover breakdown and drill-downs. */
export function bucketFilters(filters: UsageFilters, start: number, end: number, timeZone = 'UTC'): UsageFilters {
  // Bucket times are local wall-clock ms in another zone: the range is the instants of the local start
  // and end (a DST day lasts 23 or 25 hours; a fall-back hour holds both of its occurrences).
  const instant = (wallMs: number): string => new Date(wallToInstant(timeZone, wallMs * US_PER_MS) / US_PER_MS).toISOString();
  return { ...structuredClone(filters), timeRange: { preset: 'custom', start: instant(start), end: instant(end) } };
}

/** Top `n` keys of a bucket's split, largest first. */
export function topOf(data: CallsOverTime | undefined, n = BREAKDOWN_TOP): { key: string; calls: number }[] {
  if (!data) return [];
  const totals = new Map<string, number>();
  for (const p of data.points) for (const [k, v] of Object.entries(p.values)) totals.set(k, (totals.get(k) ?? 0) + v);
  return [...totals]
    .filter(([, v]) => v > 0)
    .map(([key, calls]) => ({ key, calls }))
    .sort((a, b) => b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, n);
}

/** `usage-drilldown` detail of an anomaly marker: the chart's filters narrowed to that day (UTC, or local in `timeZone`). */
export function anomalyDrilldown(date: string, filters: UsageFilters, timeZone = 'UTC'): AnomalyDrilldown {
  const start = Date.parse(`${date}T00:00:00Z`);
  return { kind: 'anomaly', date, filters: bucketFilters(filters, start, start + 86_400_000, timeZone) };
}

/** "+42 % of the change (120 vs 80 expected)" — a cause as text. */
export function causeText(c: AnomalyCause, format: (v: number) => string): string {
  const share = c.contribution === null ? 'no net change' : `${c.contribution >= 0 ? '+' : '−'}${Math.abs(Math.round(c.contribution))}% of the change`;
  return `${share} (${format(c.actual)} calls vs ${format(Math.round(c.expected * 10) / 10)} expected)`;
}

/** One-line summary of a day's change. */
export function causesSummary(c: AnomalyCauses, format: (v: number) => string): string {
  if (c.weeks === 0) return `${format(c.actual)} calls on ${c.date}; no earlier weeks to compare with (expected 0).`;
  return `${format(c.actual)} calls on ${c.date} vs ${format(Math.round(c.expected * 10) / 10)} expected (mean of the same weekday over the previous ${c.weeks} week${c.weeks === 1 ? '' : 's'}).`;
}

/**
 * The tooltip of a bucket — each series (the focused one in bold), then its top departments and
 * agents once loaded — and what to announce (the focused series, else every series).
 */
export function bucketTooltip(
  point: CallsOverTime['points'][number],
  bucket: 'hour' | 'day',
  keys: readonly string[],
  colour: (key: string) => string,
  format: (v: number) => string,
  focusKey: string | undefined,
  breakdown: { departments: { key: string; calls: number }[]; agents: { key: string; calls: number }[] } | undefined,
  labels: TimeLabelOptions = {},
): { content: TooltipContent; announcement: string } {
  const series: TooltipRow[] = keys.map((k) => ({ label: k, value: format(point.values[k] ?? 0), colour: colour(k), emphasis: k === focusKey }));
  const details: TooltipRow[] = breakdown
    ? [
        ...breakdown.departments.map((d) => ({ label: `Department · ${d.key}`, value: format(d.calls) })),
        ...breakdown.agents.map((a) => ({ label: `Agent · ${a.key}`, value: format(a.calls) })),
      ]
    : [{ label: 'Breakdown', value: 'loading…' }];
  const title = formatBucket(point.t, bucket, labels);
  const spoken = series.filter((r) => focusKey === undefined || r.label === focusKey);
  return {
    content: { title, rows: [...series, ...details], note: `Click or press Enter for the requests of this ${bucket}.` },
    announcement: `${title}: ${spoken.map((r) => `${r.label} ${r.value}`).join(', ')}`,
  };
}
