/**
 * Pure parts of `<usage-calls-per-user>` (chart 2.4): the histogram's draw input from the
 * `callsPerUser` answer, tooltips, CSV / table rows, the at-risk list's columns, and the drill-down
 * details (a bar, the outliers, a user).
 */
import {
  AT_RISK_DEFAULT_PARAMS,
  type AtRiskUser,
  type CallsPerUser,
  type CallsPerUserBin,
  type CallsPerUserPercentiles,
  type UsageFilters,
} from '@usage-analytics/queries';
import type { CallRangeDrilldown, UserDrilldown } from '../../events/usage-drilldown.js';
import type { DataColumn } from '../../internal/data-column.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import type { HistogramData, HistogramMarker } from './histogram.js';

/** At-risk users fetched for the list beside the histogram (the heaviest previous users first; precomputed for the default view). */
export const AT_RISK_PARAMS = AT_RISK_DEFAULT_PARAMS;
export const AT_RISK_LIMIT = AT_RISK_PARAMS.limit;

/** The percentile markers drawn on the histogram. */
export const MARKERS = ['p25', 'p50', 'p75', 'p90'] as const;

export interface CpuFormatters {
  count: (v: number) => string;
  /** Calls with at most one decimal (percentiles, averages). */
  calls: (v: number) => string;
  pct: (v: number) => string;
}

export function formatters(locale: string): CpuFormatters {
  const nf = new Intl.NumberFormat(locale);
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return { count: (v) => nf.format(v), calls: (v) => one.format(v), pct: (v) => `${one.format(v)} %` };
}

/** "1 call", "10–19 calls". */
export const rangeText = (b: Pick<CallsPerUserBin, 'label' | 'min' | 'max'>): string => `${b.label} ${b.max - b.min === 1 && b.min === 1 ? 'call' : 'calls'}`;

/**
 * Where a value sits on the bar axis: bin index plus the fraction through the bin (linear inside a
 * bin; bins are contiguous), clamped to the bars. Count c occupies [c, c + 1), so the chart places a
 * percentile v at `binPosition(bins, v + 0.5)`: an integer percentile at the middle of its count's slot.
 */
export function binPosition(bins: readonly Pick<CallsPerUserBin, 'min' | 'max'>[], v: number): number {
  if (!bins.length) return 0;
  if (v <= bins[0].min) return 0;
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i];
    if (v < b.max) return i + (v - b.min) / (b.max - b.min);
  }
  return bins.length;
}

/** The draw module's input (bars split into below P10 / middle / above P90, the previous step line, markers). */
export function histogramData(d: CallsPerUser, f: CpuFormatters, showPrevious: boolean): HistogramData {
  const p = d.percentiles;
  const markers: HistogramMarker[] = p ? MARKERS.map((k) => ({ key: k, label: k.toUpperCase(), value: p[k], position: binPosition(d.bins, p[k] + 0.5) })) : [];
  return {
    bars: d.bins.map((b) => ({
      label: b.label,
      users: b.users,
      low: b.belowP10,
      high: b.aboveP90,
      previous: b.previousUsers,
      ariaLabel: barLabel(b, d, f),
    })),
    markers,
    showPrevious: showPrevious && d.previousUsers > 0,
  };
}

function outlierText(b: CallsPerUserBin, f: CpuFormatters): string {
  const parts = [];
  if (b.aboveP90) parts.push(`${f.count(b.aboveP90)} above P90`);
  if (b.belowP10) parts.push(`${f.count(b.belowP10)} below P10`);
  return parts.join(', ');
}

/** The accessible name of a bar (what a screen reader hears on focus). */
export function barLabel(b: CallsPerUserBin, d: CallsPerUser, f: CpuFormatters): string {
  const share = d.users ? (100 * b.users) / d.users : 0;
  const out = outlierText(b, f);
  return `${rangeText(b)}: ${f.count(b.users)} ${b.users === 1 ? 'user' : 'users'} (${f.pct(share)})${out ? `, ${out}` : ''}; previous period ${f.count(b.previousUsers)}`;
}

export function barTooltip(b: CallsPerUserBin, d: CallsPerUser, f: CpuFormatters): TooltipContent {
  const rows: TooltipContent['rows'] = [
    { label: 'Users', value: f.count(b.users), emphasis: true },
    { label: 'Share of users', value: f.pct(d.users ? (100 * b.users) / d.users : 0) },
    { label: 'Previous period', value: f.count(b.previousUsers) },
  ];
  if (b.aboveP90) rows.push({ label: 'Above P90 (outliers)', value: f.count(b.aboveP90) });
  if (b.belowP10) rows.push({ label: 'Below P10 (outliers)', value: f.count(b.belowP10) });
  const sample = b.samples.length ? `e.g. ${b.samples.join(', ')}${b.users > b.samples.length ? ', …' : ''}. ` : '';
  return { title: rangeText(b), rows, note: `${sample}Click or press Enter for the users in this range.` };
}

export interface BinRow {
  calls: string;
  min: number;
  max: number;
  users: number;
  share_pct: number;
  previous_users: number;
  below_p10: number;
  above_p90: number;
  sample_users: string;
}

/** One row per bar (CSV and the frame's table view). */
export function screenRows(d: CallsPerUser): BinRow[] {
  return d.bins.map((b) => ({
    calls: b.label,
    min: b.min,
    max: b.max,
    users: b.users,
    share_pct: d.users ? (100 * b.users) / d.users : 0,
    previous_users: b.previousUsers,
    below_p10: b.belowP10,
    above_p90: b.aboveP90,
    sample_users: b.samples.join(', '),
  }));
}

export const SCREEN_COLUMNS: DataColumn<BinRow>[] = [
  { key: 'calls', label: 'Calls per user' },
  { key: 'min', label: 'From (calls)', type: 'integer' },
  { key: 'max', label: 'To (calls, exclusive)', type: 'integer' },
  { key: 'users', label: 'Users', type: 'integer' },
  { key: 'share_pct', label: 'Share of users %', type: 'number' },
  { key: 'previous_users', label: 'Users, previous period', type: 'integer' },
  { key: 'below_p10', label: 'Below P10', type: 'integer' },
  { key: 'above_p90', label: 'Above P90', type: 'integer' },
  { key: 'sample_users', label: 'Sample users' },
];

export function rangeDrilldown(min: number, max: number | null, filters: UsageFilters): CallRangeDrilldown {
  return { kind: 'call-range', min, max, filters: structuredClone(filters) };
}

/**
 * The outliers as call ranges (calls are integers): above P90 is calls ≥ ⌊P90⌋ + 1, below P10 is
 * calls < ⌈P10⌉ (none when P10 ≤ 1).
 */
export function outlierRanges(p: CallsPerUserPercentiles): { high: { min: number; max: null }; low: { min: number; max: number } | null } {
  const lowMax = Math.ceil(p.p10);
  return { high: { min: Math.floor(p.p90) + 1, max: null }, low: lowMax > 1 ? { min: 1, max: lowMax } : null };
}

export function userDrill(userId: string, filters: UsageFilters): UserDrilldown {
  return { kind: 'user', userId, userName: null, filters: { ...structuredClone(filters), userIds: [userId] } };
}

export interface AtRiskRow extends AtRiskUser {
  /** Weekly average of the 3 weeks before the last 7 days. */
  weeklyBefore: number;
}

export const atRiskRows = (users: readonly AtRiskUser[]): AtRiskRow[] => users.map((u) => ({ ...u, weeklyBefore: u.prev21 / 3 }));

export function atRiskColumns(filters: UsageFilters, locale = 'en-US'): DataColumn<AtRiskRow>[] {
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return [
    { key: 'userId', label: 'User ID', drill: (r) => userDrill(r.userId, filters) },
    { key: 'departmentId', label: 'Department' },
    {
      key: 'last7',
      label: 'Calls 7d vs before',
      type: 'integer',
      searchable: false,
      format: (_v, r) => `${one.format(r.last7)} vs ${one.format(r.weeklyBefore)}${r.reason === 'inactive_14d' ? ' (none in 14 days)' : ''}`,
    },
    { key: 'lastActive', label: 'Last active', type: 'date', searchable: false },
  ];
}
