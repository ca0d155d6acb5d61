/**
 * The Usage Analytics filters (PRD "Filters & Controls") and their compilation to SQL.
 *
 * Every list filter uses `[]` for "All". Relative time presets are anchored at the snapshot's data
 * end (`Manifest.time_range.end`, so a snapshot shows its last 30 days, not an empty "now".
 */
import { AGENT_STATUSES, ENVIRONMENTS, REQUEST_STATUSES, type AgentStatus, type Environment, type RequestStatus } from './schema.js';
import { UsageError, describeValue } from './errors.js';
import { Sql, and, constant, list, literal, sql, timestamp } from './sql.js';
import { US_PER_DAY, US_PER_HOUR, instantProblem, parseMicros, toMicros, type InstantInput, type Micros } from './time.js';
import { normaliseSavedSegments, savedSegmentsCondition, type SavedSegmentFilter } from './saved-segments.js';
import { segmentSql, sharedSegmentsSql } from './segment-sql.js';
import { isUtcZone, localTs, timeZoneParam, wallToInstant } from './time-zone.js';

export { segmentSql, sharedSegmentsSql };

export const TIME_PRESETS = ['1h', '24h', '7d', '30d', '90d'] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

export const USER_SEGMENTS = ['power', 'regular', 'new', 'dormant'] as const;
export type UserSegment = (typeof USER_SEGMENTS)[number];

export type TimeRange = { preset: TimePreset } | { preset: 'custom'; start: string; end: string };

export interface UsageFilters {
  timeRange: TimeRange;
  departments: string[];
  agentStatuses: AgentStatus[];
  intents: string[];
  userSegments: UserSegment[];
  environments: Environment[];
  providers: string[];
  /** Secondary (per chart) */
  agentIds: string[];
  userIds: string[];
  requestStatuses: RequestStatus[];
  modelFamilies: string[];
  /**
   * Saved user segments (A2.3, from the actions service): requests of users who are members of any
   * of them (the union), AND every other filter. Criteria are relative to the snapshot's end.
   */
  savedSegments: SavedSegmentFilter[];
}

/** PRD defaults: 30 days, Active agents, Production; everything else All. */
export const DEFAULT_FILTERS: Readonly<UsageFilters> = Object.freeze({
  timeRange: { preset: '30d' },
  departments: [],
  agentStatuses: ['active'],
  intents: [],
  userSegments: [],
  environments: ['production'],
  providers: [],
  agentIds: [],
  userIds: [],
  requestStatuses: [],
  modelFamilies: [],
  savedSegments: [],
}) as UsageFilters;

export function defaultFilters(overrides: Partial<UsageFilters> = {}): UsageFilters {
  return { ...structuredClone(DEFAULT_FILTERS as UsageFilters), ...overrides };
}

export type FilterErrorCode = 'unknown_value' | 'invalid_range' | 'invalid_filter';

/** A filter the data cannot satisfy: an unknown value or a malformed range. */
export class FilterError extends UsageError {
  override name = 'FilterError';
  declare readonly code: FilterErrorCode;
  declare readonly field: keyof UsageFilters | 'timeRange';
  constructor(code: FilterErrorCode, field: keyof UsageFilters | 'timeRange', message: string, value?: unknown) {
    super(code, message, { field, value });
  }
}

/** The values each dimension may take, read from the snapshot (for validation). */
export interface Dimensions {
  departments: string[];
  intents: string[];
  providers: string[];
  modelFamilies: string[];
  agentIds: string[];
  /** User ids are not enumerated (50k+); any non-empty string passes. */
}

const PRESET_US: Record<TimePreset, Micros> = {
  '1h': US_PER_HOUR,
  '24h': 24 * US_PER_HOUR,
  '7d': 7 * US_PER_DAY,
  '30d': 30 * US_PER_DAY,
  '90d': 90 * US_PER_DAY,
};

/** A time window in exact microseconds (see `time.ts`; every `end` is exclusive. */
export interface ResolvedRange {
  start: Micros;
  end: Micros;
  prevStart: Micros;
  prevEnd: Micros;
  /** Suggested bucket for time series: hour for ranges ≤ 3 days, else day. */
  bucket: 'hour' | 'day';
}

/** True when an ISO text names its own offset (`Z`, `+02:00`): then it is an instant in any zone. */
const hasOffset = (text: string): boolean => /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(text) && /[T ]\d{2}:\d{2}/.test(text);

function parseBound(field: 'start' | 'end', value: unknown, timeZone = 'UTC'): Micros {
  // ISO dates and date-times to the microsecond; a bare date is UTC midnight; impossible dates
  // (2025-02-30, T24:00) are refused rather than rolled over.
  const problem = instantProblem(value);
  if (problem !== null) {
    throw new FilterError('invalid_range', 'timeRange', `time range ${field} ${describeValue(value)} is not a valid date: ${problem}`, value);
  }
  const us = parseMicros(value)!;
  // A bare date or a date-time without an offset is a wall-clock time in the chosen zone (local midnight).
  return isUtcZone(timeZone) || hasOffset(value as string) ? us : wallToInstant(timeZone, us);
}

/**
 * Resolves a time range against the anchor (the snapshot's data end, exclusive). Custom bounds
 * without an explicit offset are wall-clock times in `timeZone` (default UTC): `2026-03-01` is local
 * midnight there.
 */
export function resolveTimeRange(range: TimeRange, anchor: InstantInput, timeZone = 'UTC'): ResolvedRange {
  if (!range || typeof range !== 'object') throw new FilterError('invalid_range', 'timeRange', 'time range is missing', range);
  let start: Micros;
  let end: Micros;
  if (range.preset === 'custom') {
    start = parseBound('start', range.start, timeZone);
    end = parseBound('end', range.end, timeZone);
    if (end <= start) {
      throw new FilterError('invalid_range', 'timeRange', `time range end ${describeValue(range.end)} is not after start ${describeValue(range.start)}`, range);
    }
  } else {
    const span = Object.hasOwn(PRESET_US, range.preset) ? PRESET_US[range.preset as TimePreset] : undefined;
    if (span === undefined)
      throw new FilterError(
        'invalid_range',
        'timeRange',
        `unknown time preset ${describeValue((range as { preset: unknown }).preset)}`,
        (range as { preset: unknown }).preset,
      );
    end = toMicros(anchor);
    start = end - span;
  }
  const span = end - start;
  return { start, end, prevStart: start - span, prevEnd: start, bucket: span <= 3 * US_PER_DAY ? 'hour' : 'day' };
}

/** `a, b, c` for an error message, clipped after a few values. */
const describeList = (values: readonly string[], max = 12): string =>
  values.length <= max ? values.join(', ') : `${values.slice(0, max).join(', ')}, … (${values.length} in all)`;

function checkEnum<T extends string>(field: keyof UsageFilters, values: readonly string[], allowed: readonly T[]): void {
  if (!Array.isArray(values)) throw new FilterError('invalid_filter', field, `filter ${field} must be an array`, values);
  for (const v of values) {
    if (!allowed.includes(v as T)) {
      throw new FilterError('unknown_value', field, `unknown ${field} value ${describeValue(v)} (expected one of ${describeList(allowed)})`, v);
    }
  }
}

const LIST_FIELDS = [
  'departments',
  'agentStatuses',
  'intents',
  'userSegments',
  'environments',
  'providers',
  'agentIds',
  'userIds',
  'requestStatuses',
  'modelFamilies',
] as const;

/** Checks `savedSegments` (an older caller may omit it: then none), naming the bad field in the message. */
function checkSavedSegments(filters: UsageFilters): void {
  const value: unknown = (filters as Partial<UsageFilters>).savedSegments;
  if (value === undefined) return;
  try {
    normaliseSavedSegments(value);
  } catch (e) {
    const err = e as Error & { value?: unknown };
    throw new FilterError('invalid_filter', 'savedSegments', `filter ${err.message}`, err.value);
  }
}

/** Validates every filter value; throws {@link FilterError} on the first bad one. */
export function validateFilters(filters: UsageFilters, dims?: Dimensions): void {
  if (!filters || typeof filters !== 'object') throw new FilterError('invalid_filter', 'timeRange', 'filters must be an object', filters);
  for (const field of LIST_FIELDS) {
    const values: unknown = filters[field];
    if (!Array.isArray(values)) throw new FilterError('invalid_filter', field, `filter ${field} must be an array`, values);
    for (const v of values) {
      if (typeof v !== 'string') throw new FilterError('invalid_filter', field, `filter ${field} holds a non-string value ${describeValue(v)}`, v);
      if (v.includes('\u0000')) throw new FilterError('invalid_filter', field, `filter ${field} value ${describeValue(v)} contains a NUL character`, v);
    }
  }
  checkEnum('agentStatuses', filters.agentStatuses, AGENT_STATUSES);
  checkEnum('environments', filters.environments, ENVIRONMENTS);
  checkEnum('requestStatuses', filters.requestStatuses, REQUEST_STATUSES);
  checkEnum('userSegments', filters.userSegments, USER_SEGMENTS);
  checkSavedSegments(filters);
  if (!Array.isArray(filters.userIds) || filters.userIds.some((u) => typeof u !== 'string' || u.length === 0)) {
    throw new FilterError('invalid_filter', 'userIds', 'userIds must be non-empty strings', filters.userIds);
  }
  if (dims) {
    checkEnum('departments', filters.departments, dims.departments);
    checkEnum('intents', filters.intents, dims.intents);
    checkEnum('providers', filters.providers, dims.providers);
    checkEnum('modelFamilies', filters.modelFamilies, dims.modelFamilies);
    checkEnum('agentIds', filters.agentIds, dims.agentIds);
  }
}

/** Which filters a query ignores (e.g. a chart that splits by department ignores nothing; the segment table ignores segment). */
export type FilterOmit = Partial<Record<keyof UsageFilters, true>>;

export interface QueryContext {
  filters: UsageFilters;
  range: ResolvedRange;
  /** Snapshot data end, exclusive (anchor of presets), exact µs. */
  anchor: Micros;
  /** Snapshot data start (first request), exact µs. */
  dataStart: Micros;
  /**
   * IANA time zone of days, hours, weeks and months (canonical; default UTC). Zone-aware modules
   * bucket with {@link localTsOf}; in UTC their SQL is unchanged.
   */
  timeZone?: string;
}

/** Options of {@link makeContext}. */
export interface ContextOptions {
  /** IANA time zone (validated; a bad one is a `ParamError` on `timeZone`). Default UTC. */
  timeZone?: string;
}

/** The local wall-clock time of `ts` in the context's zone, in SQL (the bare column in UTC; see `localTs`). */
export function localTsOf(ctx: QueryContext, column?: Sql): Sql {
  return localTs(ctx.timeZone, { start: Math.min(ctx.dataStart, ctx.range.prevStart), end: Math.max(ctx.anchor, ctx.range.end) }, column);
}

/**
 * Compiles the filters to a WHERE condition over the `requests` table (unaliased columns).
 * `time`: which window to constrain to ('current', 'previous', 'both' = prevStart..end, 'none').
 */
export function whereSql(ctx: QueryContext, { omit = {}, time = 'current' }: { omit?: FilterOmit; time?: 'current' | 'previous' | 'both' | 'none' } = {}): Sql {
  const f = ctx.filters;
  const r = ctx.range;
  const c: Sql[] = [];
  if (time === 'current') c.push(sql`ts >= ${timestamp(r.start)} AND ts < ${timestamp(r.end)}`);
  if (time === 'previous') c.push(sql`ts >= ${timestamp(r.prevStart)} AND ts < ${timestamp(r.prevEnd)}`);
  if (time === 'both') c.push(sql`ts >= ${timestamp(r.prevStart)} AND ts < ${timestamp(r.end)}`);
  const inList = <C extends string>(key: keyof UsageFilters, column: string extends C ? never : C, values: readonly string[]) => {
    if (!omit[key] && values.length > 0) c.push(sql`${constant(column)} IN ${list(values)}`);
  };
  inList('departments', 'department_id', f.departments);
  inList('intents', 'intent_category', f.intents);
  inList('environments', 'environment', f.environments);
  inList('providers', 'provider', f.providers);
  inList('agentIds', 'agent_id', f.agentIds);
  inList('userIds', 'user_id', f.userIds);
  inList('requestStatuses', 'status', f.requestStatuses);
  inList('modelFamilies', 'model_family', f.modelFamilies);
  if (!omit.agentStatuses && f.agentStatuses.length > 0) {
    c.push(sql`agent_id IN (SELECT agent_id FROM agents WHERE agent_status IN ${list(f.agentStatuses)})`);
  }
  if (!omit.userSegments && f.userSegments.length > 0) {
    c.push(sql`user_id IN (SELECT user_id FROM ${sharedSegmentsSql(r)} AS seg WHERE segment IN ${list(f.userSegments)})`);
  }
  const saved = omit.savedSegments ? undefined : savedSegmentsCondition(f.savedSegments ?? [], ctx.anchor);
  if (saved) c.push(saved);
  return and(c);
}

/** Validates the filters and resolves their window against the snapshot's `[dataStart, anchor)`. */
export function makeContext(
  filters: UsageFilters,
  anchor: InstantInput,
  dataStart: InstantInput,
  dims?: Dimensions,
  options: ContextOptions = {},
): QueryContext {
  validateFilters(filters, dims);
  const a = toMicros(anchor);
  const timeZone = timeZoneParam('timeZone', options.timeZone);
  const ctx: QueryContext = { filters, range: resolveTimeRange(filters.timeRange, a, timeZone), anchor: a, dataStart: toMicros(dataStart) };
  if (!isUtcZone(timeZone)) ctx.timeZone = timeZone;
  return ctx;
}

export { literal, timestamp, list, and, Sql };
