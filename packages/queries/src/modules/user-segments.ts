import { sql, Sql } from '../sql.js';
import { USER_SEGMENTS, sharedSegmentsSql, whereSql, type QueryContext, type UserSegment } from '../filters.js';
import { defineQuery, num, numOrNull, pct, str } from '../module.js';
import { MS_DAY, ts } from './shared.js';

export interface SegmentStats {
  segment: UserSegment;
  users: number;
  /** Calls in the window (under the filters) by the segment's users. */
  calls: number;
  /** calls / users (0 when there are no users). */
  avgCalls: number;
  /** Most recent filtered request of any user of the segment before the window end, epoch ms. */
  lastActive: number | null;
  /** Mean over the segment's users of (window end − their last filtered request), in days. */
  avgDaysSinceActive: number | null;
}

export interface PeriodComparison {
  /** '30d' (MoM) or '90d' (QoQ), both ending at the window end. */
  period: '30d' | '90d';
  current: number;
  previous: number;
  /** (current − previous) / previous in %, null when previous is 0. */
  change: number | null;
  /** Users active in both periods. */
  retained: number;
  /** Users active in the previous period but not in the current one. */
  churned: number;
  /** churned / previous in %, null when previous is 0. */
  churnRate: number | null;
}

export interface UserSegments {
  /** Always the four segments, in USER_SEGMENTS order (zero-filled). */
  segments: SegmentStats[];
  /** Users with a filtered request in the window whose first_seen_at is inside / before the window. */
  newVsReturning: { new: number; returning: number };
  comparisons: PeriodComparison[];
}

/** Users in scope for the segment breakdown: every filtered request (segment filter ignored) before the window end. */
export function segmentScopeSql(ctx: QueryContext): Sql {
  const end = ts(ctx.range.end);
  const start = ts(ctx.range.start);
  return sql`SELECT h.user_id, s.segment, h.last_ts, h.n
FROM (SELECT user_id, max(ts) AS last_ts, count(*) FILTER (WHERE ts >= ${start}) AS n
      FROM requests WHERE ${whereSql(ctx, { time: 'none', omit: { userSegments: true } })} AND ts < ${end} GROUP BY user_id) h
JOIN ${sharedSegmentsSql(ctx.range)} s ON s.user_id = h.user_id`;
}

/**
 * Chart 2.2 — user segmentation (power / regular / new / dormant as defined by `segmentSql`, evaluated at
 * the window end over all users). Scope: users with any request under the filters (the segment filter
 * itself ignored) before the window end. Also new vs returning among the window's active users, and
 * MoM / QoQ unique users with churn = users active in the previous period but not the current one,
 * divided by the previous period's users (all filters apply, periods end at the window end).
 */
export const userSegments = defineQuery<void, UserSegments>({
  name: 'userSegments',
  sql(ctx) {
    const end = ts(ctx.range.end);
    const start = ts(ctx.range.start);
    const period = (days: number) => sql`SELECT '${days}d' AS key,
  count(*) FILTER (WHERE c${days})::BIGINT AS cur, count(*) FILTER (WHERE p${days})::BIGINT AS prev,
  count(*) FILTER (WHERE c${days} AND p${days})::BIGINT AS retained, count(*) FILTER (WHERE p${days} AND NOT c${days})::BIGINT AS churned
FROM act`;
    const flags = sql`bool_or(ts >= ${end} - INTERVAL 30 DAY) AS c30,
    bool_or(ts >= ${end} - INTERVAL 60 DAY AND ts < ${end} - INTERVAL 30 DAY) AS p30,
    bool_or(ts >= ${end} - INTERVAL 90 DAY) AS c90,
    bool_or(ts >= ${end} - INTERVAL 180 DAY AND ts < ${end} - INTERVAL 90 DAY) AS p90`;
    // Without a segment filter, the scope, the periods and the window's users all read the same
    // filtered requests: one scan per user gives all three (the segment filter needs separate scans).
    const ctes =
      ctx.filters.userSegments.length === 0
        ? sql`u AS (
  SELECT user_id, max(ts) AS last_ts, count(*) FILTER (WHERE ts >= ${start}) AS n,
    ${flags}
  FROM requests WHERE ${whereSql(ctx, { time: 'none' })} AND ts < ${end} GROUP BY user_id),
scope AS (SELECT u.user_id, s.segment, u.last_ts, u.n FROM u JOIN ${sharedSegmentsSql(ctx.range)} s ON s.user_id = u.user_id),
act AS (SELECT * FROM u),
win AS (SELECT us.first_seen_at FROM u JOIN users us ON us.user_id = u.user_id WHERE u.n > 0)`
        : sql`scope AS (${segmentScopeSql(ctx)}),
act AS (
  SELECT user_id,
    ${flags}
  FROM requests WHERE ${whereSql(ctx, { time: 'none' })} AND ts >= ${end} - INTERVAL 180 DAY AND ts < ${end}
  GROUP BY user_id),
win AS (SELECT u.first_seen_at FROM (SELECT DISTINCT user_id FROM requests WHERE ${whereSql(ctx)}) w JOIN users u ON u.user_id = w.user_id)`;
    return sql`WITH ${ctes}
SELECT 'segment' AS kind, segment AS key, count(*)::BIGINT AS users, sum(n)::BIGINT AS calls, epoch_ms(max(last_ts)) AS last_ms,
  avg((epoch_ms(${end}) - epoch_ms(last_ts))::DOUBLE / ${MS_DAY}) AS avg_days
FROM scope GROUP BY segment
UNION ALL BY NAME
SELECT 'split' AS kind, 'new' AS key, count(*) FILTER (WHERE first_seen_at >= ${start})::BIGINT AS users FROM win
UNION ALL BY NAME
SELECT 'split' AS kind, 'returning' AS key, count(*) FILTER (WHERE first_seen_at < ${start})::BIGINT AS users FROM win
UNION ALL BY NAME
SELECT 'period' AS kind, * FROM (${period(30)})
UNION ALL BY NAME
SELECT 'period' AS kind, * FROM (${period(90)})
ORDER BY kind, key`;
  },
  transform(rows) {
    const seg = new Map(rows.filter((r) => r.kind === 'segment').map((r) => [str(r.key), r]));
    const segments = USER_SEGMENTS.map((segment): SegmentStats => {
      const r = seg.get(segment);
      const users = num(r?.users);
      const calls = num(r?.calls);
      return {
        segment,
        users,
        calls,
        avgCalls: users === 0 ? 0 : calls / users,
        lastActive: numOrNull(r?.last_ms),
        avgDaysSinceActive: numOrNull(r?.avg_days),
      };
    });
    const split = (k: string) => num(rows.find((r) => r.kind === 'split' && r.key === k)?.users);
    const comparisons = (['30d', '90d'] as const).map((period): PeriodComparison => {
      const r = rows.find((x) => x.kind === 'period' && x.key === period) ?? {};
      const current = num(r.cur);
      const previous = num(r.prev);
      const churned = num(r.churned);
      return {
        period,
        current,
        previous,
        change: pct(current - previous, previous),
        retained: num(r.retained),
        churned,
        churnRate: pct(churned, previous),
      };
    });
    return { segments, newVsReturning: { new: split('new'), returning: split('returning') }, comparisons };
  },
});
