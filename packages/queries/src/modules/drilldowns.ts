import { US_PER_HOUR, US_PER_MS } from '../time.js';
import { HOURS_PER_WEEK, timeZoneParam, zoneSegments } from '../time-zone.js';
import { ParamError, describeValue } from '../errors.js';
import { USER_SEGMENTS, localTsOf, whereSql, type UserSegment } from '../filters.js';
import { defineQuery, num, numOrNull, str } from '../module.js';
import { join, literal, sql } from '../sql.js';
import { REQUEST_COLUMNS, toRequestLogRow, type RequestLogRow } from './agent-detail.js';
import { BUCKETS, MS_DAY, MS_HOUR, dimensionColumn, enumParam, intParam, page, ts, type Bucket, type Dimension } from './shared.js';
import { segmentScopeSql } from './user-segments.js';

export interface RequestsInBucketParams {
  /** Bucket start, epoch ms (as in callsOverTime points: local wall-clock time counted as if UTC in `ctx.timeZone`). */
  bucketStart: number;
  /** Bucket size; defaults to the range's bucket. */
  bucket?: Bucket;
  /**
   * Bucket end, epoch ms (exclusive, after `bucketStart`); default `bucketStart` + one bucket. A
   * `usage-drilldown` time bucket carries the instants of a local bucket, and a local DST day lasts 23
   * or 25 hours.
   */
  bucketEnd?: number;
  /** Optional legend key: only requests whose `by` dimension equals `key`. */
  by?: Dimension;
  key?: string;
  limit?: number;
  offset?: number;
}

/**
 * Drill-down (2.1 / 2.5 click on a time bucket) — the filtered window's requests in
 * [bucketStart, bucketStart + bucket), oldest first (ts, request id), paged; `total` = rows in the bucket,
 * equal to the bucket's count in callsOverTime. In `ctx.timeZone` the bucket is local wall-clock time
 * (a fall-back hour holds both its occurrences, as in callsOverTime).
 */
export const requestsInBucket = defineQuery<RequestsInBucketParams, RequestLogRow[]>({
  name: 'requestsInBucket',
  sql(ctx, params) {
    const unit = enumParam('bucket', params?.bucket, BUCKETS, ctx.range.bucket);
    if (typeof params?.bucketStart !== 'number' || !Number.isSafeInteger(params.bucketStart * US_PER_MS)) {
      throw new ParamError('bucketStart', `bucketStart must be epoch milliseconds, got ${describeValue(params?.bucketStart)}`, params?.bucketStart);
    }
    const b0 = params.bucketStart * US_PER_MS;
    const b1 = (params.bucketEnd ?? params.bucketStart + (unit === 'hour' ? MS_HOUR : MS_DAY)) * US_PER_MS;
    if (typeof params.bucketEnd !== 'undefined' && (typeof params.bucketEnd !== 'number' || !Number.isSafeInteger(b1) || b1 <= b0)) {
      throw new ParamError('bucketEnd', `bucketEnd must be epoch milliseconds after bucketStart, got ${describeValue(params.bucketEnd)}`, params.bucketEnd);
    }
    const keyCond =
      params.key === undefined ? sql`` : sql` AND coalesce(${dimensionColumn('by', params.by, 'department')}, 'Unknown') = ${literal(params.key)}`;
    // In a zone: local wall time in [b0, b1); an instant is within a day of its wall time, so the
    // instant bounds widened by a day keep the scan narrow without losing a row.
    const inBucket = ctx.timeZone
      ? sql`ts >= ${ts(b0 - MS_DAY * US_PER_MS)} AND ts < ${ts(b1 + MS_DAY * US_PER_MS)} AND ${localTsOf(ctx)} >= ${ts(b0)} AND ${localTsOf(ctx)} < ${ts(b1)}`
      : sql`ts >= ${ts(b0)} AND ts < ${ts(b1)}`;
    return sql`SELECT ${REQUEST_COLUMNS}
FROM requests WHERE ${whereSql(ctx)} AND ${inBucket}${keyCond}
ORDER BY ts, request_id
${page(params)}`;
  },
  transform(rows) {
    return rows.map(toRequestLogRow);
  },
});

export interface SegmentUser {
  userId: string;
  userName: string | null;
  departmentId: string | null;
  /** Calls in the window under the filters. */
  calls: number;
  /** Last filtered request before the window end, epoch ms. */
  lastActive: number;
  firstSeen: number | null;
  total: number;
}

/** Drill-down (2.2 click on a segment) — the segment's users in the userSegments scope, by window calls desc, then id. */
export const usersInSegment = defineQuery<{ segment: UserSegment; limit?: number; offset?: number }, SegmentUser[]>({
  name: 'usersInSegment',
  sql(ctx, params) {
    const segment = enumParam('segment', params?.segment, USER_SEGMENTS, 'power');
    return sql`SELECT s.user_id, u.user_name, u.department_id, s.n::BIGINT AS calls, epoch_ms(s.last_ts) AS last_ms, epoch_ms(u.first_seen_at) AS first_ms,
  count(*) OVER ()::BIGINT AS total
FROM (${segmentScopeSql(ctx)}) s LEFT JOIN users u ON u.user_id = s.user_id
WHERE s.segment = ${literal(segment)}
ORDER BY s.n DESC, s.user_id
${page(params)}`;
  },
  transform(rows) {
    return rows.map((r) => ({
      userId: str(r.user_id),
      userName: r.user_name === null || r.user_name === undefined ? null : str(r.user_name),
      departmentId: r.department_id === null || r.department_id === undefined ? null : str(r.department_id),
      calls: num(r.calls),
      lastActive: num(r.last_ms),
      firstSeen: numOrNull(r.first_ms),
      total: num(r.total),
    }));
  },
});

export interface RequestsInHourWeekdayParams {
  /** ISO weekday 1 = Monday … 7 = Sunday, in `timeZone`. */
  weekday: number;
  /** 0–23, in `timeZone`. */
  hour: number;
  /** IANA time zone of `weekday` and `hour` (default UTC). */
  timeZone?: string;
  limit?: number;
  offset?: number;
}

/**
 * Drill-down (2.16 click on a cell) — the filtered window's requests whose local weekday and hour (in
 * `timeZone`) are `weekday` and `hour`, oldest first (ts, request id), paged; `total` = the cell's
 * `requests` in hourWeekday. No SQL time zones: the window is cut into stretches of constant UTC
 * offset (time-zone.ts) and each stretch tests the local hour of the week by arithmetic.
 */
export const requestsInHourWeekday = defineQuery<RequestsInHourWeekdayParams, RequestLogRow[]>({
  name: 'requestsInHourWeekday',
  sql(ctx, params) {
    const weekday = intParam('weekday', params?.weekday, { def: -1, min: 1, max: 7 });
    const hour = intParam('hour', params?.hour, { def: -1, min: 0, max: 23 });
    if (weekday < 0 || hour < 0) throw new ParamError(weekday < 0 ? 'weekday' : 'hour', 'weekday (1–7) and hour (0–23) are required');
    const zone = timeZoneParam('timeZone', params?.timeZone ?? (ctx as { timeZone?: string } | undefined)?.timeZone);
    const slot = (weekday - 1) * 24 + hour;
    const segments = zoneSegments(zone, ctx.range.start, ctx.range.end);
    const inSlot = segments.length
      ? join(
          segments.map(
            (s) => sql`(ts >= ${ts(s.start)} AND ts < ${ts(s.end)} AND ((epoch_us(ts) + ${s.offset}) // ${US_PER_HOUR} + 72) % ${HOURS_PER_WEEK} = ${slot})`,
          ),
          ' OR ',
        )
      : sql`FALSE`;
    return sql`SELECT ${REQUEST_COLUMNS}
FROM requests WHERE ${whereSql(ctx)} AND (${inSlot})
ORDER BY ts, request_id
${page(params)}`;
  },
  transform(rows) {
    return rows.map(toRequestLogRow);
  },
});
