/**
 * A link's state checked against the snapshot it is opened on, once, before anything queries:
 * filter values the snapshot lacks are dropped, an agent it lacks falls back to the fleet, compared
 * values it lacks are dropped, and a custom range far from its data is cut to the data or dropped.
 * It needs only the dimensions and the time bounds the client has at first paint (the precomputed
 * dimensions), so checking does not wait for the engine and charts never see an invalid filter.
 */
import {
  US_PER_DAY,
  defaultFilters,
  formatMicros,
  makeContext,
  parseMicros,
  truncMicros,
  type Dimensions,
  type Micros,
  type TimeRange,
  type UsageFilters,
} from '@usage-analytics/queries';
import type { CompareDimension, UsageLevel } from '../events/usage-level-change.js';
import type { Noun, UrlProblem } from './url-problems.js';
import { RANGE_SEP, SNAPSHOT_FIELDS, sanitizeFilters, type UrlState } from './url-state.js';

/** What a link is checked against: the snapshot's dimensions and its data's time bounds (exact µs). */
export interface SnapshotFacts {
  dims: Dimensions;
  /** The first request's time. */
  dataStart: Micros;
  /** The data end, exclusive (the client's `anchor`). */
  anchor: Micros;
}

type CustomRange = Extract<TimeRange, { preset: 'custom' }>;

const TIME: Noun = ['time range', 'time ranges'];
/** The snapshot dimension of each comparison; agent versions are not enumerated at first paint. */
const COMPARE_DIMS: Partial<Record<CompareDimension, keyof Dimensions>> = { department: 'departments', intent: 'intents', provider: 'providers' };

/** `YYYY-MM-DD` of a UTC day start. */
const day = (us: Micros): string => formatMicros(us).slice(0, 10);

/** The whole UTC days that hold the data: from the first request's day to the day after the last. */
export function dataDays(dataStart: Micros, anchor: Micros): { start: Micros; end: Micros } {
  const start = truncMicros(dataStart, 'day');
  const end = truncMicros(anchor - 1, 'day') + US_PER_DAY;
  return { start, end: Math.max(start, end) };
}

export type RangeFit =
  | { kind: 'inside' }
  /** Reaches far beyond the data: `range` is the part over the data's days. */
  | { kind: 'cut'; range: CustomRange; days: { start: Micros; end: Micros } }
  /** Far from the data and not over it at all. */
  | { kind: 'outside'; days: { start: Micros; end: Micros } };

/**
 * Where a custom range lies against the data. A range may reach beyond the data's days by up to
 * the data's own length on either side (a month before the first request, empty days after the
 * last: still a sensible view, kept as the link says). Reaching further, it is cut to the data's
 * days when it overlaps them, and is `outside` when it does not. Presets are always `inside`.
 */
export function fitRange(range: TimeRange, dataStart: Micros, anchor: Micros): RangeFit {
  if (range.preset !== 'custom') return { kind: 'inside' };
  const s = parseMicros(range.start);
  const e = parseMicros(range.end);
  const days = dataDays(dataStart, anchor);
  if (s === null || e === null) return { kind: 'outside', days };
  const reach = days.end - days.start;
  if (s >= days.start - reach && e <= days.end + reach) return { kind: 'inside' };
  if (s >= days.end || e <= days.start) return { kind: 'outside', days };
  const start = s < days.start ? day(days.start) : range.start;
  const end = e > days.end ? day(days.end) : range.end;
  return { kind: 'cut', range: { preset: 'custom', start, end }, days };
}

/** The earliest and latest date a custom range may use on this snapshot (for date inputs), `YYYY-MM-DD`. */
export function rangeLimits(dataStart: Micros, anchor: Micros): { min: string; max: string; first: string; end: string } {
  const days = dataDays(dataStart, anchor);
  const reach = days.end - days.start;
  return { min: day(days.start - reach), max: day(days.end + reach), first: day(days.start), end: day(days.end) };
}

/** True when the state holds something only the snapshot can confirm (else it can be shown at once). */
export function needsSnapshotCheck(state: UrlState): boolean {
  const { filters, level } = state;
  return (
    SNAPSHOT_FIELDS.some((k) => filters[k].length > 0) ||
    filters.timeRange.preset === 'custom' ||
    level.kind === 'agent' ||
    (level.kind === 'compare' && !!level.values?.length)
  );
}

function checkLevel(level: UsageLevel, dims: Dimensions, report: (p: UrlProblem) => void): UsageLevel {
  if (level.kind === 'agent') {
    if (dims.agentIds.includes(level.agentId)) return level;
    report({ what: ['agent', 'agents'], value: level.agentId, why: 'not in this snapshot; the fleet is shown' });
    return { kind: 'fleet' };
  }
  const dim = level.kind === 'compare' && level.values ? COMPARE_DIMS[level.by] : undefined;
  if (level.kind !== 'compare' || !level.values || !dim) return level;
  const known = new Set(dims[dim]);
  const kept = level.values.filter((v) => known.has(v));
  if (kept.length === level.values.length) return level;
  for (const v of level.values) if (!known.has(v)) report({ what: ['compared value', 'compared values'], value: v, why: 'not in this snapshot' });
  return kept.length ? { kind: 'compare', by: level.by, values: kept } : { kind: 'compare', by: level.by };
}

function checkRange(filters: UsageFilters, facts: SnapshotFacts, report: (p: UrlProblem) => void): UsageFilters {
  const range = filters.timeRange;
  const fit = fitRange(range, facts.dataStart, facts.anchor);
  if (fit.kind === 'inside' || range.preset !== 'custom') return filters;
  const value = `${range.start}${RANGE_SEP}${range.end}`;
  const data = `${day(fit.days.start)}${RANGE_SEP}${day(fit.days.end)}`;
  if (fit.kind === 'cut') {
    report({ what: TIME, value, why: `reaches far beyond the data; cut to the data, ${fit.range.start}${RANGE_SEP}${fit.range.end}` });
    return { ...filters, timeRange: fit.range };
  }
  const fallback = defaultFilters().timeRange;
  report({ what: TIME, value, why: `far from the data (${data}); the default range is shown` });
  return { ...filters, timeRange: fallback };
}

/**
 * Checks a state against the snapshot: returns the state to show (the same objects when nothing
 * changed) and one problem per value dropped or changed. Never throws.
 */
export function checkAgainstSnapshot(state: UrlState, facts: SnapshotFacts): { state: UrlState; problems: UrlProblem[] } {
  const problems: UrlProblem[] = [];
  const report = (p: UrlProblem) => void problems.push(p);
  const sane = sanitizeFilters(state.filters, facts.dims);
  problems.push(...sane.problems);
  let filters = checkRange(sane.filters, facts, report);
  const level = checkLevel(state.level, facts.dims, report);
  // Last guard: whatever the queries would still refuse (they are the judge) falls back to the defaults.
  try {
    makeContext(filters, facts.anchor, facts.dataStart, facts.dims);
  } catch (e) {
    report({ what: ['filter', 'filters'], value: '', why: `could not be used (${(e as Error).message}); the defaults are shown` });
    filters = defaultFilters();
  }
  const same = filters === state.filters && level === state.level;
  return { state: same ? state : { filters, level }, problems };
}
