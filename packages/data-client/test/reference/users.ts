/** Reference implementations: user-level modules (segments, engagement, top users, cohorts). */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset, RequestRow } from '../fixtures.js';
import {
  MS_DAY,
  US_DAY,
  anchorOf,
  buckets,
  cmpStr,
  distinct,
  groupBy,
  monthIndex,
  monthLabel,
  monthStartUs,
  msOf,
  quantile7,
  rangeOf,
  segmentsOf,
  select,
  windowRows,
  type Segment,
} from './common.js';

const SEGMENTS: Segment[] = ['power', 'regular', 'new', 'dormant'];

function page<T>(rows: T[], p: { limit?: number; offset?: number }, def = 50): T[] {
  const off = p.offset ?? 0;
  return rows.slice(off, off + (p.limit ?? def));
}

/** userSegments scope: users with a request (filters, segment filter ignored) before the window end. */
function segmentScope(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  const segs = segmentsOf(ds, range);
  const rows = select(ds, f, range, -Infinity, range.end, { userSegments: true });
  const out: { userId: string; segment: Segment; last: number; n: number }[] = [];
  for (const [u, rs] of groupBy(rows, (r) => r.user_id)) {
    const segment = segs.get(u);
    if (!segment) continue;
    out.push({ userId: u, segment, last: Math.max(...rs.map((r) => r.ts)), n: rs.filter((r) => r.ts >= range.start).length });
  }
  return out;
}

export function refUserSegments(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  const scope = segmentScope(ds, f);
  const endMs = msOf(range.end);
  const segments = SEGMENTS.map((segment) => {
    const us = scope.filter((s) => s.segment === segment);
    const calls = us.reduce((a, s) => a + s.n, 0);
    return {
      segment,
      users: us.length,
      calls,
      avgCalls: us.length === 0 ? 0 : calls / us.length,
      lastActive: us.length === 0 ? null : Math.max(...us.map((s) => msOf(s.last))),
      avgDaysSinceActive: us.length === 0 ? null : us.reduce((a, s) => a + (endMs - msOf(s.last)) / MS_DAY, 0) / us.length,
    };
  });
  const win = new Set(windowRows(ds, f).map((r) => r.user_id));
  const first = new Map(ds.users.map((u) => [u.user_id, u.first_seen_at]));
  let nw = 0;
  let ret = 0;
  for (const u of win) {
    const fs = first.get(u);
    if (fs === undefined) continue;
    if (fs >= range.start) nw++;
    else ret++;
  }
  const comparisons = ([30, 90] as const).map((days) => {
    const cur = new Set(select(ds, f, range, range.end - days * US_DAY, range.end).map((r) => r.user_id));
    const prev = new Set(select(ds, f, range, range.end - 2 * days * US_DAY, range.end - days * US_DAY).map((r) => r.user_id));
    const retained = [...prev].filter((u) => cur.has(u)).length;
    const churned = prev.size - retained;
    return {
      period: `${days}d`,
      current: cur.size,
      previous: prev.size,
      change: prev.size === 0 ? null : ((cur.size - prev.size) / prev.size) * 100,
      retained,
      churned,
      churnRate: prev.size === 0 ? null : (churned / prev.size) * 100,
    };
  });
  return { segments, newVsReturning: { new: nw, returning: ret }, comparisons };
}

export function refUsersInSegment(ds: Dataset, f: UsageFilters, params: { segment: Segment; limit?: number; offset?: number }) {
  const users = new Map(ds.users.map((u) => [u.user_id, u]));
  const rows = segmentScope(ds, f)
    .filter((s) => s.segment === params.segment)
    .sort((a, b) => b.n - a.n || cmpStr(a.userId, b.userId));
  return page(rows, params).map((s) => ({
    userId: s.userId,
    userName: users.get(s.userId)?.user_name ?? null,
    departmentId: users.get(s.userId)?.department_id ?? null,
    calls: s.n,
    lastActive: msOf(s.last),
    firstSeen: users.has(s.userId) ? msOf(users.get(s.userId)!.first_seen_at) : null,
    total: rows.length,
  }));
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The calendar date ('YYYY-MM-DD') of an epoch-µs instant in `timeZone`, from Intl parts alone. */
export function localDateOf(timeZone: string, u: number): string {
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(Math.floor(u / 1000));
}

/** Local calendar dates the window [start, end) touches in `timeZone` (every hour step and the last µs; a local day lasts ≥ 23 h). */
function localDaysTouched(timeZone: string, start: number, end: number): number {
  const days = new Set<string>([localDateOf(timeZone, end - 1)]);
  for (let u = start; u < end; u += 3_600_000_000) days.add(localDateOf(timeZone, u));
  return days.size;
}

/** Per-user window stats and engagement score as documented in engagement.ts; days are local in `timeZone` when given. */
export function userScores(ds: Dataset, f: UsageFilters, timeZone?: string) {
  const range = rangeOf(ds, f);
  const rows = windowRows(ds, f);
  const daysInWindow = timeZone ? localDaysTouched(timeZone, range.start, range.end) : buckets(range.start, range.end, US_DAY).length;
  const span = range.end - range.start;
  const per = [...groupBy(rows, (r) => r.user_id)].map(([userId, rs]) => ({
    userId,
    n: rs.length,
    days: timeZone ? distinct(rs.map((r) => localDateOf(timeZone, r.ts))) : distinct(rs.map((r) => Math.floor(r.ts / US_DAY))),
    last: Math.max(...rs.map((r) => r.ts)),
    score: 0,
  }));
  const N = per.length;
  for (const u of per) {
    const cd = per.filter((x) => x.n <= u.n).length / N;
    const composite = 0.4 * cd + 0.3 * (u.days / daysInWindow) + 0.3 * (1 - (range.end - u.last) / span);
    u.score = Math.floor(100 * composite + 0.5 + 1e-9);
  }
  return { per, daysInWindow };
}

export function atRisk(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  const end = range.end;
  const win = groupBy(windowRows(ds, f), (r) => r.user_id);
  const recent = select(ds, f, range, end - 28 * US_DAY, end);
  const out: { userId: string; reason: string; last7: number; prev21: number; lastActive: number }[] = [];
  for (const [u, rs] of win) {
    const mine = recent.filter((r) => r.user_id === u);
    const last7 = mine.filter((r) => r.ts >= end - 7 * US_DAY).length;
    const prev21 = mine.filter((r) => r.ts < end - 7 * US_DAY).length;
    const last14 = mine.filter((r) => r.ts >= end - 14 * US_DAY).length;
    if (last14 === 0 || (prev21 > 0 && last7 < (0.5 * prev21) / 3)) {
      out.push({ userId: u, reason: last14 === 0 ? 'inactive_14d' : 'drop', last7, prev21, lastActive: msOf(Math.max(...rs.map((r) => r.ts))) });
    }
  }
  return out.sort((a, b) => b.prev21 - a.prev21 || cmpStr(a.userId, b.userId));
}

export function refAtRiskUsers(ds: Dataset, f: UsageFilters, params: { limit?: number; offset?: number } = {}) {
  const all = atRisk(ds, f);
  const dept = new Map(ds.users.map((u) => [u.user_id, u.department_id]));
  return page(all, params).map((x) => ({ ...x, departmentId: dept.get(x.userId) ?? null, total: all.length }));
}

/**
 * Chart 2.4's bins, written from the rule in calls-per-user.ts: one bar per count up to 24; a long tail
 * (max ≥ 10 · max(1, median)) on the 1-2-5 scale; else the smallest nice width with at most 24 bars.
 */
export function refCallBins(hi: number, p50: number | null): { scale: 'linear' | 'log'; binWidth: number | null; edges: number[] } {
  if (hi < 1) return { scale: 'linear', binWidth: 1, edges: [] };
  const upTo = (seq: number[]) => seq.slice(0, seq.findIndex((e) => e > hi) + 1);
  if (hi <= 24) return { scale: 'linear', binWidth: 1, edges: upTo(Array.from({ length: 100 }, (_, i) => i + 1)) };
  const nice = [1, 10, 100, 1000, 10000, 100000].flatMap((d) => [d, 2 * d, 5 * d]);
  if (hi >= 10 * Math.max(1, p50 ?? 1)) return { scale: 'log', binWidth: null, edges: upTo([1, 2, 3, ...nice.slice(2)]) };
  const w = nice.find((x) => x >= 2 && Math.floor(hi / x) + 1 <= 24)!;
  return { scale: 'linear', binWidth: w, edges: upTo([1, ...Array.from({ length: 30 }, (_, i) => (i + 1) * w)]) };
}

export function refCallsPerUser(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  const cur = [...groupBy(windowRows(ds, f), (r) => r.user_id)].map(([u, rs]) => ({ u, n: rs.length }));
  const prev = [...groupBy(select(ds, f, range, range.prevStart, range.prevEnd), (r) => r.user_id)].map(([u, rs]) => ({ u, n: rs.length }));
  const pcts = (xs: { n: number }[]) => {
    if (!xs.length) return null;
    const s = xs.map((x) => x.n).sort((a, b) => a - b);
    return { p10: quantile7(s, 0.1), p25: quantile7(s, 0.25), p50: quantile7(s, 0.5), p75: quantile7(s, 0.75), p90: quantile7(s, 0.9) };
  };
  const p = pcts(cur);
  const hi = Math.max(0, ...cur.map((x) => x.n), ...prev.map((x) => x.n));
  const { scale, binWidth, edges } = refCallBins(hi, p?.p50 ?? null);
  const inBin = (n: number, i: number) => n >= edges[i] && n < edges[i + 1];
  const bins = edges.slice(0, -1).map((min, i) => {
    const mine = cur.filter((x) => inBin(x.n, i));
    return {
      min,
      max: edges[i + 1],
      label: edges[i + 1] - 1 === min ? String(min) : `${min}–${edges[i + 1] - 1}`,
      users: mine.length,
      previousUsers: prev.filter((x) => inBin(x.n, i)).length,
      belowP10: p ? mine.filter((x) => x.n < p.p10).length : 0,
      aboveP90: p ? mine.filter((x) => x.n > p.p90).length : 0,
      samples: mine
        .sort((a, b) => b.n - a.n || cmpStr(a.u, b.u))
        .slice(0, 3)
        .map((x) => x.u),
    };
  });
  const calls = cur.reduce((a, x) => a + x.n, 0);
  const prevCalls = prev.reduce((a, x) => a + x.n, 0);
  return {
    scale,
    binWidth,
    bins,
    users: cur.length,
    calls,
    avgCalls: cur.length ? calls / cur.length : 0,
    maxCalls: Math.max(0, ...cur.map((x) => x.n)),
    previousUsers: prev.length,
    previousCalls: prevCalls,
    previousAvgCalls: prev.length ? prevCalls / prev.length : null,
    percentiles: p,
    previousPercentiles: pcts(prev),
    outliersHigh: p ? cur.filter((x) => x.n > p.p90).length : 0,
    outliersLow: p ? cur.filter((x) => x.n < p.p10).length : 0,
  };
}

const EDGES = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

export function refEngagement(ds: Dataset, f: UsageFilters, _params?: unknown, timeZone?: string) {
  const range = rangeOf(ds, f);
  const { per, daysInWindow } = userScores(ds, f, timeZone);
  const users = per.length;
  const calls = per.reduce((a, u) => a + u.n, 0);
  const sorted = per.map((u) => u.n).sort((a, b) => a - b);
  const q = (p: number) => quantile7(sorted, p);
  const pct = users === 0 ? null : { p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9) };
  const prev = select(ds, f, range, range.prevStart, range.prevEnd);
  const prevUsers = distinct(prev.map((r) => r.user_id));
  return {
    users,
    calls,
    avgCalls: users === 0 ? 0 : calls / users,
    previousAvgCalls: prevUsers === 0 ? null : prev.length / prevUsers,
    percentiles: pct,
    histogram: EDGES.map((min, i) => {
      const max = EDGES[i + 1] ?? null;
      return {
        min,
        max,
        label: max === null ? `${min}+` : max - 1 === min ? String(min) : `${min}–${max - 1}`,
        users: per.filter((u) => u.n >= min && (max === null || u.n < max)).length,
      };
    }),
    outliersHigh: pct ? per.filter((u) => u.n > pct.p90).length : 0,
    outliersLow: pct ? per.filter((u) => u.n < pct.p10).length : 0,
    scoreHistogram: Array.from({ length: 10 }, (_, i) => ({
      min: i * 10,
      max: i === 9 ? 100 : i * 10 + 10,
      users: per.filter((u) => Math.min(9, Math.floor(u.score / 10)) === i).length,
    })),
    meanScore: users === 0 ? null : per.reduce((a, u) => a + u.score, 0) / users,
    atRisk: atRisk(ds, f).length,
    daysInWindow,
  };
}

export function refUsersByCallRange(
  ds: Dataset,
  f: UsageFilters,
  params: { min?: number; max?: number | null; limit?: number; offset?: number },
  timeZone?: string,
) {
  const dept = new Map(ds.users.map((u) => [u.user_id, u.department_id]));
  const rows = userScores(ds, f, timeZone)
    .per.filter((u) => u.n >= (params.min ?? 0) && (params.max === undefined || params.max === null || u.n < params.max))
    .sort((a, b) => b.n - a.n || cmpStr(a.userId, b.userId));
  return page(rows, params).map((u) => ({
    userId: u.userId,
    departmentId: dept.get(u.userId) ?? null,
    calls: u.n,
    daysActive: u.days,
    lastActive: msOf(u.last),
    score: u.score,
    total: rows.length,
  }));
}

function entropy(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return -counts.reduce((a, c) => a + (c / total) * Math.log(c / total), 0);
}

/** Per-user stats of topUsers / intentDiversity. */
export function userStats(ds: Dataset, f: UsageFilters) {
  const rows = windowRows(ds, f);
  const k = distinct(ds.requests.map((r) => r.intent_category));
  return [...groupBy(rows, (r) => r.user_id)].map(([userId, rs]) => {
    const intents = [...groupBy(rs, (r) => r.intent_category)].map(([i, x]) => [i, x.length] as const).sort((a, b) => b[1] - a[1] || cmpStr(a[0], b[0]));
    const agents = [...groupBy(rs, (r) => r.agent_id)].map(([a, x]) => [a, x.length] as const).sort((a, b) => b[1] - a[1] || cmpStr(a[0], b[0]));
    return {
      userId,
      calls: rs.length,
      cost: rs.reduce((a, r) => a + r.cost_usd, 0),
      last: Math.max(...rs.map((r) => r.ts)),
      agentsUsed: agents.length,
      primaryIntent: intents[0][0],
      intentsUsed: intents.length,
      topAgent: agents[0][0],
      concentration: (agents[0][1] / rs.length) * 100,
      diversity: k <= 1 ? 0 : entropy(intents.map((x) => x[1])) / Math.log(k),
    };
  });
}

export function refTopUsers(ds: Dataset, f: UsageFilters, params: { limit?: number; offset?: number; sortBy?: string; descending?: boolean } = {}) {
  const stats = userStats(ds, f);
  const totalCost = windowRows(ds, f).reduce((a, r) => a + r.cost_usd, 0);
  const users = new Map(ds.users.map((u) => [u.user_id, u]));
  const sortBy = params.sortBy ?? 'calls';
  const desc = params.descending ?? sortBy !== 'user_id';
  const val = (s: (typeof stats)[number]): number =>
    ({ calls: s.calls, cost: s.cost, last_active: s.last, agents_used: s.agentsUsed, concentration: s.concentration, diversity: s.diversity })[
      sortBy
    ] as number;
  stats.sort((a, b) => {
    if (sortBy === 'user_id') return desc ? cmpStr(b.userId, a.userId) : cmpStr(a.userId, b.userId);
    return (desc ? val(b) - val(a) : val(a) - val(b)) || cmpStr(a.userId, b.userId);
  });
  const off = params.offset ?? 0;
  return page(stats, params, 20).map((s, i) => ({
    rank: off + i + 1,
    userId: s.userId,
    userName: users.get(s.userId)?.user_name ?? null,
    departmentId: users.get(s.userId)?.department_id ?? null,
    calls: s.calls,
    primaryIntent: s.primaryIntent,
    cost: s.cost,
    costShare: totalCost === 0 ? null : (s.cost / totalCost) * 100,
    topAgent: s.topAgent,
    concentration: s.concentration,
    risk: s.concentration >= 90 ? 'high' : 'normal',
    agentsUsed: s.agentsUsed,
    lastActive: msOf(s.last),
    intentsUsed: s.intentsUsed,
    intentDiversity: s.diversity,
    totalUsers: stats.length,
  }));
}

export function refIntentDiversity(ds: Dataset, f: UsageFilters) {
  const stats = userStats(ds, f);
  const k = distinct(ds.requests.map((r) => r.intent_category));
  const rows = windowRows(ds, f);
  const pooled = [...groupBy(rows, (r: RequestRow) => r.intent_category).values()].map((x) => x.length);
  return {
    users: stats.length,
    categories: k,
    mean: stats.length === 0 ? null : stats.reduce((a, s) => a + s.diversity, 0) / stats.length,
    histogram: Array.from({ length: 10 }, (_, i) => ({
      min: i / 10,
      max: (i + 1) / 10,
      users: stats.filter((s) => Math.min(9, Math.floor(s.diversity * 10 + 1e-9)) === i).length,
    })),
    fleetDiversity: stats.length === 0 ? null : k <= 1 ? 0 : entropy(pooled) / Math.log(k),
  };
}

/** Cohort bases and monthly activity (filters except time, before the anchor). */
function cohorts(ds: Dataset, f: UsageFilters) {
  const range = rangeOf(ds, f);
  const anchor = anchorOf(ds);
  const rows = select(ds, f, range, -Infinity, anchor);
  const months = new Map<string, Set<number>>();
  const monthCounts = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const m = monthIndex(r.ts);
    if (!months.has(r.user_id)) months.set(r.user_id, new Set());
    months.get(r.user_id)!.add(m);
    if (!monthCounts.has(r.user_id)) monthCounts.set(r.user_id, new Map());
    const mc = monthCounts.get(r.user_id)!;
    mc.set(m, (mc.get(m) ?? 0) + 1);
  }
  const base = new Map<number, { userId: string; dept: string }[]>();
  for (const u of ds.users) {
    const cm = monthIndex(u.first_seen_at);
    if (months.get(u.user_id)?.has(cm)) {
      if (!base.has(cm)) base.set(cm, []);
      base.get(cm)!.push({ userId: u.user_id, dept: u.department_id });
    }
  }
  return { anchor, months, monthCounts, base };
}

export function refRetention(ds: Dataset, f: UsageFilters, params: { maxOffset?: number } = {}) {
  const { anchor, months, base } = cohorts(ds, f);
  const last = monthIndex(anchor - 1);
  const out: { cohortMonth: string; monthOffset: number; cohortSize: number; retainedUsers: number; retentionPct: number; incomplete: boolean }[] = [];
  for (const cm of [...base.keys()].sort((a, b) => a - b)) {
    const members = base.get(cm)!;
    for (let k = 0; k <= Math.min(last - cm, params.maxOffset ?? 1200); k++) {
      const retained = members.filter((m) => months.get(m.userId)!.has(cm + k)).length;
      out.push({
        cohortMonth: monthLabel(cm),
        monthOffset: k,
        cohortSize: members.length,
        retainedUsers: retained,
        retentionPct: (retained / members.length) * 100,
        incomplete: monthStartUs(cm + k + 1) > anchor,
      });
    }
  }
  return out;
}

export function refUsersInCohortCell(ds: Dataset, f: UsageFilters, params: { cohortMonth: string; monthOffset: number; limit?: number; offset?: number }) {
  const { monthCounts, base } = cohorts(ds, f);
  const [y, m] = params.cohortMonth.split('-').map(Number);
  const cm = y * 12 + (m - 1);
  const rows = (base.get(cm) ?? [])
    .map((u) => ({ userId: u.userId, departmentId: u.dept, requests: monthCounts.get(u.userId)?.get(cm + params.monthOffset) ?? 0 }))
    .filter((u) => u.requests > 0)
    .sort((a, b) => b.requests - a.requests || cmpStr(a.userId, b.userId));
  return page(rows, params).map((u) => ({ ...u, total: rows.length }));
}

/**
 * usersInPlace: the window's rows whose country (null = 'Unknown') — and region (null = 'Unknown') and
 * city when given — match, per user: requests and last ts; by requests desc, then user id; paged.
 */
export function refUsersInPlace(ds: Dataset, f: UsageFilters, p: { country: string; region?: string; city?: string; limit?: number; offset?: number }) {
  const users = new Map(ds.users.map((u) => [u.user_id, u]));
  const rows = windowRows(ds, f).filter(
    (r) =>
      (r.country ?? 'Unknown') === p.country && (p.region === undefined || (r.region ?? 'Unknown') === p.region) && (p.city === undefined || r.city === p.city),
  );
  const per = [...groupBy(rows, (r) => r.user_id)]
    .map(([userId, rs]) => ({ userId, n: rs.length, last: Math.max(...rs.map((r) => r.ts)) }))
    .sort((a, b) => b.n - a.n || cmpStr(a.userId, b.userId));
  return page(per, p).map((x) => ({
    userId: x.userId,
    userName: users.get(x.userId)?.user_name ?? null,
    departmentId: users.get(x.userId)?.department_id ?? null,
    requests: x.n,
    lastSeen: msOf(x.last),
    total: per.length,
  }));
}
