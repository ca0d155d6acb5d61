/**
 * The Usage Analytics filters (PRD "Filters & Controls") and their compilation to SQL.
 *
 * Every list filter uses `[]` for "All". Relative time presets are anchored at the snapshot's data
 * end (`Manifest.time_range.end`), so a snapshot shows its last 30 days, not an empty "now".
 */
import { AGENT_STATUSES, ENVIRONMENTS, REQUEST_STATUSES, type AgentStatus, type Environment, type RequestStatus } from './schema.js';
import { Sql, and, list, literal, timestamp } from './sql.js';

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
}) as UsageFilters;

export function defaultFilters(overrides: Partial<UsageFilters> = {}): UsageFilters {
  return { ...structuredClone(DEFAULT_FILTERS as UsageFilters), ...overrides };
}

export type FilterErrorCode = 'unknown_value' | 'invalid_range' | 'invalid_filter';

/** A filter the data cannot satisfy: an unknown value or a malformed range. */
export class FilterError extends Error {
  override name = 'FilterError';
  constructor(
    readonly code: FilterErrorCode,
    readonly field: keyof UsageFilters | 'timeRange',
    message: string,
    readonly value?: unknown,
  ) {
    super(message);
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

const MS_HOUR = 3_600_000;
const MS_DAY = 86_400_000;
const PRESET_MS: Record<TimePreset, number> = {
  '1h': MS_HOUR,
  '24h': 24 * MS_HOUR,
  '7d': 7 * MS_DAY,
  '30d': 30 * MS_DAY,
  '90d': 90 * MS_DAY,
};

export interface ResolvedRange {
  start: Date;
  end: Date;
  prevStart: Date;
  prevEnd: Date;
  /** Suggested bucket for time series: hour for ranges ≤ 3 days, else day. */
  bucket: 'hour' | 'day';
}

function parseInstant(field: 'start' | 'end', value: string): Date {
  // Accept ISO dates and date-times; a bare date is UTC midnight.
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    throw new FilterError('invalid_range', 'timeRange', `time range ${field} is not an ISO date: ${JSON.stringify(value)}`, value);
  }
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) {
    throw new FilterError('invalid_range', 'timeRange', `time range ${field} is not a valid date: ${JSON.stringify(value)}`, value);
  }
  return d;
}

/** Resolves a time range against the anchor (the snapshot's data end). End is exclusive. */
export function resolveTimeRange(range: TimeRange, anchor: Date): ResolvedRange {
  let start: Date;
  let end: Date;
  if (range.preset === 'custom') {
    start = parseInstant('start', range.start);
    end = parseInstant('end', range.end);
    if (end.getTime() <= start.getTime()) {
      throw new FilterError('invalid_range', 'timeRange', `time range end ${range.end} is not after start ${range.start}`, range);
    }
  } else {
    const span = PRESET_MS[range.preset as TimePreset];
    if (span === undefined) throw new FilterError('invalid_range', 'timeRange', `unknown time preset ${JSON.stringify(range.preset)}`, range.preset);
    end = anchor;
    start = new Date(anchor.getTime() - span);
  }
  const span = end.getTime() - start.getTime();
  return {
    start,
    end,
    prevStart: new Date(start.getTime() - span),
    prevEnd: start,
    bucket: span <= 3 * MS_DAY ? 'hour' : 'day',
  };
}

function checkEnum<T extends string>(field: keyof UsageFilters, values: readonly string[], allowed: readonly T[]): void {
  if (!Array.isArray(values)) throw new FilterError('invalid_filter', field, `filter ${field} must be an array`, values);
  for (const v of values) {
    if (!allowed.includes(v as T)) {
      throw new FilterError('unknown_value', field, `unknown ${field} value ${JSON.stringify(v)} (expected one of ${allowed.join(', ')})`, v);
    }
  }
}

/** Validates every filter value; throws {@link FilterError} on the first bad one. */
export function validateFilters(filters: UsageFilters, dims?: Dimensions): void {
  checkEnum('agentStatuses', filters.agentStatuses, AGENT_STATUSES);
  checkEnum('environments', filters.environments, ENVIRONMENTS);
  checkEnum('requestStatuses', filters.requestStatuses, REQUEST_STATUSES);
  checkEnum('userSegments', filters.userSegments, USER_SEGMENTS);
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
  /** Snapshot data end (anchor of presets). */
  anchor: Date;
  /** Snapshot data start (first request). */
  dataStart: Date;
}

/** SQL that assigns every known user a segment as of `asOf` (see README "User segments"). */
export function segmentSql(range: { start: Date; end: Date }): Sql {
  const start = timestamp(range.start).text;
  const end = timestamp(range.end).text;
  // One scan of requests gives each user's last request and window count (was two).
  return new Sql(`WITH t AS (SELECT user_id, max(ts) AS last_ts, count(*) FILTER (WHERE ts >= ${start}) AS n FROM requests WHERE ts < ${end} GROUP BY user_id),
w AS (SELECT user_id, n, rank() OVER (ORDER BY n DESC) AS rk, ceil(0.1 * count(*) OVER ()) AS power_cut FROM t WHERE n > 0)
SELECT u.user_id,
  CASE
    WHEN t.last_ts < ${end} - INTERVAL 30 DAY THEN 'dormant'
    WHEN u.first_seen_at >= ${end} - INTERVAL 30 DAY THEN 'new'
    WHEN w.rk <= w.power_cut THEN 'power'
    ELSE 'regular'
  END AS segment,
  coalesce(w.n, 0) AS window_requests
FROM users u JOIN t USING (user_id) LEFT JOIN w USING (user_id)`);
}

/**
 * Compiles the filters to a WHERE condition over the `requests` table (unaliased columns).
 * `time`: which window to constrain to ('current', 'previous', 'both' = prevStart..end, 'none').
 */
export function whereSql(ctx: QueryContext, { omit = {}, time = 'current' }: { omit?: FilterOmit; time?: 'current' | 'previous' | 'both' | 'none' } = {}): Sql {
  const f = ctx.filters;
  const r = ctx.range;
  const c: Sql[] = [];
  if (time === 'current') c.push(new Sql(`ts >= ${timestamp(r.start)} AND ts < ${timestamp(r.end)}`));
  if (time === 'previous') c.push(new Sql(`ts >= ${timestamp(r.prevStart)} AND ts < ${timestamp(r.prevEnd)}`));
  if (time === 'both') c.push(new Sql(`ts >= ${timestamp(r.prevStart)} AND ts < ${timestamp(r.end)}`));
  const inList = (key: keyof UsageFilters, column: string, values: readonly string[]) => {
    if (!omit[key] && values.length > 0) c.push(new Sql(`${column} IN ${list(values)}`));
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
    c.push(new Sql(`agent_id IN (SELECT agent_id FROM agents WHERE agent_status IN ${list(f.agentStatuses)})`));
  }
  if (!omit.userSegments && f.userSegments.length > 0) {
    c.push(new Sql(`user_id IN (SELECT user_id FROM (${segmentSql(r)}) WHERE segment IN ${list(f.userSegments)})`));
  }
  return and(c);
}

export function makeContext(filters: UsageFilters, anchor: Date, dataStart: Date, dims?: Dimensions): QueryContext {
  validateFilters(filters, dims);
  return { filters, range: resolveTimeRange(filters.timeRange, anchor), anchor, dataStart };
}

export { literal, timestamp, list, and, Sql };
