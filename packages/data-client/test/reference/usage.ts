/** Reference implementations: volume, time and structure modules. */
import type { UsageFilters } from '@usage-analytics/queries';
import type { CapacityRow, Dataset, RequestRow } from '../fixtures.js';
import {
  US_DAY,
  US_HOUR,
  anchorOf,
  buckets,
  cmpStr,
  dataStartOf,
  distinct,
  filterPred,
  groupBy,
  hamilton,
  isoDate,
  isoDow,
  msOf,
  rangeOf,
  select,
  utcHour,
  windowRows,
  type Range,
} from './common.js';

const DIM: Record<string, keyof RequestRow> = {
  department: 'department_id',
  agent: 'agent_id',
  environment: 'environment',
  agent_version: 'agent_version',
  status: 'status',
  intent: 'intent_category',
  provider: 'provider',
  model_family: 'model_family',
  api_client: 'api_client',
};

export function refKpis(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  const stat = (rows: RequestRow[]) => ({ calls: rows.length, users: distinct(rows.map((r) => r.user_id)), agents: distinct(rows.map((r) => r.agent_id)) });
  const c = stat(select(ds, f, range, range.start, range.end));
  const p = stat(select(ds, f, range, range.prevStart, range.prevEnd));
  const kpi = (value: number, previous: number) => ({ value, previous, delta: previous === 0 ? null : ((value - previous) / previous) * 100 });
  const avg = (x: { calls: number; users: number }) => (x.users === 0 ? 0 : x.calls / x.users);
  return { totalCalls: kpi(c.calls, p.calls), uniqueUsers: kpi(c.users, p.users), activeAgents: kpi(c.agents, p.agents), avgCallsPerUser: kpi(avg(c), avg(p)) };
}

export function refCallsOverTime(ds: Dataset, f: UsageFilters, params: { bucket?: 'hour' | 'day'; by?: string } = {}) {
  const range = rangeOf(ds, f);
  const unit = params.bucket ?? range.bucket;
  const size = unit === 'hour' ? US_HOUR : US_DAY;
  const col = DIM[params.by ?? 'department'];
  const span = range.end - range.start;
  const cur = select(ds, f, range, range.start, range.end);
  const prev = select(ds, f, range, range.prevStart, range.prevEnd);
  const b = (t: number) => Math.floor(t / size) * size;
  const keyTotals = new Map<string, number>();
  for (const r of cur) {
    const k = (r[col] as string | null) ?? 'Unknown';
    keyTotals.set(k, (keyTotals.get(k) ?? 0) + 1);
  }
  const keys = [...keyTotals.keys()].sort((x, y) => keyTotals.get(y)! - keyTotals.get(x)! || cmpStr(x, y));
  const points = buckets(range.start, range.end, size).map((t) => {
    const rows = cur.filter((r) => b(r.ts) === t);
    const values: Record<string, number> = {};
    for (const k of keys) values[k] = rows.filter((r) => ((r[col] as string | null) ?? 'Unknown') === k).length;
    const iso = new Date(msOf(t)).toISOString();
    return {
      t: msOf(t),
      label: unit === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 13)}:00Z`,
      total: rows.length,
      previous: prev.filter((r) => b(r.ts + span) === t).length,
      values,
    };
  });
  return {
    bucket: unit,
    by: params.by ?? 'department',
    keys,
    points,
    total: cur.length,
    previousTotal: points.reduce((s, p) => s + p.previous, 0),
  };
}

export function refHourWeekday(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  // Exposure: the part of each touched UTC hour inside [start, end), in hours (1 for whole hours).
  const occ = new Map<string, number>();
  for (const h of buckets(range.start, range.end, US_HOUR)) {
    const k = `${utcHour(h)}|${isoDow(h)}`;
    const inside = Math.min(h + US_HOUR, range.end) - Math.max(h, range.start);
    occ.set(k, (occ.get(k) ?? 0) + inside / US_HOUR);
  }
  const cnt = new Map<string, number>();
  for (const r of windowRows(ds, f)) {
    const k = `${utcHour(r.ts)}|${isoDow(r.ts)}`;
    cnt.set(k, (cnt.get(k) ?? 0) + 1);
  }
  const cells: { hour: number; weekday: number; requests: number; occurrences: number; avg: number; percentileRank: number }[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const k = `${hour}|${weekday}`;
      const requests = cnt.get(k) ?? 0;
      const occurrences = occ.get(k) ?? 0;
      cells.push({ hour, weekday, requests, occurrences, avg: occurrences <= 0 ? 0 : requests / occurrences, percentileRank: 0 });
    }
  }
  for (const c of cells) c.percentileRank = (100 * cells.filter((x) => x.avg < c.avg).length) / (cells.length - 1);
  return cells;
}

export function refIntentMatrix(ds: Dataset, f: UsageFilters) {
  const rows = windowRows(ds, f);
  const departments = [...new Set(rows.map((r) => r.department_id))].sort(cmpStr);
  const intents = [...new Set(rows.map((r) => r.intent_category))].sort(cmpStr);
  const counts = departments.map((d) => intents.map((i) => rows.filter((r) => r.department_id === d && r.intent_category === i).length));
  const rowTotals = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const colTotals = intents.map((_, j) => counts.reduce((a, r) => a + r[j], 0));
  return {
    departments,
    intents,
    counts,
    pctOfDept: counts.map((r) => hamilton(r, intents)),
    rowTotals,
    colTotals,
    rowShares: hamilton(rowTotals, departments),
    colShares: hamilton(colTotals, intents),
    total: rows.length,
  };
}

function concentration(values: Map<string, number>) {
  const entries = [...values.entries()];
  const n = entries.length;
  const total = entries.reduce((a, [, x]) => a + x, 0);
  const topDecileCount = Math.ceil(n / 10);
  if (n === 0 || total === 0) return { gini: null, n, total, topShare: null, top: null, topDecileCount, topDecileShare: null };
  const xs = entries.map(([, x]) => x).sort((a, b) => a - b);
  const g = (2 * xs.reduce((a, x, i) => a + (i + 1) * x, 0)) / (n * total) - (n + 1) / n;
  const desc = entries.sort((a, b) => b[1] - a[1] || cmpStr(a[0], b[0]));
  const top = desc[0];
  // The top 10 %: the first ⌈n/10⌉ by requests descending (ties by id), summed one by one.
  let decile = 0;
  for (let i = 0; i < topDecileCount; i++) decile += desc[i][1];
  return { gini: g, n, total, topShare: (top[1] / total) * 100, top: top[0], topDecileCount, topDecileShare: (decile / total) * 100 };
}

export function refGini(ds: Dataset, f: UsageFilters, params: { includeIdleAgents?: boolean } = {}) {
  const rows = windowRows(ds, f);
  const agents = new Map<string, number>();
  const users = new Map<string, number>();
  for (const r of rows) {
    agents.set(r.agent_id, (agents.get(r.agent_id) ?? 0) + 1);
    users.set(r.user_id, (users.get(r.user_id) ?? 0) + 1);
  }
  if (params.includeIdleAgents !== false) {
    for (const a of ds.agents) {
      const ok =
        (f.agentStatuses.length === 0 || f.agentStatuses.includes(a.agent_status as never)) &&
        (f.agentIds.length === 0 || f.agentIds.includes(a.agent_id)) &&
        (f.departments.length === 0 || f.departments.includes(a.department_id));
      if (ok && !agents.has(a.agent_id)) agents.set(a.agent_id, 0);
    }
  }
  return { agents: concentration(agents), users: concentration(users) };
}

interface Node {
  level: string;
  key: string;
  name: string;
  requests: number;
  users: number;
  cost: number;
  quality: number | null;
  share: number;
  shareOfParent: number;
  children: Node[];
}

export function refAgentHierarchy(ds: Dataset, f: UsageFilters): Node {
  const rows = windowRows(ds, f);
  const names = new Map(ds.agents.map((a) => [a.agent_id, a.agent_name]));
  const quality = new Map(ds.agents.map((a) => [a.agent_id, a.quality_score_avg]));
  const node = (level: string, key: string, name: string, rs: RequestRow[], children: Node[]): Node => ({
    level,
    key,
    name,
    requests: rs.length,
    users: distinct(rs.map((r) => r.user_id)),
    cost: rs.reduce((a, r) => a + r.cost_usd, 0),
    quality: level === 'agent' ? (quality.get(key) ?? null) : null,
    share: 0,
    shareOfParent: 0,
    children,
  });
  const order = (a: Node, b: Node) => b.requests - a.requests || cmpStr(a.key, b.key);
  const depts = [...groupBy(rows, (r) => r.department_id)].map(([d, drs]) =>
    node(
      'department',
      d,
      d,
      drs,
      [...groupBy(drs, (r) => r.agent_id)]
        .map(([a, ars]) =>
          node('agent', a, names.get(a) ?? a, ars, [...groupBy(ars, (r) => r.intent_category)].map(([i, irs]) => node('intent', i, i, irs, [])).sort(order)),
        )
        .sort(order),
    ),
  );
  const root = node('root', '', 'All', rows, depts.sort(order));
  root.share = rows.length > 0 ? 100 : 0;
  root.shareOfParent = root.share;
  // Shares of a level tie-break on the node's path (department, agent, intent).
  const levels: { node: Node; path: string[] }[][] = [[], [], []];
  const walk = (n: Node, depth: number, path: string[]) => {
    const sh = hamilton(
      n.children.map((c) => c.requests),
      n.children.map((c) => c.key),
    );
    n.children.forEach((c, i) => {
      c.shareOfParent = sh[i];
      levels[depth].push({ node: c, path: [...path, c.key] });
      walk(c, depth + 1, [...path, c.key]);
    });
  };
  walk(root, 0, []);
  for (const level of levels) {
    const sh = hamilton(
      level.map((x) => x.node.requests),
      level.map((x) => x.path),
    );
    level.forEach((x, i) => (x.node.share = sh[i]));
  }
  return root;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function refGeography(ds: Dataset, f: UsageFilters) {
  const rows = windowRows(ds, f);
  const stats = (rs: RequestRow[]) => ({ requests: rs.length, users: distinct(rs.map((r) => r.user_id)), avgLatencyMs: mean(rs.map((r) => r.latency_ms)) });
  const countries = [...groupBy(rows, (r) => r.country ?? 'Unknown')].sort((a, b) => cmpStr(a[0], b[0])).map(([country, rs]) => ({ country, ...stats(rs) }));
  const minOf = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null).map(Math.fround);
    return v.length === 0 ? null : Math.min(...v);
  };
  const cities = [
    ...groupBy(
      rows.filter((r) => r.city !== null),
      (r) => JSON.stringify([r.country ?? 'Unknown', r.region ?? 'Unknown', r.city]),
    ),
  ]
    .map(([k, rs]) => {
      const [country, region, city] = JSON.parse(k) as string[];
      return { country, region, city, latitude: minOf(rs.map((r) => r.latitude)), longitude: minOf(rs.map((r) => r.longitude)), ...stats(rs) };
    })
    .sort((a, b) => cmpStr(a.country, b.country) || cmpStr(a.region, b.region) || cmpStr(a.city, b.city));
  return { countries, cities };
}

export function refAgentCallGraph(ds: Dataset, f: UsageFilters) {
  const rows = windowRows(ds, f);
  const calls = rows.filter((r) => r.calling_agent_id !== null);
  const edges = [...groupBy(calls, (r) => JSON.stringify([r.calling_agent_id, r.agent_id]))]
    .map(([k, rs]) => {
      const [source, target] = JSON.parse(k) as string[];
      return {
        source,
        target,
        calls: rs.length,
        avgLatencyMs: mean(rs.map((r) => r.latency_ms)),
        errorRate: (rs.filter((r) => r.status !== 'success').length / rs.length) * 100,
      };
    })
    .sort((a, b) => cmpStr(a.source, b.source) || cmpStr(a.target, b.target));
  const ids = [...new Set(edges.flatMap((e) => [e.source, e.target]))].sort(cmpStr);
  const nodes = ids.map((id) => {
    const own = rows.filter((r) => r.agent_id === id);
    const a = ds.agents.find((x) => x.agent_id === id);
    return {
      agentId: id,
      name: a?.agent_name ?? id,
      departmentId: a?.department_id ?? null,
      status: a?.agent_status ?? null,
      requests: own.length,
      errorRate: own.length === 0 ? 0 : (100 * own.filter((r) => r.status !== 'success').length) / own.length,
    };
  });
  return { nodes, edges };
}

export function refDailySeries(ds: Dataset, f: UsageFilters, params: { span?: 'window' | 'all'; by?: string; days?: number } = {}) {
  const range = rangeOf(ds, f);
  const span = params.span ?? 'window';
  const allStart = params.days ? Math.max(dataStartOf(ds), anchorOf(ds) - params.days * US_DAY) : dataStartOf(ds);
  const [start, end] = span === 'all' ? [allStart, anchorOf(ds)] : [range.start, range.end];
  const rows = select(ds, f, range, start, end);
  const col = params.by ? DIM[params.by] : null;
  const keyOf = (r: RequestRow) => (col ? ((r[col] as string | null) ?? 'Unknown') : '');
  const keys = col ? [...new Set(rows.map(keyOf))].sort(cmpStr) : [''];
  const days = buckets(start, end, US_DAY);
  return {
    span,
    series: keys.map((key) => ({
      key,
      points: days.map((d) => {
        const rs = rows.filter((r) => keyOf(r) === key && Math.floor(r.ts / US_DAY) * US_DAY === d);
        return { date: isoDate(d), value: rs.length, users: distinct(rs.map((r) => r.user_id)), partial: d < start || d + US_DAY > end };
      }),
    })),
  };
}

export function refCapacityUtilisation(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  const rows = ds.capacity.filter((c) => c.ts < range.end && (f.environments.length === 0 || f.environments.includes(c.environment as never)));
  return [...groupBy(rows, (c) => JSON.stringify([c.resource_type, c.environment]))]
    .map(([, cs]) => {
      const c = [...cs].sort((a, b) => b.ts - a.ts || b.current_usage - a.current_usage)[0];
      const u = c.max_capacity > 0 ? c.current_usage / c.max_capacity : null;
      const status = u === null ? 'unknown' : u >= c.critical_threshold ? 'critical' : u >= c.warning_threshold ? 'warning' : 'ok';
      // The window's samples with a capacity; the peak is the highest utilisation, ties to the latest, then the higher usage.
      const win = cs.filter((w) => w.ts >= range.start && w.max_capacity > 0);
      const util = (w: CapacityRow) => w.current_usage / w.max_capacity;
      let p: CapacityRow | undefined;
      for (const w of win) {
        if (!p || util(w) > util(p) || (util(w) === util(p) && (w.ts > p.ts || (w.ts === p.ts && w.current_usage > p.current_usage)))) p = w;
      }
      const level = (w: CapacityRow) => (util(w) >= w.critical_threshold ? 'critical' : util(w) >= w.warning_threshold ? 'warning' : 'ok');
      return {
        resourceType: c.resource_type,
        environment: c.environment,
        at: msOf(c.ts),
        currentUsage: c.current_usage,
        maxCapacity: c.max_capacity,
        utilisation: u === null ? null : u * 100,
        warningThreshold: c.warning_threshold * 100,
        criticalThreshold: c.critical_threshold * 100,
        status,
        unit: c.unit,
        peakUtilisation: p ? util(p) * 100 : null,
        peakAt: p ? msOf(p.ts) : null,
        peakUsage: p ? p.current_usage : null,
        peakCapacity: p ? p.max_capacity : null,
        peakStatus: p ? level(p) : null,
        peakSamples: p ? win.filter((w) => util(w) === util(p)).length : 0,
        samples: win.length,
        warningSamples: win.filter((w) => util(w) >= w.warning_threshold).length,
        criticalSamples: win.filter((w) => util(w) >= w.critical_threshold).length,
      };
    })
    .sort((a, b) => cmpStr(a.resourceType, b.resourceType) || cmpStr(a.environment, b.environment));
}

export function refCapacitySeries(ds: Dataset, f: UsageFilters, params: { bucket?: 'hour' | 'day'; resourceType?: string } = {}) {
  const range = rangeOf(ds, f);
  const size = (params.bucket ?? range.bucket) === 'hour' ? US_HOUR : US_DAY;
  const rows = ds.capacity.filter(
    (c) =>
      c.ts >= range.start &&
      c.ts < range.end &&
      c.max_capacity > 0 &&
      (f.environments.length === 0 || f.environments.includes(c.environment as never)) &&
      (params.resourceType === undefined || c.resource_type === params.resourceType),
  );
  return [...groupBy(rows, (c) => JSON.stringify([c.resource_type, c.environment, Math.floor(c.ts / size) * size]))]
    .map(([k, cs]) => {
      const [resourceType, environment, t] = JSON.parse(k) as [string, string, number];
      const us = cs.map((c) => c.current_usage / c.max_capacity);
      return {
        resourceType,
        environment,
        t: msOf(t),
        samples: cs.length,
        avgUtilisation: mean(us) * 100,
        maxUtilisation: Math.max(...us) * 100,
        breaches: cs.filter((c) => c.current_usage / c.max_capacity >= c.warning_threshold).length,
        criticalBreaches: cs.filter((c) => c.current_usage / c.max_capacity >= c.critical_threshold).length,
      };
    })
    .sort((a, b) => cmpStr(a.resourceType, b.resourceType) || cmpStr(a.environment, b.environment) || a.t - b.t);
}

/** Request-log row shape shared by the agent log and the bucket drill-down. */
export function logRow(r: RequestRow, total: number) {
  return {
    requestId: r.request_id,
    ts: msOf(r.ts),
    userId: r.user_id,
    departmentId: r.department_id,
    environment: r.environment,
    agentVersion: r.agent_version,
    intent: r.intent_category,
    status: r.status,
    modelFamily: r.model_family,
    provider: r.provider,
    latencyMs: r.latency_ms,
    costUsd: r.cost_usd,
    apiClient: r.api_client,
    sessionId: r.session_id,
    callingAgentId: r.calling_agent_id,
    total,
  };
}

export function refRequestsInBucket(
  ds: Dataset,
  f: UsageFilters,
  params: { bucketStart: number; bucket?: 'hour' | 'day'; by?: string; key?: string; limit?: number; offset?: number },
) {
  const range = rangeOf(ds, f);
  const size = (params.bucket ?? range.bucket) === 'hour' ? US_HOUR : US_DAY;
  const b0 = params.bucketStart * 1000;
  const col = DIM[params.by ?? 'department'];
  const rows = select(ds, f, range, range.start, range.end)
    .filter((r) => r.ts >= b0 && r.ts < b0 + size && (params.key === undefined || ((r[col] as string | null) ?? 'Unknown') === params.key))
    .sort((a, b) => a.ts - b.ts || cmpStr(a.request_id, b.request_id));
  const off = params.offset ?? 0;
  return rows.slice(off, off + (params.limit ?? 50)).map((r) => logRow(r, rows.length));
}

export { filterPred, type Range };
