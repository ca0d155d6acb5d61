import { sql } from '../sql.js';
import { localTsOf, whereSql } from '../filters.js';
import { defineQuery, num, str } from '../module.js';
import { bucketTable, dimensionColumn, enumParam, intParam, ts, wallOf, type Dimension } from './shared.js';
import { US_PER_DAY } from '../time.js';

export interface DailySeriesParams {
  /** 'window' = the filter's time range (default); 'all' = the snapshot's whole data range [dataStart, anchor). */
  span?: 'window' | 'all';
  /** Optional split (one series per key, e.g. per department for per-department forecasts). */
  by?: Dimension;
  /**
   * With span 'all': only its last `days` days, [max(dataStart, anchor − days × 24 h), anchor) — a
   * day cut by that start is `partial`. For a fit on recent history (2.1's forecast uses the last 30
   * full days) without scanning all of it. Zero-filled keys are those present in the shorter span.
   */
  days?: number;
}

export interface DailyPoint {
  /** Day, YYYY-MM-DD (UTC, or local in `ctx.timeZone`). */
  date: string;
  /** Requests that day (the forecast input: `{date, value}`). */
  value: number;
  /** Exact distinct users that day. */
  users: number;
  /** The day is only partly inside the span (first/last day of a non-midnight range). */
  partial: boolean;
}

export interface DailySeriesResult {
  span: 'window' | 'all';
  /** Total series ('' key) when not split, else one per key present (keys sorted). */
  series: { key: string; points: DailyPoint[] }[];
}

/**
 * Chart 2.12 input — daily request totals over consecutive days (UTC, or local days of `ctx.timeZone`) (zero-filled), under every filter
 * except time; the span is the window or the full data range. The forecast package consumes `points`.
 */
export const dailySeries = defineQuery<DailySeriesParams, DailySeriesResult>({
  name: 'dailySeries',
  sql(ctx, params = {}) {
    const span = enumParam('span', params.span, ['window', 'all'] as const, 'window');
    const days = params.days === undefined ? undefined : intParam('days', params.days, { def: 0, min: 1, max: 100_000 });
    const [start, end] =
      span === 'all' ? [days ? Math.max(ctx.dataStart, ctx.anchor - days * US_PER_DAY) : ctx.dataStart, ctx.anchor] : [ctx.range.start, ctx.range.end];
    const key = params.by ? sql`coalesce(${dimensionColumn('by', params.by, 'department')}, 'Unknown')` : sql`''`;
    const [w0, w1] = [wallOf(ctx, start), wallOf(ctx, end)];
    return sql`WITH f AS (SELECT date_trunc('day', ${localTsOf(ctx)}) AS d, ${key} AS k, user_id FROM requests WHERE ${whereSql(ctx, { time: 'none' })} AND ts >= ${ts(start)} AND ts < ${ts(end)}),
days AS ${bucketTable('day', w0, w1)},
keys AS (SELECT DISTINCT k FROM f ${params.by ? sql`` : sql`UNION SELECT ''`}),
cnt AS (SELECT d, k, count(*) AS n, count(DISTINCT user_id) AS users FROM f GROUP BY d, k)
SELECT keys.k AS key, strftime(days.b, '%Y-%m-%d') AS date, coalesce(cnt.n, 0)::BIGINT AS requests, coalesce(cnt.users, 0)::BIGINT AS users,
  (days.b < ${ts(w0)} OR days.b + INTERVAL 1 DAY > ${ts(w1)}) AS partial
FROM days CROSS JOIN keys LEFT JOIN cnt ON cnt.d = days.b AND cnt.k = keys.k
ORDER BY key, date`;
  },
  transform(rows, _ctx, params = {}) {
    const series = new Map<string, DailyPoint[]>();
    for (const r of rows) {
      const k = str(r.key);
      let s = series.get(k);
      if (!s) series.set(k, (s = []));
      s.push({ date: str(r.date), value: num(r.requests), users: num(r.users), partial: r.partial === true });
    }
    if (!params.by && series.size === 0) series.set('', []);
    return { span: params.span ?? 'window', series: [...series.entries()].map(([key, points]) => ({ key, points })) };
  },
});
