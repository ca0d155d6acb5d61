import { localTsOf, whereSql, type QueryContext } from '../filters.js';
import { defineQuery, num, numOrNull, str } from '../module.js';
import { and, join, literal, sql, Sql } from '../sql.js';
import { bucketCount, intParam, page, ts, wallOf } from './shared.js';

/** Days the window touches in the context's zone (local calendar days; UTC days without a zone): the denominator of "days active". */
export function windowDaysTouched(ctx: QueryContext): number {
  return bucketCount(wallOf(ctx, ctx.range.start), wallOf(ctx, ctx.range.end - 1) + 1, 'day');
}

/**
 * Lower edges of the calls-per-user histogram bins (a 1-2-5 log-ish scale); the last bin is open.
 * Bin i holds users with EDGES[i] ≤ calls < EDGES[i+1].
 */
export const CALL_BIN_EDGES = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] as const;
export const PERCENTILES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;
/** Engagement score bins: [0,10), [10,20), …, [80,90), [90,100]. */
export const SCORE_BINS = 10;
/** Weights of the engagement score (sum 1). */
export const SCORE_WEIGHTS = { callsRank: 0.4, daysActive: 0.3, recency: 0.3 } as const;

export interface HistogramBin {
  /** Inclusive lower bound. */
  min: number;
  /** Exclusive upper bound, null for the open last bin. */
  max: number | null;
  label: string;
  users: number;
}

export interface Engagement {
  users: number;
  calls: number;
  avgCalls: number;
  /** Previous period (same filters) for the "historical average" overlay. */
  previousAvgCalls: number | null;
  /** quantile_cont = linear interpolation between closest ranks (Hyndman–Fan type 7); null without users. */
  percentiles: { p10: number; p25: number; p50: number; p75: number; p90: number } | null;
  histogram: HistogramBin[];
  /** Users with calls > P90 / calls < P10. */
  outliersHigh: number;
  outliersLow: number;
  /** Engagement score distribution, SCORE_BINS bins of width 10 (the last one holds 90–100). */
  scoreHistogram: { min: number; max: number; users: number }[];
  meanScore: number | null;
  /** Users flagged at risk (see {@link atRiskSql}). */
  atRisk: number;
  /** Denominator of "days active": days the window touches in the context's zone (UTC by default). */
  daysInWindow: number;
}

const binLabel = (i: number): string => {
  const lo = CALL_BIN_EDGES[i];
  const hi = CALL_BIN_EDGES[i + 1];
  if (hi === undefined) return `${lo}+`;
  return hi - 1 === lo ? String(lo) : `${lo}–${hi - 1}`;
};

/**
 * Per-user window stats with the engagement score (0–100, integer):
 *   score = round(100 · (0.4 · cume_dist(calls) + 0.3 · daysActive / daysInWindow + 0.3 · recency))
 * where cume_dist(calls) = share of the scope's users with calls ≤ the user's (ties share the highest
 * rank; a lone user gets 1), daysActive = distinct days with a request in the window, daysInWindow =
 * days the window touches (both local days in the context's zone, UTC days by default), recency =
 * 1 − (window end − last request) / window length (instants). Rounding is half-up with a 1e-9 guard
 * so SQL and TypeScript agree on exact halves.
 */
export function userScoresSql(ctx: QueryContext): Sql {
  const { start, end } = ctx.range;
  const spanUs = end - start;
  const days = windowDaysTouched(ctx);
  return sql`SELECT user_id, n, days, last_ts,
  floor(100 * (0.4::DOUBLE * cd + 0.3::DOUBLE * (days::DOUBLE / ${literal(days)}) + 0.3::DOUBLE * (1 - (${literal(end)}::DOUBLE - epoch_us(last_ts)::DOUBLE) / ${literal(spanUs)}::DOUBLE)) + 0.5 + 1e-9) AS score
FROM (SELECT *, cume_dist() OVER (ORDER BY n) AS cd FROM (
  SELECT user_id, count(*) AS n, count(DISTINCT date_trunc('day', ${localTsOf(ctx)})) AS days, max(ts) AS last_ts FROM requests WHERE ${whereSql(ctx)} GROUP BY user_id))`;
}

/**
 * At-risk users among the window's active users (under the filters): activity in the 7 days before the
 * window end fell by more than half versus their weekly average of the 3 weeks before that
 * (last7 < 0.5 · prev21 / 3, with prev21 > 0), or no activity at all in the last 14 days.
 * Columns: user_id, last7, prev21, last14, last_ts, reason ('inactive_14d' | 'drop').
 */
export function atRiskSql(ctx: QueryContext): Sql {
  const end = ts(ctx.range.end);
  return sql`SELECT user_id, last7, prev21, last14, last_ts, CASE WHEN last14 = 0 THEN 'inactive_14d' ELSE 'drop' END AS reason
FROM (
  SELECT w.user_id,
    count(r.ts) FILTER (WHERE r.ts >= ${end} - INTERVAL 7 DAY)::BIGINT AS last7,
    count(r.ts) FILTER (WHERE r.ts < ${end} - INTERVAL 7 DAY)::BIGINT AS prev21,
    count(r.ts) FILTER (WHERE r.ts >= ${end} - INTERVAL 14 DAY)::BIGINT AS last14,
    w.last_ts
  FROM (SELECT user_id, max(ts) AS last_ts FROM requests WHERE ${whereSql(ctx)} GROUP BY user_id) w
  LEFT JOIN (SELECT user_id, ts FROM requests WHERE ${whereSql(ctx, { time: 'none' })} AND ts >= ${end} - INTERVAL 28 DAY AND ts < ${end}) r
    ON r.user_id = w.user_id
  GROUP BY w.user_id, w.last_ts)
WHERE last14 = 0 OR (prev21 > 0 AND 6 * last7 < prev21)`;
}

/** Chart 2.4 — engagement distribution, percentiles, outliers, engagement score and at-risk count. */
export const engagement = defineQuery<void, Engagement>({
  name: 'engagement',
  sql(ctx) {
    const bins = join(
      CALL_BIN_EDGES.map((lo, i) => {
        const hi = CALL_BIN_EDGES[i + 1];
        return sql`count(*) FILTER (WHERE s.n >= ${lo}${hi === undefined ? sql`` : sql` AND s.n < ${hi}`})::DOUBLE`;
      }),
    );
    const scoreBins = join(
      Array.from({ length: 10 }, (_, i) => sql`count(*) FILTER (WHERE s.score >= ${i * 10}${i === 9 ? sql`` : sql` AND s.score < ${i * 10 + 10}`})::DOUBLE`),
    );
    return sql`WITH s AS (${userScoresSql(ctx)}),
q AS (SELECT quantile_cont(n, [${join(PERCENTILES.map((p) => sql`${p}`))}]) AS p FROM s),
prev AS (SELECT count(*)::BIGINT AS calls, count(DISTINCT user_id)::BIGINT AS users FROM requests WHERE ${whereSql(ctx, { time: 'previous' })})
SELECT count(s.n)::BIGINT AS users, coalesce(sum(s.n), 0)::BIGINT AS calls, any_value(q.p) AS p,
  count(*) FILTER (WHERE s.n > q.p[5])::BIGINT AS above_p90, count(*) FILTER (WHERE s.n < q.p[1])::BIGINT AS below_p10,
  [${bins}] AS bins, [${scoreBins}] AS score_bins, avg(s.score) AS mean_score,
  (SELECT count(*) FROM (${atRiskSql(ctx)}))::BIGINT AS at_risk,
  any_value(prev.calls) AS prev_calls, any_value(prev.users) AS prev_users
FROM q CROSS JOIN prev LEFT JOIN s ON TRUE
ORDER BY users`;
  },
  transform(rows, ctx) {
    const r = rows[0] ?? {};
    const users = num(r.users);
    const calls = num(r.calls);
    const p = Array.isArray(r.p) ? (r.p as unknown[]).map(num) : null;
    const bins = Array.isArray(r.bins) ? (r.bins as unknown[]).map(num) : [];
    const sbins = Array.isArray(r.score_bins) ? (r.score_bins as unknown[]).map(num) : [];
    const prevUsers = num(r.prev_users);
    return {
      users,
      calls,
      avgCalls: users === 0 ? 0 : calls / users,
      previousAvgCalls: prevUsers === 0 ? null : num(r.prev_calls) / prevUsers,
      percentiles: users === 0 || !p ? null : { p10: p[0], p25: p[1], p50: p[2], p75: p[3], p90: p[4] },
      histogram: CALL_BIN_EDGES.map((min, i) => ({ min, max: CALL_BIN_EDGES[i + 1] ?? null, label: binLabel(i), users: bins[i] ?? 0 })),
      outliersHigh: num(r.above_p90),
      outliersLow: num(r.below_p10),
      scoreHistogram: Array.from({ length: SCORE_BINS }, (_, i) => ({ min: i * 10, max: i === 9 ? 100 : i * 10 + 10, users: sbins[i] ?? 0 })),
      meanScore: users === 0 ? null : numOrNull(r.mean_score),
      atRisk: num(r.at_risk),
      daysInWindow: windowDaysTouched(ctx),
    };
  },
});

export interface AtRiskUser {
  userId: string;
  /** The user's department (users table), null when unknown. */
  departmentId: string | null;
  reason: 'inactive_14d' | 'drop';
  last7: number;
  prev21: number;
  /** Last request in the window, epoch ms. */
  lastActive: number;
  /** Total at-risk users (for paging). */
  total: number;
}

/** Drill-down: the at-risk users (see {@link atRiskSql}), by previous activity descending, then user id. */
export const atRiskUsers = defineQuery<{ limit?: number; offset?: number }, AtRiskUser[]>({
  name: 'atRiskUsers',
  sql(ctx, params = {}) {
    return sql`SELECT a.user_id, u.department_id, a.reason, a.last7, a.prev21, epoch_ms(a.last_ts) AS last_ms, count(*) OVER ()::BIGINT AS total
FROM (${atRiskSql(ctx)}) a LEFT JOIN users u ON u.user_id = a.user_id
ORDER BY a.prev21 DESC, a.user_id
${page(params)}`;
  },
  transform(rows) {
    return rows.map((r) => ({
      userId: str(r.user_id),
      departmentId: r.department_id === null || r.department_id === undefined ? null : str(r.department_id),
      reason: str(r.reason) as AtRiskUser['reason'],
      last7: num(r.last7),
      prev21: num(r.prev21),
      lastActive: num(r.last_ms),
      total: num(r.total),
    }));
  },
});

export interface UserCalls {
  userId: string;
  departmentId: string | null;
  calls: number;
  daysActive: number;
  lastActive: number;
  score: number;
  total: number;
}

/** Drill-down (histogram bar, outlier): users with min ≤ window calls < max, by calls desc then user id. */
export const usersByCallRange = defineQuery<{ min?: number; max?: number | null; limit?: number; offset?: number }, UserCalls[]>({
  name: 'usersByCallRange',
  sql(ctx, params = {}) {
    const conds = [sql`n >= ${intParam('min', params.min, { def: 0, min: 0, max: Number.MAX_SAFE_INTEGER })}`];
    if (params.max !== undefined && params.max !== null) conds.push(sql`n < ${intParam('max', params.max, { def: 0, min: 0, max: Number.MAX_SAFE_INTEGER })}`);
    return sql`SELECT s.user_id, u.department_id, s.n, s.days, epoch_ms(s.last_ts) AS last_ms, s.score, count(*) OVER ()::BIGINT AS total
FROM (${userScoresSql(ctx)}) s LEFT JOIN users u ON u.user_id = s.user_id
WHERE ${and(conds)}
ORDER BY s.n DESC, s.user_id
${page(params)}`;
  },
  transform(rows) {
    return rows.map((r) => ({
      userId: str(r.user_id),
      departmentId: r.department_id === null || r.department_id === undefined ? null : str(r.department_id),
      calls: num(r.n),
      daysActive: num(r.days),
      lastActive: num(r.last_ms),
      score: num(r.score),
      total: num(r.total),
    }));
  },
});
