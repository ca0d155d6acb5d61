import { fitAdoptionCurve } from '@usage-analytics/forecast';
import { localTsOf, whereSql } from '../filters.js';
import { defineQuery, num, pct, str } from '../module.js';
import { largestRemainder } from '../rounding.js';
import { list, sql } from '../sql.js';
import { bucketTable, intParam, stringListParam, ts, wallOf } from './shared.js';

export interface AdoptionParams {
  /** One series per agent × version instead of per agent. */
  byVersion?: boolean;
  /** Agents to compare; default: the top series by window users (then window requests, then key). */
  agentIds?: string[];
  /** Number of series, 1–10 (FR2.5); default 10. */
  limit?: number;
  /** Days to project each series' cumulative users and requests with a logistic S-curve (0–90); default 0 (no forecast). */
  forecastDays?: number;
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

/** Where a series' launch day comes from (see {@link AdoptionSeries.launchDate}). */
export type LaunchSource = 'registry' | 'first_request';

/** A projected day of a series (chart 2.10's forecast overlay). */
export interface AdoptionForecastPoint {
  date: string;
  /** The logistic fit's cumulative users (null when the users curve has no fit). */
  cumulativeUsers: number | null;
  /** The logistic fit's cumulative requests (null when the requests curve has no fit). */
  cumulativeRequests: number | null;
}

/** Summary of one logistic fit (see `fitAdoptionCurve` in @usage-analytics/forecast). */
export interface AdoptionFitSummary {
  /** Saturation level K. */
  capacity: number;
  /** Growth rate per day. */
  rate: number;
  /** Root mean squared error over the fitted days. */
  rmse: number;
}

export interface AdoptionSeries {
  /** agent_id, or agent_id@version with byVersion. */
  key: string;
  agentId: string;
  version: string | null;
  /**
   * Launch day 'YYYY-MM-DD' (UTC, or local in `ctx.timeZone`; a registry date more than 400 days
   * before the data takes the zone's offset at that point): the earlier of the registry date and the series' first request in the
   * whole snapshot (no filters; a log cannot precede its launch). Registry date: the agent's `created_at`
   * (per agent), or its `last_deployed_at` when the version is the registry's current `version` (per
   * version; other versions have no registry date).
   */
  launchDate: string;
  /** 'registry' when the registry date is the launch day, else 'first_request'. */
  launchSource: LaunchSource;
  /**
   * Lifecycle stage: the registry's `agent_status` (active | beta | deprecated | archived); per version,
   * `superseded` for a version other than the registry's current `version`. Null for an agent missing
   * from the registry.
   */
  stage: string | null;
  /** The registry's display name (user text: render as text), null for an agent missing from the registry. */
  agentName: string | null;
  points: AdoptionPoint[];
  /** With `forecastDays`: the next days after the window (empty without a forecast or when neither curve can be fitted). */
  forecast: AdoptionForecastPoint[];
  /** The fits behind `forecast` (null: not fitted — no forecast asked, fewer than 5 days since launch in the window, or no adoption). */
  fit: { users: AdoptionFitSummary | null; requests: AdoptionFitSummary | null };
}

export interface AdoptionCurve {
  /** Distinct users with a request before the window end under the filters except agent id and agent status. */
  eligibleUsers: number;
  series: AdoptionSeries[];
}

/**
 * Chart 2.10 — adoption S-curves. For each series (agent, or agent@version): per day of the window (UTC,
 * or local days of `ctx.timeZone`, as in dailySeries),
 * new users (users whose first request to the series, under the non-time filters, falls on that day),
 * requests that day, and the cumulative users and requests since the first data (so the curve starts
 * at the pre-window baseline), capped at the window end. adoption_rate = cumulative users / eligible
 * users (a constant denominator, see {@link AdoptionCurve.eligibleUsers}). Each series also carries its
 * launch day ({@link AdoptionSeries.launchDate}, for a days-since-launch axis), its lifecycle stage
 * from the registry and, with `forecastDays`, a logistic S-curve projection fitted to the window's days
 * from the launch day on (or from the window start when the launch is earlier).
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
    intParam('forecastDays', params.forecastDays, { def: 0, min: 0, max: 90 });
    const pick = agentIds.length > 0 ? sql`WHERE agent_id IN ${list(agentIds)}` : sql``;
    const registry = params.byVersion
      ? sql`(SELECT max(date_trunc('day', ${localTsOf(ctx, sql`a.last_deployed_at`)})) FROM agents a WHERE a.agent_id = c.agent_id AND a.version::VARCHAR = c.version)`
      : sql`(SELECT max(date_trunc('day', ${localTsOf(ctx, sql`a.created_at`)})) FROM agents a WHERE a.agent_id = c.agent_id)`;
    // Local days (the bare column in UTC); the first request's day is the local day of min(ts).
    const local = localTsOf(ctx);
    const localMin = localTsOf(ctx, sql`min(ts)`);
    const stage = params.byVersion
      ? sql`(SELECT max(CASE WHEN a.version::VARCHAR = c.version THEN a.agent_status::VARCHAR ELSE 'superseded' END) FROM agents a WHERE a.agent_id = c.agent_id)`
      : sql`(SELECT max(a.agent_status::VARCHAR) FROM agents a WHERE a.agent_id = c.agent_id)`;
    return sql`WITH s AS (SELECT ${key} AS series, agent_id, ${version} AS version, user_id, ts FROM requests WHERE ${whereSql(ctx, { time: 'none' })} AND ts < ${end}),
chosen AS (
  SELECT series, any_value(agent_id) AS agent_id, any_value(version) AS version FROM (
    SELECT series, agent_id, version, count(DISTINCT user_id) FILTER (WHERE ts >= ${start}) AS wu, count(*) FILTER (WHERE ts >= ${start}) AS wr
    FROM s ${pick} GROUP BY series, agent_id, version
    ORDER BY wu DESC, wr DESC, series LIMIT ${limit}) GROUP BY series),
firsts AS (SELECT series, user_id, date_trunc('day', ${localMin}) AS d FROM s WHERE series IN (SELECT series FROM chosen) GROUP BY series, user_id),
days AS ${bucketTable('day', wallOf(ctx, ctx.range.start), wallOf(ctx, ctx.range.end))},
first_day AS (SELECT min(b) AS d0 FROM days),
daily AS (SELECT series, date_trunc('day', ${local}) AS d, count(*) AS n FROM s WHERE series IN (SELECT series FROM chosen) GROUP BY ALL),
news AS (SELECT series, d, count(*) AS n FROM firsts GROUP BY ALL),
base AS (
  SELECT c.series,
    (SELECT count(*) FROM firsts f, first_day WHERE f.series = c.series AND f.d < first_day.d0) AS bu,
    (SELECT coalesce(sum(n), 0) FROM daily x, first_day WHERE x.series = c.series AND x.d < first_day.d0) AS br
  FROM chosen c),
elig AS (SELECT count(DISTINCT user_id) AS e FROM requests WHERE ${whereSql(ctx, { time: 'none', omit: { agentIds: true, agentStatuses: true } })} AND ts < ${end}),
grid AS (SELECT c.series, c.agent_id, c.version, days.b AS d FROM chosen c CROSS JOIN days),
firstreq AS (SELECT ${key} AS series, date_trunc('day', ${localMin}) AS f FROM requests WHERE agent_id IN (SELECT agent_id FROM chosen) GROUP BY ALL),
launch AS (SELECT c.series, firstreq.f, ${registry} AS reg,
  ${stage} AS stage,
  (SELECT max(a.agent_name) FROM agents a WHERE a.agent_id = c.agent_id) AS agent_name
  FROM chosen c JOIN firstreq ON firstreq.series = c.series)
SELECT 'eligible' AS kind, e::BIGINT AS eligible FROM elig
UNION ALL BY NAME
SELECT 'series' AS kind, series, stage, agent_name,
  CASE WHEN reg IS NOT NULL AND reg <= f THEN 'registry' ELSE 'first_request' END AS launch_source,
  strftime(CASE WHEN reg IS NOT NULL AND reg <= f THEN reg ELSE f END, '%Y-%m-%d') AS launch_date
FROM launch
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
  transform(rows, _ctx, params = {}) {
    const series = new Map<string, AdoptionSeries>();
    const eligibleUsers = num(rows.find((r) => r.kind === 'eligible')?.eligible);
    const launches = new Map(rows.filter((r) => r.kind === 'series').map((r) => [str(r.series), r]));
    for (const r of rows) {
      if (r.kind !== 'point') continue;
      const key = str(r.series);
      let s = series.get(key);
      if (!s) {
        const l = launches.get(key);
        series.set(
          key,
          (s = {
            key,
            agentId: str(r.agent_id),
            version: r.version === null || r.version === undefined ? null : str(r.version),
            launchDate: str(l?.launch_date),
            launchSource: l?.launch_source === 'registry' ? 'registry' : 'first_request',
            stage: l?.stage === null || l?.stage === undefined ? null : str(l.stage),
            agentName: l?.agent_name === null || l?.agent_name === undefined ? null : str(l.agent_name),
            points: [],
            forecast: [],
            fit: { users: null, requests: null },
          }),
        );
      }
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
    const horizon = params.forecastDays ?? 0;
    if (horizon > 0) for (const s of series.values()) addForecast(s, horizon);
    return { eligibleUsers, series: [...series.values()] };
  },
});

const MS_PER_DAY = 86_400_000;
const addDay = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * MS_PER_DAY).toISOString().slice(0, 10);

/**
 * Fits the logistic S-curve to a series' cumulative users and requests on the window's days from its
 * launch day on (all of them when it launched before the window) and projects `horizon` days after
 * the window (pure; exported for the reference tests).
 */
export function addForecast(s: AdoptionSeries, horizon: number): void {
  const from = s.points.filter((p) => p.date < s.launchDate).length;
  const observed = s.points.slice(from);
  const last = s.points[s.points.length - 1];
  if (!last) return;
  const users = fitAdoptionCurve(
    observed.map((p) => p.cumulativeUsers),
    { horizon },
  );
  const requests = fitAdoptionCurve(
    observed.map((p) => p.cumulativeRequests),
    { horizon },
  );
  const summary = (f: typeof users) => (f ? { capacity: f.capacity, rate: f.rate, rmse: f.rmse } : null);
  s.fit = { users: summary(users), requests: summary(requests) };
  if (!users && !requests) return;
  s.forecast = Array.from({ length: horizon }, (_, h) => ({
    date: addDay(last.date, h + 1),
    cumulativeUsers: users ? users.forecast[h] : null,
    cumulativeRequests: requests ? requests.forecast[h] : null,
  }));
}

export interface VersionAdoptionRow {
  date: string;
  agentId: string;
  version: string;
  requests: number;
  /** Share of the agent's requests that day in % (largest remainder per agent-day; 0 when the agent had none). */
  share: number;
}

/**
 * Chart 2.3 / 2.5 "version toggle" — requests per day (UTC, or local in `ctx.timeZone`) × agent × agent_version in the filtered window,
 * zero-filled over the window's days for every (agent, version) present.
 */
export const versionAdoption = defineQuery<{ agentIds?: string[] }, VersionAdoptionRow[]>({
  name: 'versionAdoption',
  sql(ctx, params = {}) {
    const agentIds = stringListParam('agentIds', params.agentIds);
    const pick = agentIds.length > 0 ? sql` AND agent_id IN ${list(agentIds)}` : sql``;
    return sql`WITH f AS (SELECT date_trunc('day', ${localTsOf(ctx)}) AS d, agent_id, agent_version FROM requests WHERE ${whereSql(ctx)}${pick}),
days AS ${bucketTable('day', wallOf(ctx, ctx.range.start), wallOf(ctx, ctx.range.end))},
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
