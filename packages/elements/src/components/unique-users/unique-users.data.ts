/**
 * Pure helpers of `<usage-unique-users>` (chart 2.2): segment shares, the month-1 retention
 * overlay, comparison figures, CSV rows, tooltips and the drill-down detail.
 */
import {
  USER_SEGMENTS,
  largestRemainder,
  type RetentionCell,
  type SegmentStats,
  type UserSegment,
  type UserSegments,
  type UsageFilters,
} from '@usage-analytics/queries';
import type { SegmentDrilldown } from '../../events/usage-drilldown.js';
import { colourFor, sortDomain } from '../../internal/palette.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import type { DataColumn } from '../data-table/data-table.model.js';

/** Display names of the segments. */
export const SEGMENT_LABELS: Readonly<Record<UserSegment, string>> = Object.freeze({
  power: 'Power users',
  regular: 'Returning users',
  new: 'New users',
  dormant: 'Dormant users',
});

/** One-line definition of each segment (as of the window end). */
export const SEGMENT_DEFINITIONS: Readonly<Record<UserSegment, string>> = Object.freeze({
  power: 'Top 10 % of users by requests in the period (first seen over 30 days ago, active in the last 30)',
  regular: 'Active in the last 30 days and first seen before them, below the power-user cut',
  new: 'First seen in the last 30 days',
  dormant: 'No request in the last 30 days',
});

const DOMAIN = sortDomain(USER_SEGMENTS);

/** The colour of a segment (Okabe–Ito by the segment's place in the sorted segment list). */
export const segmentColour = (segment: UserSegment, palette?: readonly string[]): string => colourFor(segment, DOMAIN, palette);

export interface SegmentView extends SegmentStats {
  label: string;
  /** Share of the scope's users in % (one decimal, largest remainder: the shares sum to 100). */
  share: number;
}

/** The four segments with their shares (in `USER_SEGMENTS` order). */
export function segmentViews(data: UserSegments): { segments: SegmentView[]; total: number } {
  const total = data.segments.reduce((s, x) => s + x.users, 0);
  const shares = largestRemainder(
    data.segments.map((s) => s.users),
    { keys: data.segments.map((s) => s.segment) },
  );
  return { total, segments: data.segments.map((s, i) => ({ ...s, label: SEGMENT_LABELS[s.segment], share: shares[i] ?? 0 })) };
}

export interface Formatters {
  count: (v: number) => string;
  /** "12.3 %" from a percentage. */
  pct: (v: number) => string;
  /** "12.3 %" from a fraction. */
  rate: (v: number | null) => string;
  decimal: (v: number) => string;
  date: (ms: number | null) => string;
}

export function formatters(locale: string): Formatters {
  const nf = new Intl.NumberFormat(locale);
  const pf = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const df = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return {
    count: (v) => nf.format(v),
    pct: (v) => `${pf.format(v)} %`,
    rate: (v) => (v === null || !Number.isFinite(v) ? 'n/a' : `${pf.format(v)} %`),
    decimal: (v) => pf.format(v),
    date: (ms) => (ms === null ? '—' : df.format(new Date(ms))),
  };
}

/** Tooltip of a segment: engagement (avg calls, last active) and the segment's size. */
export function segmentTooltip(s: SegmentView, f: Formatters): TooltipContent {
  return {
    title: s.label,
    rows: [
      { label: 'Users', value: `${f.count(s.users)} (${f.pct(s.share)})`, emphasis: true },
      { label: 'Avg calls per user', value: f.decimal(s.avgCalls) },
      { label: 'Calls in period', value: f.count(s.calls) },
      { label: 'Last active', value: f.date(s.lastActive) },
      { label: 'Avg days since active', value: s.avgDaysSinceActive === null ? '—' : f.decimal(s.avgDaysSinceActive) },
    ],
    note: `${SEGMENT_DEFINITIONS[s.segment]}. Click or press Enter for the user list.`,
  };
}

/** Accessible name of a segment's button. */
export function segmentAriaLabel(s: SegmentView, f: Formatters): string {
  return `${s.label}: ${f.count(s.users)} users, ${f.pct(s.share)}; average ${f.decimal(s.avgCalls)} calls, last active ${f.date(s.lastActive)}. Open the user list`;
}

/** `usage-drilldown` detail of a segment. */
export const segmentDrilldown = (segment: UserSegment, filters: UsageFilters): SegmentDrilldown => ({
  kind: 'segment',
  segment,
  filters: { ...structuredClone(filters), userSegments: [segment] },
});

export interface RetentionPoint {
  cohortMonth: string;
  /** Month-1 retention in %. */
  pct: number;
  cohortSize: number;
  retained: number;
}

/** Month-1 retention of every cohort whose month 1 is over (oldest first). */
export function month1Retention(cells: readonly RetentionCell[]): RetentionPoint[] {
  return cells
    .filter((c) => c.monthOffset === 1 && !c.incomplete && c.cohortSize > 0)
    .map((c) => ({ cohortMonth: c.cohortMonth, pct: c.retentionPct, cohortSize: c.cohortSize, retained: c.retainedUsers }))
    .sort((a, b) => (a.cohortMonth < b.cohortMonth ? -1 : a.cohortMonth > b.cohortMonth ? 1 : 0));
}

/** Comparison labels: 30d is month over month, 90d quarter over quarter. */
export const PERIOD_LABELS = Object.freeze({
  '30d': { short: 'MoM', long: 'Last 30 days vs the 30 before' },
  '90d': { short: 'QoQ', long: 'Last 90 days vs the 90 before' },
});

export interface SegmentRow {
  segment: string;
  users: number;
  share_pct: number;
  calls: number;
  avg_calls: number;
  last_active: number | null;
}

/** CSV / table rows of what the chart shows. */
export function screenRows(data: UserSegments): SegmentRow[] {
  return segmentViews(data).segments.map((s) => ({
    segment: s.segment,
    users: s.users,
    share_pct: s.share,
    calls: s.calls,
    avg_calls: Math.round(s.avgCalls * 10) / 10,
    last_active: s.lastActive,
  }));
}

export const SCREEN_COLUMNS: DataColumn<SegmentRow>[] = [
  { key: 'segment', label: 'Segment' },
  { key: 'users', label: 'Users', type: 'integer' },
  { key: 'share_pct', label: '% of users', type: 'number' },
  { key: 'calls', label: 'Calls', type: 'integer' },
  { key: 'avg_calls', label: 'Avg calls', type: 'number' },
  { key: 'last_active', label: 'Last active', type: 'datetime' },
];
