import { localTsOf, whereSql } from '../filters.js';
import { defineQuery, num, str } from '../module.js';
import { sql } from '../sql.js';
import { intParam, ts, wallOf } from './shared.js';

export interface AdoptionBenchmarkParams {
  /** N: days since launch the benchmark covers, and how old a launch must be to count (7–365); default 30. */
  days?: number;
}

/** The 25th, 50th and 75th percentiles (linear interpolation, `quantile_cont`) of the launches' values on one day. */
export interface BenchmarkQuantiles {
  p25: number;
  median: number;
  p75: number;
}

export interface AdoptionBenchmarkPoint {
  /** Days since launch, 0 = the launch day. */
  day: number;
  /** Cumulative distinct users by the end of that day. */
  users: BenchmarkQuantiles;
  /** Cumulative requests by the end of that day. */
  requests: BenchmarkQuantiles;
}

export interface AdoptionBenchmark {
  /** N (see {@link AdoptionBenchmarkParams.days}). */
  days: number;
  /** The past launches counted, sorted. */
  agentIds: string[];
  /** Days 0 … N−1 (empty when there is no past launch). */
  points: AdoptionBenchmarkPoint[];
}

/**
 * Chart 2.10 — the benchmark band: the median and P25–P75 of past successful launches' cumulative users
 * and requests, aligned on days since launch.
 *
 * A **past successful launch** is a registry agent whose `agent_status` is `active` (it went through
 * beta and is still in service), whose launch day L — the earlier of its `created_at` day and its first
 * request in the snapshot (no filters), as in `adoptionCurve` — is on or after the snapshot's first data
 * day (so its curve is observed from day 0) and at least N days before the window end (L + N − 1 ≤ the
 * window's last day), and that has at least one request under the filters before the window end.
 * Its curve on day k (0 ≤ k < N) counts the users whose first request to it falls on day ≤ L + k, and
 * its requests on days ≤ L + k, under every non-time filter except agent ids and agent status (the
 * benchmark is all comparable launches, not the picked ones), before the window end. Days are UTC
 * days, or local days of `ctx.timeZone` (as in adoptionCurve).
 */
export const adoptionBenchmark = defineQuery<AdoptionBenchmarkParams | undefined, AdoptionBenchmark>({
  name: 'adoptionBenchmark',
  sql(ctx, params = {}) {
    const n = intParam('days', params.days, { def: 30, min: 7, max: 365 });
    const end = ts(ctx.range.end);
    const lastDay = sql`date_trunc('day', ${ts(wallOf(ctx, ctx.range.end - 1))})`;
    const firstDay = sql`date_trunc('day', ${ts(wallOf(ctx, ctx.dataStart))})`;
    const created = sql`date_trunc('day', ${localTsOf(ctx, sql`a.created_at`)})`;
    return sql`WITH fr AS (SELECT agent_id, date_trunc('day', ${localTsOf(ctx, sql`min(ts)`)}) AS f FROM requests GROUP BY agent_id),
launched AS (
  SELECT a.agent_id, CASE WHEN a.created_at IS NOT NULL AND ${created} <= fr.f THEN ${created} ELSE fr.f END AS l
  FROM agents a JOIN fr ON fr.agent_id = a.agent_id WHERE a.agent_status = 'active'),
past AS (SELECT agent_id, l FROM launched WHERE l >= ${firstDay} AND date_diff('day', l, ${lastDay}) >= ${n - 1}),
s AS (
  SELECT r.agent_id, r.user_id, date_diff('day', p.l, date_trunc('day', ${localTsOf(ctx, sql`r.ts`)})) AS k
  FROM requests r JOIN past p ON p.agent_id = r.agent_id
  WHERE ${whereSql(ctx, { time: 'none', omit: { agentIds: true, agentStatuses: true } })} AND r.ts < ${end}),
used AS (SELECT DISTINCT agent_id FROM s),
firsts AS (SELECT agent_id, user_id, min(k) AS k FROM s GROUP BY ALL),
nu AS (SELECT agent_id, k, count(*) AS n FROM firsts WHERE k < ${n} GROUP BY ALL),
nr AS (SELECT agent_id, k, count(*) AS n FROM s WHERE k < ${n} GROUP BY ALL),
grid AS (SELECT used.agent_id, g.k FROM used CROSS JOIN (SELECT unnest(range(0, ${n})) AS k) g),
cum AS (
  SELECT grid.agent_id, grid.k,
    (sum(coalesce(nu.n, 0)) OVER w)::DOUBLE AS cu, (sum(coalesce(nr.n, 0)) OVER w)::DOUBLE AS cr
  FROM grid LEFT JOIN nu ON nu.agent_id = grid.agent_id AND nu.k = grid.k LEFT JOIN nr ON nr.agent_id = grid.agent_id AND nr.k = grid.k
  WINDOW w AS (PARTITION BY grid.agent_id ORDER BY grid.k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
SELECT 'agent' AS kind, agent_id, NULL::INTEGER AS k FROM used
UNION ALL BY NAME
SELECT 'point' AS kind, k::INTEGER AS k,
  quantile_cont(cu, 0.25)::DOUBLE AS u25, quantile_cont(cu, 0.5)::DOUBLE AS u50, quantile_cont(cu, 0.75)::DOUBLE AS u75,
  quantile_cont(cr, 0.25)::DOUBLE AS r25, quantile_cont(cr, 0.5)::DOUBLE AS r50, quantile_cont(cr, 0.75)::DOUBLE AS r75
FROM cum GROUP BY k
ORDER BY kind, k, agent_id`;
  },
  transform(rows, _ctx, params = {}) {
    return {
      days: params.days ?? 30,
      agentIds: rows.filter((r) => r.kind === 'agent').map((r) => str(r.agent_id)),
      points: rows
        .filter((r) => r.kind === 'point')
        .map((r) => ({
          day: num(r.k),
          users: { p25: num(r.u25), median: num(r.u50), p75: num(r.u75) },
          requests: { p25: num(r.r25), median: num(r.r50), p75: num(r.r75) },
        })),
    };
  },
});
