/**
 * Saved user segments (PRD A2.3) as a filter. A segment is saved by the actions service with its
 * criteria; the filter bar offers the saved ones and `whereSql` keeps the requests of their members.
 * The criteria are relative to the snapshot's data end (not to the filter's window), so a segment
 * means the same users whatever time range a chart shows, and the service's count at save time
 * equals what the browser's filter selects: both compile the criteria with {@link savedSegmentUsersSql}.
 *
 * This module is plain TS (no zod): the actions package validates the same shape on the service's
 * way in; here {@link normaliseSegmentCriteria} checks what reaches SQL, whatever its origin (a URL,
 * a stored row, a host page).
 */
import { describeValue, UsageError } from './errors.js';
import { segmentSql } from './segment-sql.js';
import { Sql, and, list, sql, timestamp, varcharList } from './sql.js';
import { US_PER_DAY, type Micros } from './time.js';

export const SEGMENT_WINDOW_DAYS = [7, 30, 90] as const;
export type SegmentWindowDays = (typeof SEGMENT_WINDOW_DAYS)[number];
export const SEGMENT_ENGAGEMENT = ['power', 'regular', 'new', 'dormant'] as const;
export type SegmentEngagement = (typeof SEGMENT_ENGAGEMENT)[number];

/** The criteria of a saved segment, every default filled in (the service stores this shape). */
export interface SegmentCriteria {
  /** The window the criteria look at: the last 7, 30 or 90 days before the snapshot's end. */
  windowDays: SegmentWindowDays;
  /** Requests in the window, inclusive bounds. */
  requests: { min?: number; max?: number };
  /** Agents used in the window: any of them, or all of them (no ids: no condition). */
  agents: { ids: string[]; mode: 'any' | 'all' };
  /** The user's department at their last request in the window; empty = any. */
  departments: string[];
  /** Engagement segments as of the snapshot's end over the window (2.2's definitions); empty = any. */
  engagement: SegmentEngagement[];
  /** Last request no longer ago than this many days before the snapshot's end. */
  lastActiveWithinDays?: number;
}

/** One selected saved segment in {@link UsageFilters.savedSegments}. */
export interface SavedSegmentFilter {
  /** The service's id (what a link stores). */
  id: string;
  /** The segment's name (user text: rendered as text only, never reaches SQL). */
  name: string;
  criteria: SegmentCriteria;
}

/** Limits shared with the service's schema (`packages/actions/src/schemas/create-segment.ts`). */
export const SEGMENT_LIMITS = Object.freeze({ ids: 100, departments: 100, idLength: 200, lastActiveMaxDays: 366, maxSelected: 20 });

/** A criteria problem: `path` names the field (`savedSegments[0].criteria.requests.min`). */
export class SegmentCriteriaError extends UsageError {
  override name = 'SegmentCriteriaError';
  constructor(
    readonly path: string,
    message: string,
    value?: unknown,
  ) {
    super('invalid_filter', `${path} ${message}`, { field: path, value });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function idList(path: string, value: unknown, max: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SegmentCriteriaError(path, `must be a list of ids, got ${describeValue(value)}`, value);
  if (value.length > max) throw new SegmentCriteriaError(path, `holds ${value.length} ids (at most ${max})`, value);
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v !== 'string' || v.length === 0 || v.length > SEGMENT_LIMITS.idLength || v.includes('\u0000')) {
      throw new SegmentCriteriaError(
        `${path}[${i}]`,
        `must be a non-empty id of at most ${SEGMENT_LIMITS.idLength} characters without NUL, got ${describeValue(v)}`,
        v,
      );
    }
    if (!out.includes(v)) out.push(v);
  });
  return out;
}

function count(path: string, value: unknown, min: number, max = 1_000_000_000): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SegmentCriteriaError(path, `must be an integer in [${min}, ${max}], got ${describeValue(value)}`, value);
  }
  return value;
}

const KNOWN = ['windowDays', 'requests', 'agents', 'departments', 'engagement', 'lastActiveWithinDays'];

/**
 * Checks criteria (as stored by the service, or as a host passes them, defaults optional) and
 * returns them with every default filled in. Throws a {@link SegmentCriteriaError} naming the field.
 */
export function normaliseSegmentCriteria(input: unknown, path = 'criteria'): SegmentCriteria {
  if (!isObject(input)) throw new SegmentCriteriaError(path, `must be an object, got ${describeValue(input)}`, input);
  const extra = Object.keys(input).find((k) => !KNOWN.includes(k));
  if (extra !== undefined) throw new SegmentCriteriaError(`${path}.${extra}`, `is not a criterion (expected ${KNOWN.join(', ')})`, extra);
  const windowDays = input.windowDays ?? 30;
  if (!SEGMENT_WINDOW_DAYS.includes(windowDays as SegmentWindowDays)) {
    throw new SegmentCriteriaError(`${path}.windowDays`, `must be 7, 30 or 90, got ${describeValue(windowDays)}`, windowDays);
  }
  const r = input.requests ?? {};
  if (!isObject(r)) throw new SegmentCriteriaError(`${path}.requests`, `must be an object {min?, max?}, got ${describeValue(r)}`, r);
  const min = count(`${path}.requests.min`, r.min, 0);
  const max = count(`${path}.requests.max`, r.max, 0);
  if (min !== undefined && max !== undefined && min > max) throw new SegmentCriteriaError(`${path}.requests.min`, `must not exceed max (${min} > ${max})`, r);
  const a = input.agents ?? {};
  if (!isObject(a)) throw new SegmentCriteriaError(`${path}.agents`, `must be an object {ids, mode}, got ${describeValue(a)}`, a);
  const mode = a.mode ?? 'any';
  if (mode !== 'any' && mode !== 'all') throw new SegmentCriteriaError(`${path}.agents.mode`, `must be 'any' or 'all', got ${describeValue(mode)}`, mode);
  const ids = idList(`${path}.agents.ids`, a.ids, SEGMENT_LIMITS.ids);
  const departments = idList(`${path}.departments`, input.departments, SEGMENT_LIMITS.departments);
  const eng = input.engagement ?? [];
  if (!Array.isArray(eng)) throw new SegmentCriteriaError(`${path}.engagement`, `must be a list, got ${describeValue(eng)}`, eng);
  const engagement: SegmentEngagement[] = [];
  eng.forEach((e, i) => {
    if (!SEGMENT_ENGAGEMENT.includes(e as SegmentEngagement)) {
      throw new SegmentCriteriaError(`${path}.engagement[${i}]`, `must be one of ${SEGMENT_ENGAGEMENT.join(', ')}, got ${describeValue(e)}`, e);
    }
    if (!engagement.includes(e as SegmentEngagement)) engagement.push(e as SegmentEngagement);
  });
  const lastActiveWithinDays = count(`${path}.lastActiveWithinDays`, input.lastActiveWithinDays, 1, SEGMENT_LIMITS.lastActiveMaxDays);
  const requests: SegmentCriteria['requests'] = {};
  if (min !== undefined) requests.min = min;
  if (max !== undefined) requests.max = max;
  const out: SegmentCriteria = { windowDays: windowDays as SegmentWindowDays, requests, agents: { ids, mode }, departments, engagement };
  if (lastActiveWithinDays !== undefined) out.lastActiveWithinDays = lastActiveWithinDays;
  return out;
}

/** Checks a `savedSegments` filter value: a list of `{id, name, criteria}` with distinct ids. Returns it normalised. */
export function normaliseSavedSegments(value: unknown, path = 'savedSegments'): SavedSegmentFilter[] {
  if (!Array.isArray(value)) throw new SegmentCriteriaError(path, `must be a list, got ${describeValue(value)}`, value);
  if (value.length > SEGMENT_LIMITS.maxSelected)
    throw new SegmentCriteriaError(path, `holds ${value.length} segments (at most ${SEGMENT_LIMITS.maxSelected})`, value);
  const seen = new Set<string>();
  return value.map((s, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(s)) throw new SegmentCriteriaError(at, `must be an object {id, name, criteria}, got ${describeValue(s)}`, s);
    if (typeof s.id !== 'string' || s.id.length === 0 || s.id.includes('\u0000'))
      throw new SegmentCriteriaError(`${at}.id`, `must be a non-empty string, got ${describeValue(s.id)}`, s.id);
    if (seen.has(s.id)) throw new SegmentCriteriaError(`${at}.id`, `repeats ${describeValue(s.id)}`, s.id);
    seen.add(s.id);
    if (typeof s.name !== 'string') throw new SegmentCriteriaError(`${at}.name`, `must be a string, got ${describeValue(s.name)}`, s.name);
    return { id: s.id, name: s.name, criteria: normaliseSegmentCriteria(s.criteria, `${at}.criteria`) };
  });
}

/**
 * The members of a saved segment: one row per user with at least one request in the criteria's
 * window `[end − windowDays, end)` matching every criterion. Columns: `user_id` (VARCHAR),
 * `department` (at the user's last request in the window), `requests` (INTEGER, in the window).
 * `end` is the snapshot's data end (exclusive). `criteria` must be normalised
 * ({@link normaliseSegmentCriteria}); values reach SQL only as literals.
 */
export function savedSegmentUsersSql(criteria: SegmentCriteria, { end }: { end: Micros }): Sql {
  const c = criteria;
  const start = end - c.windowDays * US_PER_DAY;
  const where: Sql[] = [];
  if (c.requests.min !== undefined) where.push(sql`u.n >= ${c.requests.min}`);
  if (c.requests.max !== undefined) where.push(sql`u.n <= ${c.requests.max}`);
  if (c.agents.ids.length) {
    where.push(c.agents.mode === 'all' ? sql`list_has_all(u.agents, ${varcharList(c.agents.ids)})` : sql`list_has_any(u.agents, ${varcharList(c.agents.ids)})`);
  }
  if (c.departments.length) where.push(sql`u.department IN ${list(c.departments)}`);
  if (c.engagement.length) where.push(sql`seg.segment IN ${list(c.engagement)}`);
  if (c.lastActiveWithinDays !== undefined) where.push(sql`u.last_ts >= ${timestamp(end - c.lastActiveWithinDays * US_PER_DAY)}`);
  return sql`WITH f AS (SELECT user_id::VARCHAR AS user_id, agent_id::VARCHAR AS agent_id, department_id::VARCHAR AS department_id, ts
  FROM requests WHERE ts >= ${timestamp(start)} AND ts < ${timestamp(end)}),
u AS (SELECT user_id, count(*) AS n, max(ts) AS last_ts, arg_max(department_id, ts) AS department, list(DISTINCT agent_id) AS agents FROM f GROUP BY user_id),
seg AS (${segmentSql({ start, end })})
SELECT u.user_id, u.department, u.n::INTEGER AS requests FROM u LEFT JOIN seg ON seg.user_id::VARCHAR = u.user_id
WHERE ${and(where)}`;
}

/**
 * The condition "the user is a member of any of these saved segments" over a table with a
 * `user_id` column (requests, sessions), or `undefined` when none is selected.
 */
export function savedSegmentsCondition(segments: readonly SavedSegmentFilter[], end: Micros): Sql | undefined {
  if (!segments.length) return undefined;
  // Normalised here too: the SQL depends on the criteria's values only (not key order or omitted defaults), so equal criteria share a cache key.
  const members = normaliseSavedSegments(segments).map((s) => sql`SELECT user_id FROM (${savedSegmentUsersSql(s.criteria, { end })})`);
  let union = members[0];
  for (const m of members.slice(1)) union = sql`${union} UNION ${m}`;
  return sql`user_id IN (${union})`;
}
