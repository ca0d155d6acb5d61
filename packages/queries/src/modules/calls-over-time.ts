import { literal, sql } from '../sql.js';
import { localTsOf, whereSql } from '../filters.js';
import { defineQuery, num, str } from '../module.js';
import { BUCKETS, bucketTable, dimensionColumn, enumParam, intervalUs, wallOf, type Bucket, type Dimension } from './shared.js';

export interface CallsOverTimeParams {
  /** Bucket size; defaults to the range's suggestion (hour for ≤ 3 days, else day). */
  bucket?: Bucket;
  /** Split dimension (default department). */
  by?: Dimension;
}

export interface CallsOverTimePoint {
  /** Bucket start, epoch ms: its UTC instant in UTC; in another zone (`ctx.timeZone`) its local wall-clock time counted as if UTC (format with `timeZone: 'UTC'`). */
  t: number;
  /** `YYYY-MM-DD` (day buckets) or `YYYY-MM-DDTHH:00Z` (hour buckets; local `YYYY-MM-DDTHH:00` without `Z` in another zone). */
  label: string;
  total: number;
  /** Calls of the previous period at the same offset (previous-period request shifted by the span). */
  previous: number;
  /** Calls per key of the split dimension (every key present, zero-filled). */
  values: Record<string, number>;
}

export interface CallsOverTime {
  bucket: Bucket;
  by: Dimension;
  /** Keys by total calls, descending, then by key. */
  keys: string[];
  points: CallsOverTimePoint[];
  total: number;
  previousTotal: number;
}

/**
 * Chart 2.1 / 2.5 — API calls per time bucket × split dimension (stacked area), zero-filled over every
 * bucket the window touches (UTC, or local days/hours in `ctx.timeZone`: a fall-back hour then holds both its occurrences), with the previous period's calls aligned by offset (a previous-period
 * request at `t` is counted in the bucket of `t + span`).
 */
export const callsOverTime = defineQuery<CallsOverTimeParams, CallsOverTime>({
  name: 'callsOverTime',
  sql(ctx, params = {}) {
    const unit = enumParam('bucket', params.bucket, BUCKETS, ctx.range.bucket);
    const col = dimensionColumn('by', params.by, 'department');
    const span = ctx.range.end - ctx.range.start;
    return sql`WITH f AS (SELECT date_trunc(${literal(unit)}, ${localTsOf(ctx)}) AS b, coalesce(${col}, 'Unknown') AS k FROM requests WHERE ${whereSql(ctx)}),
p AS (SELECT date_trunc(${literal(unit)}, ${localTsOf(ctx, sql`(ts + ${intervalUs(span)})`)}) AS b FROM requests WHERE ${whereSql(ctx, { time: 'previous' })}),
buckets AS ${bucketTable(unit, wallOf(ctx, ctx.range.start), wallOf(ctx, ctx.range.end))},
keys AS (SELECT DISTINCT k FROM f),
cur AS (SELECT b, count(*) AS n FROM f GROUP BY b),
prev AS (SELECT b, count(*) AS n FROM p GROUP BY b),
cells AS (SELECT b, k, count(*) AS n FROM f GROUP BY b, k)
SELECT 'bucket' AS kind, epoch_ms(buckets.b) AS bucket_ms, NULL::VARCHAR AS key, coalesce(cur.n, 0)::BIGINT AS calls, coalesce(prev.n, 0)::BIGINT AS prev_calls
FROM buckets LEFT JOIN cur ON cur.b = buckets.b LEFT JOIN prev ON prev.b = buckets.b
UNION ALL
SELECT 'cell', epoch_ms(buckets.b), keys.k, coalesce(cells.n, 0)::BIGINT, NULL::BIGINT
FROM buckets CROSS JOIN keys LEFT JOIN cells ON cells.b = buckets.b AND cells.k = keys.k
ORDER BY kind, bucket_ms, key`;
  },
  transform(rows, ctx, params = {}) {
    const bucket = params.bucket ?? ctx.range.bucket;
    const by = params.by ?? 'department';
    const points = new Map<number, CallsOverTimePoint>();
    const keyTotals = new Map<string, number>();
    for (const r of rows) {
      if (r.kind !== 'bucket') continue;
      const t = num(r.bucket_ms);
      const iso = new Date(t).toISOString();
      points.set(t, {
        t,
        label: bucket === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 13)}:00${ctx.timeZone ? '' : 'Z'}`,
        total: num(r.calls),
        previous: num(r.prev_calls),
        values: {},
      });
    }
    for (const r of rows) {
      if (r.kind !== 'cell') continue;
      const k = str(r.key);
      const p = points.get(num(r.bucket_ms));
      if (p) p.values[k] = num(r.calls);
      keyTotals.set(k, (keyTotals.get(k) ?? 0) + num(r.calls));
    }
    const keys = [...keyTotals.keys()].sort((a, b) => keyTotals.get(b)! - keyTotals.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
    const list = [...points.values()].sort((a, b) => a.t - b.t);
    return {
      bucket,
      by,
      keys,
      points: list,
      total: list.reduce((s, p) => s + p.total, 0),
      previousTotal: list.reduce((s, p) => s + p.previous, 0),
    };
  },
});
