import { whereSql } from '../filters.js';
import { defineQuery, num, pct, str } from '../module.js';
import { largestRemainder } from '../rounding.js';
import { list, sql } from '../sql.js';
import { bucketTable, intParam, stringListParam, ts } from './shared.js';

export interface AdoptionParams {
  /** One series per agent × version instead of per agent. */
  byVersion?: boolean;
  /** Agents to compare; default: the top series by window users (then window requests, then key). */
  agentIds?: string[];
  /** Number of series, 1–10 (FR2.5); default 10. */
  limit?: number;
}

export interface AdoptionPoint {
  date: string;
  newUsers: number;
  requests: number;
  cumulativeUsers: number;
  cumulativeRequests: number;
  /** cumulativeUsers / eligibleUsers in % (null when there are no eligible users). */
  adoptionRate: number | null;
}

export interface AdoptionSeries {
  /** agent_id, or agent_id@version with byVersion. */
  key: string;
  agentId: string;
  version: string | null;
  points: AdoptionPoint[];
}

export interface AdoptionCurve {
  /** Distinct users with a request before the window end under the filters except agent id and agent status. */
  eligibleUsers: number;
  series: AdoptionSeries[];
}

/**
 * Chart 2.10 — adoption S-curves. For each series (agent, or agent@version): per UTC day of the window,
 * new users (users whose first request to the series, under the non-time filters, falls on that day),
 * requests that day, and the cumulative users and requests since the first data (so the curve starts
 * at the pre-window baseline), capped at the window end. adoption_rate = cumulative users / eligible
 * users (a constant denominator, see {@link AdoptionCurve.eligibleUsers}).
 */
export const adoptionCurve = defineQuery<AdoptionParams, AdoptionCurve>({
  name: 'adoptionCurve',
  sql(ctx, params = {}) {
    const limit = intParam('limit', params.limit, { def: 10, min: 1, max: 10 });
    const key = params.byVersion ? sql`agent_id || '@' || agent_version` : sql`agent_id`;
    const version = params.byVersion ? sql`agent_version` : sql`NULL::VARCHAR`;
    const start = ts(ctx.range.start);
    const end = ts(ctx.range.end);
    const agentIds = stringListParam('agentIds', params.agentIds);
    const pick = agentIds.length > 0 ? sql`WHERE agent_id IN ${list(agentIds)}` : sql``;
    return sql`WITH s AS (SELECT ${key} AS series, agent_id, ${version} AS version, user_id, ts FROM requests WHERE ${whereSql(ctx, { time: 'none' })} AND ts < ${end}),
chosen AS (
  SELECT series, any_value(agent_id) AS agent_id, any_value(version) AS version FROM (
    SELECT series, agent_id, version, count(DISTINCT user_id) FILTER (WHERE ts >= ${start}) AS wu, count(*) FILTER (WHERE ts >= ${start}) AS wr
    FROM s ${pick} GROUP BY series, agent_id, version
    ORDER BY wu DESC, wr DESC, series LIMIT ${limit}) GROUP BY series),
firsts AS (SELECT series, user_id, date_trunc('day', min(ts)) AS d FROM s WHERE series IN (SELECT series FROM chosen) GROUP BY series, user_id),
days AS ${bucketTable('day', ctx.range.start, ctx.range.end)},
first_day AS (SELECT min(b) AS d0 FROM days),
daily AS (SELECT series, date_trunc('day', ts) AS d, count(*) AS n FROM s WHERE series IN (SELECT series FROM chosen) GROUP BY ALL),
news AS (SELECT series, d, count(*) AS n FROM firsts GROUP BY ALL),
base AS (
  SELECT c.series,
    (SELECT count(*) FROM firsts f, first_day WHERE f.series = c.series AND f.d < first_day.d0) AS bu,
    (SELECT coalesce(sum(n), 0) FROM daily x, first_day WHERE x.series = c.series AND x.d < first_day.d0) AS br
  FROM chosen c),
elig AS (SELECT count(DISTINCT user_id) AS e FROM requests WHERE ${whereSql(ctx, { time: 'none', omit: { agentIds: true, agentStatuses: true } })} AND ts < ${end}),
grid AS (SELECT c.series, c.agent_id, c.version, days.b AS d FROM chosen c CROSS JOIN days)
SELECT 'eligible' AS kind, e::BIGINT AS eligible FROM elig
UNION ALL BY NAME
SELECT 'point' AS kind, grid.series, grid.agent_id, grid.version, strftime(grid.d, '%Y-%m-%d') AS date,
  coalesce(news.n, 0)::BIGINT AS new_users, coalesce(daily.n, 0)::BIGINT AS requests,
  (base.bu + sum(coalesce(news.n, 0)) OVER w)::BIGINT AS cum_users,
  (base.br + sum(coalesce(daily.n, 0)) OVER w)::BIGINT AS cum_requests
FROM grid
LEFT JOIN news ON news.series = grid.series AND news.d = grid.d
LEFT JOIN daily ON daily.series = grid.series AND daily.d = grid.d
JOIN base ON base.series = grid.series
WINDOW w AS (PARTITION BY grid.series ORDER BY grid.d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY kind, series, date`;
  },
  transform(rows) {
    const series = new Map<string, AdoptionSeries>();
    const eligibleUsers = num(rows.find((r) => r.kind === 'eligible')?.eligible);
    for (const r of rows) {
      if (r.kind !== 'point') continue;
      const key = str(r.series);
      let s = series.get(key);
      if (!s)
        series.set(key, (s = { key, agentId: str(r.agent_id), version: r.version === null || r.version === undefined ? null : str(r.version), points: [] }));
      const cu = num(r.cum_users);
      s.points.push({
        date: str(r.date),
        newUsers: num(r.new_users),
        requests: num(r.requests),
        cumulativeUsers: cu,
        cumulativeRequests: num(r.cum_requests),
        adoptionRate: pct(cu, eligibleUsers),
      });
    }
    return { eligibleUsers, series: [...series.values()] };
  },
});

export interface VersionAdoptionRow {
  date: string;
  agentId: string;
  version: string;
  requests: number;
  /** Share of the agent's requests that day in % (largest remainder per agent-day; 0 when the agent had none). */
  share: number;
}

/**
 * Chart 2.3 / 2.5 "version toggle" — requests per UTC day × agent × agent_version in the filtered window,
 * zero-filled over the window's days for every (agent, version) present.
 */
export const versionAdoption = defineQuery<{ agentIds?: string[] }, VersionAdoptionRow[]>({
  name: 'versionAdoption',
  sql(ctx, params = {}) {
    const agentIds = stringListParam('agentIds', params.agentIds);
    const pick = agentIds.length > 0 ? sql` AND agent_id IN ${list(agentIds)}` : sql``;
    return sql`WITH f AS (SELECT date_trunc('day', ts) AS d, agent_id, agent_version FROM requests WHERE ${whereSql(ctx)}${pick}),
days AS ${bucketTable('day', ctx.range.start, ctx.range.end)},
pairs AS (SELECT DISTINCT agent_id, agent_version FROM f),
cnt AS (SELECT d, agent_id, agent_version, count(*) AS n FROM f GROUP BY ALL)
SELECT strftime(days.b, '%Y-%m-%d') AS date, pairs.agent_id, pairs.agent_version, coalesce(cnt.n, 0)::BIGINT AS requests
FROM days CROSS JOIN pairs LEFT JOIN cnt ON cnt.d = days.b AND cnt.agent_id = pairs.agent_id AND cnt.agent_version = pairs.agent_version
ORDER BY pairs.agent_id, date, pairs.agent_version`;
  },
  transform(rows) {
    const out: VersionAdoptionRow[] = rows.map((r) => ({
      date: str(r.date),
      agentId: str(r.agent_id),
      version: str(r.agent_version),
      requests: num(r.requests),
      share: 0,
    }));
    const groups = new Map<string, VersionAdoptionRow[]>();
    for (const r of out) {
      const k = `${r.agentId}\u0000${r.date}`;
      const g = groups.get(k);
      if (g) g.push(r);
      else groups.set(k, [r]);
    }
    for (const g of groups.values()) {
      const sh = largestRemainder(
        g.map((r) => r.requests),
        { keys: g.map((r) => r.version) },
      );
      g.forEach((r, i) => (r.share = sh[i]));
    }
    return out;
  },
});
