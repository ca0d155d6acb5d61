/** Reference implementations: agent-level modules (adoption, portfolio, sessions, agent detail). */
import { fitAdoptionCurve } from '@usage-analytics/forecast';
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset, RequestRow, SessionRow } from '../fixtures.js';
import { MS_DAY, US_DAY, buckets, cmpStr, distinct, groupBy, hamilton, isoDate, msOf, quantile7, rangeOf, segmentsOf, select, windowRows } from './common.js';
import { savedMembersOf } from './saved-segments.js';
import { logRow } from './usage.js';

export function refAdoptionCurve(
  ds: Dataset,
  f: UsageFilters,
  params: { byVersion?: boolean; agentIds?: string[]; limit?: number; forecastDays?: number } = {},
) {
  const range = rangeOf(ds, f);
  const rows = select(ds, f, range, -Infinity, range.end);
  const keyOf = (r: RequestRow) => (params.byVersion ? `${r.agent_id}@${r.agent_version}` : r.agent_id);
  const groups = groupBy(
    rows.filter((r) => !params.agentIds?.length || params.agentIds.includes(r.agent_id)),
    keyOf,
  );
  const ranked = [...groups]
    .map(([key, rs]) => {
      const win = rs.filter((r) => r.ts >= range.start);
      return { key, rs, wu: distinct(win.map((r) => r.user_id)), wr: win.length };
    })
    .sort((a, b) => b.wu - a.wu || b.wr - a.wr || cmpStr(a.key, b.key))
    .slice(0, params.limit ?? 10)
    .sort((a, b) => cmpStr(a.key, b.key));
  const eligible = distinct(select(ds, f, range, -Infinity, range.end, { agentIds: true, agentStatuses: true }).map((r) => r.user_id));
  const days = buckets(range.start, range.end, US_DAY);
  const day = (t: number) => Math.floor(t / US_DAY) * US_DAY;
  return {
    eligibleUsers: eligible,
    series: ranked.map(({ key, rs }) => {
      const firstDay = new Map<string, number>();
      for (const r of rs) firstDay.set(r.user_id, Math.min(firstDay.get(r.user_id) ?? Infinity, day(r.ts)));
      const firsts = [...firstDay.values()];
      const launch = refLaunch(ds, rs[0].agent_id, params.byVersion ? rs[0].agent_version : null);
      const series = {
        key,
        agentId: rs[0].agent_id,
        version: params.byVersion ? rs[0].agent_version : null,
        ...launch,
        points: days.map((d) => {
          const cu = firsts.filter((x) => x <= d).length;
          return {
            date: isoDate(d),
            newUsers: firsts.filter((x) => x === d).length,
            requests: rs.filter((r) => day(r.ts) === d).length,
            cumulativeUsers: cu,
            cumulativeRequests: rs.filter((r) => day(r.ts) <= d).length,
            adoptionRate: eligible === 0 ? null : (cu / eligible) * 100,
          };
        }),
        forecast: [] as { date: string; cumulativeUsers: number | null; cumulativeRequests: number | null }[],
        fit: { users: null, requests: null } as Record<'users' | 'requests', { capacity: number; rate: number; rmse: number } | null>,
      };
      const horizon = params.forecastDays ?? 0;
      if (horizon > 0) {
        // The window's days from the launch day on, fed to the forecast package's fit (tested on its own).
        const seen = series.points.filter((p) => p.date >= launch.launchDate);
        const fu = fitAdoptionCurve(
          seen.map((p) => p.cumulativeUsers),
          { horizon },
        );
        const fr = fitAdoptionCurve(
          seen.map((p) => p.cumulativeRequests),
          { horizon },
        );
        series.fit = {
          users: fu && { capacity: fu.capacity, rate: fu.rate, rmse: fu.rmse },
          requests: fr && { capacity: fr.capacity, rate: fr.rate, rmse: fr.rmse },
        };
        const lastDay = days[days.length - 1];
        if (fu || fr)
          series.forecast = Array.from({ length: horizon }, (_, h) => ({
            date: isoDate(lastDay + (h + 1) * US_DAY),
            cumulativeUsers: fu ? fu.forecast[h] : null,
            cumulativeRequests: fr ? fr.forecast[h] : null,
          }));
      }
      return series;
    }),
  };
}

/**
 * A series' launch day: the earlier of the registry date (agent: created_at; version: last_deployed_at
 * when it is the registry's current version) and its first request in the whole dataset (no filters).
 */
export function refLaunch(ds: Dataset, agentId: string, version: string | null) {
  const day = (t: number) => Math.floor(t / US_DAY) * US_DAY;
  let first = Infinity;
  for (const r of ds.requests) if (r.agent_id === agentId && (version === null || r.agent_version === version)) first = Math.min(first, day(r.ts));
  const agent = ds.agents.find((a) => a.agent_id === agentId);
  const regTs = !agent ? null : version === null ? agent.created_at : agent.version === version ? agent.last_deployed_at : null;
  const reg = regTs === null ? null : day(regTs);
  const fromRegistry = reg !== null && reg <= first;
  return {
    launchDate: isoDate(fromRegistry ? reg : first),
    launchSource: fromRegistry ? 'registry' : 'first_request',
    stage: !agent ? null : version === null || agent.version === version ? agent.agent_status : 'superseded',
    agentName: agent ? agent.agent_name : null,
  };
}

export function refVersionAdoption(ds: Dataset, f: UsageFilters, params: { agentIds?: string[] } = {}) {
  const range = rangeOf(ds, f);
  const rows = windowRows(ds, f).filter((r) => !params.agentIds?.length || params.agentIds.includes(r.agent_id));
  const pairs = [...new Set(rows.map((r) => JSON.stringify([r.agent_id, r.agent_version])))].map((x) => JSON.parse(x) as [string, string]);
  const agents = [...new Set(pairs.map((p) => p[0]))].sort(cmpStr);
  const out: { date: string; agentId: string; version: string; requests: number; share: number }[] = [];
  for (const a of agents) {
    const versions = pairs
      .filter((p) => p[0] === a)
      .map((p) => p[1])
      .sort(cmpStr);
    for (const d of buckets(range.start, range.end, US_DAY)) {
      const counts = versions.map((v) => rows.filter((r) => r.agent_id === a && r.agent_version === v && Math.floor(r.ts / US_DAY) * US_DAY === d).length);
      const sh = hamilton(counts, versions);
      versions.forEach((v, i) => out.push({ date: isoDate(d), agentId: a, version: v, requests: counts[i], share: sh[i] }));
    }
  }
  return out;
}

export function refAgentPortfolio(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  const scope = ds.agents
    .filter((a) => (f.agentIds.length === 0 || f.agentIds.includes(a.agent_id)) && (f.departments.length === 0 || f.departments.includes(a.department_id)))
    .sort((a, b) => cmpStr(a.agent_id, b.agent_id));
  const rows = select(ds, f, range, range.start, range.end, { agentStatuses: true, departments: true });
  const by = groupBy(rows, (r) => r.agent_id);
  const used = scope
    .map((a) => by.get(a.agent_id)?.length ?? 0)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  const q1 = used.length ? quantile7(used, 1 / 3) : null;
  const q2 = used.length ? quantile7(used, 2 / 3) : null;
  const days = (range.end - range.start) / 1000 / MS_DAY;
  const agents = scope.map((a) => {
    const rs = by.get(a.agent_id) ?? [];
    const n = rs.length;
    const band = n === 0 ? 'none' : n <= q1! ? 'low' : n <= q2! ? 'medium' : 'high';
    const top = [...groupBy(rs, (r) => r.user_id)]
      .map(([u, x]) => [u, x.length] as const)
      .sort((x, y) => y[1] - x[1] || cmpStr(x[0], y[0]))
      .slice(0, 3)
      .map((x) => x[0]);
    return {
      agentId: a.agent_id,
      name: a.agent_name,
      status: a.agent_status,
      version: a.version,
      ownerTeam: a.owner_team,
      departmentId: a.department_id,
      lastDeployedAt: a.last_deployed_at === null ? null : msOf(a.last_deployed_at),
      deprecationDate: a.deprecation_date === null ? null : msOf(a.deprecation_date),
      requests: n,
      users: distinct(rs.map((r) => r.user_id)),
      lastRequest: n === 0 ? null : msOf(Math.max(...rs.map((r) => r.ts))),
      requestsPerDay: n / days,
      band,
      topUsers: top,
    };
  });
  const matrix: Record<string, Record<string, number>> = {};
  for (const s of ['active', 'beta', 'deprecated', 'archived']) matrix[s] = { none: 0, low: 0, medium: 0, high: 0 };
  for (const a of agents) matrix[a.status][a.band]++;
  return { agents, matrix, cuts: q1 === null || q2 === null ? null : { low: q1, medium: q2 } };
}

/** Sessions under the session-level filters (see session-transitions.ts). */
export function sessionsIn(ds: Dataset, f: UsageFilters): SessionRow[] {
  const range = rangeOf(ds, f);
  const segs = f.userSegments.length > 0 ? segmentsOf(ds, range) : null;
  const saved = savedMembersOf(ds, f.savedSegments);
  const status = new Map(ds.agents.map((a) => [a.agent_id, a.agent_status]));
  return ds.sessions.filter(
    (s) =>
      s.session_start >= range.start &&
      s.session_start < range.end &&
      s.agent_sequence.length > 0 &&
      (f.departments.length === 0 || f.departments.includes(s.department_id)) &&
      (f.environments.length === 0 || f.environments.includes(s.environment as never)) &&
      (f.userIds.length === 0 || f.userIds.includes(s.user_id)) &&
      (segs === null || f.userSegments.includes(segs.get(s.user_id) as never)) &&
      (saved === null || saved.has(s.user_id)) &&
      (f.agentIds.length === 0 || s.agent_sequence.some((a) => f.agentIds.includes(a))) &&
      (f.agentStatuses.length === 0 || s.agent_sequence.some((a) => f.agentStatuses.includes(status.get(a) as never))),
  );
}

const cmpList = (a: string[], b: string[]): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmpStr(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
};

export function refSessionTransitions(ds: Dataset, f: UsageFilters, params: { topPaths?: number } = {}) {
  const M = 20;
  const sessions = sessionsIn(ds, f);
  const links = new Map<string, number>();
  const exits = new Map<string, number>();
  for (const s of sessions) {
    const n = Math.min(s.agent_sequence.length, M);
    for (let i = 1; i < n; i++) {
      const k = JSON.stringify([i, s.agent_sequence[i - 1], i + 1, s.agent_sequence[i]]);
      links.set(k, (links.get(k) ?? 0) + 1);
    }
    const k = JSON.stringify([n, s.agent_sequence[n - 1], s.exit_reason]);
    exits.set(k, (exits.get(k) ?? 0) + 1);
  }
  const exitRows = [...exits]
    .map(([k, c]) => [JSON.parse(k) as [number, string, string], c] as const)
    .sort((a, b) => a[0][0] - b[0][0] || cmpStr(a[0][1], b[0][1]) || cmpStr(a[0][2], b[0][2]));
  const linkRows = [...links]
    .map(([k, c]) => [JSON.parse(k) as [number, string, number, string], c] as const)
    .sort((a, b) => a[0][0] - b[0][0] || cmpStr(a[0][1], b[0][1]) || a[0][2] - b[0][2] || cmpStr(a[0][3], b[0][3]));
  const nodes = new Map<string, { id: string; step: number; label: string; kind: string }>();
  const agentNode = (step: number, agent: string) => {
    const id = `${step}:${agent}`;
    nodes.set(id, { id, step, label: agent, kind: 'agent' });
    return id;
  };
  const outLinks: { source: string; target: string; sessions: number }[] = [];
  for (const [[step, agent, reason], c] of exitRows) {
    nodes.set(`exit:${reason}`, { id: `exit:${reason}`, step: M + 1, label: reason, kind: 'exit' });
    outLinks.push({ source: agentNode(step, agent), target: `exit:${reason}`, sessions: c });
  }
  for (const [[s1, a1, s2, a2], c] of linkRows) outLinks.push({ source: agentNode(s1, a1), target: agentNode(s2, a2), sessions: c });
  const paths = [...groupBy(sessions, (s) => JSON.stringify(s.agent_sequence.slice(0, M)))]
    .map(([k, ss]) => ({ path: JSON.parse(k) as string[], sessions: ss.length }))
    .sort((a, b) => b.sessions - a.sessions || cmpList(a.path, b.path))
    .slice(0, params.topPaths ?? 10);
  return {
    sessions: sessions.length,
    truncated: sessions.filter((s) => s.agent_sequence.length > M).length,
    avgLength: sessions.length === 0 ? null : sessions.reduce((a, s) => a + s.agent_sequence.length, 0) / sessions.length,
    nodes: [...nodes.values()].sort((a, b) => a.step - b.step || cmpStr(a.label, b.label)),
    links: outLinks,
    topPaths: paths,
  };
}

function agentRows(ds: Dataset, f: UsageFilters, agentId: string): RequestRow[] {
  return windowRows(ds, f, { agentIds: true, agentStatuses: true }).filter((r) => r.agent_id === agentId);
}

export function refAgentRequestLog(ds: Dataset, f: UsageFilters, params: { agentId: string; limit?: number; offset?: number }) {
  const rows = agentRows(ds, f, params.agentId).sort((a, b) => b.ts - a.ts || cmpStr(b.request_id, a.request_id));
  const off = params.offset ?? 0;
  return rows.slice(off, off + (params.limit ?? 50)).map((r) => logRow(r, rows.length));
}

export function refAgentApiClients(ds: Dataset, f: UsageFilters, params: { agentId: string }) {
  return [...groupBy(agentRows(ds, f, params.agentId), (r) => r.api_client)]
    .map(([apiClient, rs]) => ({
      apiClient,
      requests: rs.length,
      users: distinct(rs.map((r) => r.user_id)),
      errorRate: (rs.filter((r) => r.status !== 'success').length / rs.length) * 100,
      timeouts: rs.filter((r) => r.status === 'timeout').length,
      avgLatencyMs: rs.reduce((a, r) => a + r.latency_ms, 0) / rs.length,
      lastSeen: msOf(Math.max(...rs.map((r) => r.ts))),
    }))
    .sort((a, b) => b.requests - a.requests || cmpStr(a.apiClient, b.apiClient));
}

export function refAgentDaily(ds: Dataset, f: UsageFilters, params: { agentId: string }) {
  const range = rangeOf(ds, f);
  const rows = agentRows(ds, f, params.agentId);
  return buckets(range.start, range.end, US_DAY).map((d) => {
    const rs = rows.filter((r) => Math.floor(r.ts / US_DAY) * US_DAY === d);
    return {
      date: isoDate(d),
      requests: rs.length,
      users: distinct(rs.map((r) => r.user_id)),
      errors: rs.filter((r) => r.status !== 'success').length,
      avgLatencyMs: rs.length === 0 ? null : rs.reduce((a, r) => a + r.latency_ms, 0) / rs.length,
    };
  });
}
