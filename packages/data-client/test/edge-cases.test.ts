/**
 * Edge cases in real DuckDB-WASM: an empty snapshot, a single user, ties at percentiles and at the
 * power-user cut, month and UTC-day boundaries, exact window boundaries, shares summing to exactly
 * 100 and filter validation (FilterError).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { FilterError, defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { ALL_MODULES, exportedModuleNames } from './all-modules.js';
import { refForecastHistory } from './reference/forecast-history.js';
import {
  BOUNDARY_TS,
  MAIN_ANCHOR,
  US_DAY,
  emptyDataset,
  makeMainDataset,
  openDataset,
  req,
  singleUserDataset,
  smallDataset,
  tiesDataset,
  us,
  user,
  type Dataset,
} from './fixtures.js';
import { expectClose, expectHundred } from './helpers.js';

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });
const custom = (start: string, end: string, over: Partial<UsageFilters> = {}) => all({ timeRange: { preset: 'custom', start, end }, ...over });
const ms = (u: number) => Math.floor(u / 1000);

let conn: WasmNodeConnector;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
}, 30_000);
afterAll(async () => conn?.close());

/** Loads a dataset for the enclosing describe and returns a getter for its client. */
function useDataset(make: () => Dataset): () => { ds: Dataset; client: UsageDataClient } {
  let state: { ds: Dataset; client: UsageDataClient } | undefined;
  beforeAll(async () => {
    const ds = make();
    state = { ds, client: await openDataset(conn, ds) };
  }, 30_000);
  return () => state!;
}

/** Every module equals its reference under these filters. */
function matchesReferences(get: () => { ds: Dataset; client: UsageDataClient }, filters: UsageFilters) {
  it.each(ALL_MODULES)('$name matches the reference', async ({ module, params, ref }) => {
    const { ds, client } = get();
    expectClose(await client.run(module, filters, params), ref(ds, filters, params));
  });
}

it('ALL_MODULES covers every exported module', () => {
  const covered = new Set(ALL_MODULES.map((m) => m.module.name));
  expect(exportedModuleNames().filter((n) => !covered.has(n))).toEqual([]);
});

describe('empty snapshot (no requests, sessions or capacity)', () => {
  const get = useDataset(emptyDataset);
  describe('all filters off', () => matchesReferences(get, all()));
  describe('PRD defaults', () => matchesReferences(get, defaultFilters()));

  it('gives zero-filled, null-safe results', async () => {
    const { client } = get();
    const k = await client.run(Q.kpis, all(), undefined);
    expect(k.totalCalls).toEqual({ value: 0, previous: 0, delta: null });
    expect(k.avgCallsPerUser.value).toBe(0);
    const c = await client.run(Q.callsOverTime, all(), {});
    expect(c.points).toHaveLength(30);
    expect(c.keys).toEqual([]);
    expect(c.points.every((p) => p.total === 0 && p.previous === 0)).toBe(true);
    const e = await client.run(Q.engagement, all(), undefined);
    expect(e.percentiles).toBeNull();
    expect(e.meanScore).toBeNull();
    const g = await client.run(Q.gini, all(), {});
    expect(g.agents.gini).toBeNull();
    // Empty window: no users (k = 0), the 10 idle registry agents (k = ⌈10/10⌉ = 1) with nothing to share.
    expect(g.users).toMatchObject({ n: 0, topDecileCount: 0, topDecileShare: null });
    expect(g.agents).toMatchObject({ n: 10, total: 0, topDecileCount: 1, topDecileShare: null });
    expect(await client.run(Q.retentionCohorts, all(), {})).toEqual([]);
    const h = await client.run(Q.agentHierarchy, all(), undefined);
    expect(h).toMatchObject({ requests: 0, share: 0, children: [] });
    expect((await client.run(Q.dailySeries, all(), { span: 'all' })).series).toEqual([{ key: '', points: [] }]);
    const p = await client.run(Q.agentPortfolio, all(), undefined);
    expect(p.cuts).toBeNull();
    expect(p.agents.every((a) => a.band === 'none')).toBe(true);
  });
});

describe('a single user', () => {
  const get = useDataset(singleUserDataset);
  describe('30d', () => matchesReferences(get, all()));
  describe('7d', () => matchesReferences(get, all({ timeRange: { preset: '7d' } })));
  describe('custom range starting before the data', () => matchesReferences(get, custom('2025-12-01', '2026-02-15')));

  it('has Gini 0 over one user, equal percentiles and a full score rank', async () => {
    const { client } = get();
    const g = await client.run(Q.gini, all(), {});
    expect(g.users).toMatchObject({ gini: 0, n: 1, topShare: 100, top: 'solo', topDecileCount: 1, topDecileShare: 100 });
    const e = await client.run(Q.engagement, all(), undefined);
    // window [2026-01-30, 2026-03-01): a−30d (exactly the start) … a−1µs → 5 calls
    expect(e.calls).toBe(5);
    expect(e.percentiles).toEqual({ p10: 5, p25: 5, p50: 5, p75: 5, p90: 5 });
    expect(e.outliersHigh + e.outliersLow).toBe(0);
    const seg = await client.run(Q.userSegments, all(), undefined);
    expect(seg.segments.find((s) => s.segment === 'power')?.users).toBe(1);
    expect(seg.newVsReturning).toEqual({ new: 0, returning: 1 });
  });

  it('treats the month holding the anchor start as complete (end == anchor is not after it)', async () => {
    const { client } = get();
    const cells = await client.run(Q.retentionCohorts, all(), {});
    expect(cells).toEqual([
      { cohortMonth: '2026-01', monthOffset: 0, cohortSize: 1, retainedUsers: 1, retentionPct: 100, incomplete: false },
      { cohortMonth: '2026-01', monthOffset: 1, cohortSize: 1, retainedUsers: 1, retentionPct: 100, incomplete: false },
    ]);
  });

  it('keys Sankey nodes by step so loops stay acyclic', async () => {
    const { client } = get();
    const s = await client.run(Q.sessionTransitions, all(), {});
    expect(s.links).toEqual([
      { source: '1:a01-support', target: 'exit:user_abandoned', sessions: 1 },
      { source: '3:a01-support', target: 'exit:completed', sessions: 1 },
      { source: '1:a01-support', target: '2:a02-code', sessions: 1 },
      { source: '2:a02-code', target: '3:a01-support', sessions: 1 },
    ]);
  });
});

describe('ties at percentiles and at the power-user cut', () => {
  const get = useDataset(tiesDataset);
  describe('30d', () => matchesReferences(get, all()));
  describe('segment power', () => matchesReferences(get, all({ userSegments: ['power'] })));

  it('makes every user tied at the cut a power user; "new" and "dormant" take precedence', async () => {
    const { client } = get();
    const seg = await client.run(Q.userSegments, all(), undefined);
    expect(Object.fromEntries(seg.segments.map((s) => [s.segment, s.users]))).toEqual({ power: 4, regular: 16, new: 1, dormant: 1 });
    const power = await client.run(Q.usersInSegment, all(), { segment: 'power' });
    expect(power.map((u) => [u.userId, u.calls])).toEqual([
      ['t01', 12],
      ['t02', 9],
      ['t03', 9],
      ['t04', 9],
    ]);
  });

  it('interpolates percentiles with type 7 on tied values', async () => {
    const { client } = get();
    const e = await client.run(Q.engagement, all(), undefined);
    // 21 users sorted: 2×10, 5×6, 9×3, 12, 15 → h = 20p
    expect(e.percentiles).toEqual({ p10: 2, p25: 2, p50: 5, p75: 5, p90: 9 });
    expect(e.outliersHigh).toBe(2);
    expect(e.outliersLow).toBe(0);
    expect(e.histogram.find((b) => b.label === '5–9')?.users).toBe(9);
  });

  it('gives the top 10 % share: ⌈n/10⌉ entities, a tie at the cut, n < 10, idle agents in n', async () => {
    const { client } = get();
    // 21 users: 15, 12, 9, 9, 9, 5×6, 2×10 = 104 requests; k = ⌈2.1⌉ = 3 cuts through the tied 9s → 15 + 12 + 9.
    const g = await client.run(Q.gini, all(), {});
    expect(g.users).toMatchObject({ n: 21, total: 104, topDecileCount: 3 });
    expect(g.users.topDecileShare).toBe((36 / 104) * 100);
    // Every request is on one agent; the 9 idle registry agents count in n = 10 → k = 1, that agent: 100 %.
    expect(g.agents).toMatchObject({ n: 10, topDecileCount: 1, topDecileShare: 100 });
    const busy = await client.run(Q.gini, all(), { includeIdleAgents: false });
    expect(busy.agents).toMatchObject({ n: 1, topDecileCount: 1, topDecileShare: 100 });
    // n < 10: the four power users 12, 9, 9, 9 → k = 1, 12 of 39.
    const power = await client.run(Q.gini, all({ userSegments: ['power'] }), {});
    expect(power.users).toMatchObject({ n: 4, total: 39, topDecileCount: 1, top: 't01' });
    expect(power.users.topDecileShare).toBe((12 / 39) * 100);
  });

  it('breaks ties in the top-users table by user id', async () => {
    const { client } = get();
    const top = await client.run(Q.topUsers, all(), { limit: 5 });
    expect(top.map((u) => u.userId)).toEqual(['newbie', 't01', 't02', 't03', 't04']);
  });
});

/** Users first seen at the last microsecond of January and at the first instant of February. */
function monthBoundaryDataset(): Dataset {
  const jan = BOUNDARY_TS.endOfJanuary;
  const feb = BOUNDARY_TS.startOfFebruary;
  return smallDataset(
    'months',
    '2026-03-15T00:00:00.000Z',
    '2026-01-31T23:59:59.999Z',
    [req({ ts: jan, user_id: 'm1' }), req({ ts: feb, user_id: 'm1' }), req({ ts: feb, user_id: 'm2', department_id: 'sales' })],
    [user('m1', jan), user('m2', feb, 'sales')],
  );
}

describe('month and UTC-day boundaries', () => {
  const get = useDataset(monthBoundaryDataset);
  describe('custom range over the boundary', () => matchesReferences(get, custom('2026-01-31T12:00:00Z', '2026-02-01T12:00:00Z')));

  it('puts 23:59:59.999999 in January and 00:00 in February', async () => {
    const { client } = get();
    const cells = await client.run(Q.retentionCohorts, all(), {});
    expect(cells.map((c) => [c.cohortMonth, c.monthOffset, c.cohortSize, c.retainedUsers, c.incomplete])).toEqual([
      ['2026-01', 0, 1, 1, false],
      ['2026-01', 1, 1, 1, false],
      ['2026-01', 2, 1, 0, true],
      ['2026-02', 0, 1, 1, false],
      ['2026-02', 1, 1, 0, true],
    ]);
    const f = custom('2026-01-31T12:00:00Z', '2026-02-01T12:00:00Z');
    const days = await client.run(Q.callsOverTime, f, { bucket: 'day' });
    expect(days.points.map((p) => [p.label, p.total])).toEqual([
      ['2026-01-31', 1],
      ['2026-02-01', 2],
    ]);
    const hw = await client.run(Q.hourWeekday, f, undefined);
    const nonzero = hw.filter((c) => c.requests > 0).map((c) => [c.weekday, c.hour, c.requests]);
    expect(nonzero).toEqual([
      [6, 23, 1], // Saturday 2026-01-31 23:59:59.999999
      [7, 0, 2], // Sunday 2026-02-01 00:00
    ]);
  });
});

describe('main dataset: window boundaries, shares and filter validation', () => {
  const get = useDataset(() => makeMainDataset());
  const u1 = { userIds: ['u001'] };

  it('includes the window start and the last microsecond, excludes the microsecond before the start', async () => {
    const { client } = get();
    const startDay = await client.run(Q.requestsInBucket, all(u1), {
      bucketStart: ms(BOUNDARY_TS.windowStart30d) - 12 * 3_600_000,
      bucket: 'day',
      limit: 1000,
    });
    const times = startDay.map((r) => r.ts);
    expect(times).toContain(ms(BOUNDARY_TS.windowStart30d));
    expect(times).not.toContain(ms(BOUNDARY_TS.beforeWindowStart30d));
    expect(Math.min(...times)).toBe(ms(BOUNDARY_TS.windowStart30d));
    const lastDay = await client.run(Q.requestsInBucket, all(u1), { bucketStart: Date.parse('2026-03-10T00:00:00Z'), bucket: 'day', limit: 1000 });
    expect(lastDay.map((r) => r.ts)).toContain(ms(BOUNDARY_TS.lastMicrosecond));
  });

  it('counts a custom month window [Feb 1, Mar 1) without its neighbours', async () => {
    const { ds, client } = get();
    const f = custom('2026-02-01', '2026-03-01', u1);
    const inFeb = ds.requests.filter((r) => r.user_id === 'u001' && r.ts >= us('2026-02-01T00:00:00Z') && r.ts < us('2026-03-01T00:00:00Z')).length;
    expect((await client.run(Q.kpis, f, undefined)).totalCalls.value).toBe(inFeb);
    const series = (await client.run(Q.dailySeries, f, {})).series[0].points;
    expect(series[0].date).toBe('2026-02-01');
    expect(series.at(-1)?.date).toBe('2026-02-28');
    expect(series.every((p) => !p.partial)).toBe(true);
    const lastFeb = await client.run(Q.requestsInBucket, f, { bucketStart: Date.parse('2026-02-28T00:00:00Z'), limit: 1000 });
    expect(lastFeb.map((r) => r.ts)).toContain(ms(BOUNDARY_TS.endOfFebruary));
    const firstMar = await client.run(Q.requestsInBucket, f, { bucketStart: Date.parse('2026-03-01T00:00:00Z'), limit: 1000 });
    expect(firstMar).toEqual([]);
  });

  it('marks only the anchor month incomplete in the cohort table', async () => {
    const { client } = get();
    const cells = await client.run(Q.retentionCohorts, all(), {});
    expect(cells.length).toBeGreaterThan(10);
    for (const c of cells) {
      const [y, m] = c.cohortMonth.split('-').map(Number);
      const month = y * 12 + m - 1 + c.monthOffset;
      expect(c.incomplete).toBe(month === 2026 * 12 + 2); // March 2026 holds the anchor 2026-03-10 12:00
    }
    expect(cells.filter((c) => c.monthOffset === 0).every((c) => c.retentionPct === 100)).toBe(true);
  });

  it.each([
    ['all, 30d', all()],
    ['PRD defaults', defaultFilters()],
    ['90d, two departments', all({ timeRange: { preset: '90d' }, departments: ['sales', '研究开发'] })],
    ['1h', all({ timeRange: { preset: '1h' } })],
  ])('keeps every share set at exactly 100 (%s)', async (_n, f) => {
    const { client } = get();
    const h = await client.run(Q.agentHierarchy, f, undefined);
    const levels: Q.HierarchyNode[][] = [h.children, h.children.flatMap((d) => d.children), h.children.flatMap((d) => d.children.flatMap((a) => a.children))];
    for (const level of levels) if (level.length) expectHundred(level.map((n) => n.share));
    const walk = (n: Q.HierarchyNode) => {
      if (n.children.length) expectHundred(n.children.map((c) => c.shareOfParent));
      n.children.forEach(walk);
    };
    walk(h);
    const m = await client.run(Q.intentMatrix, f, undefined);
    for (const row of m.pctOfDept) expectHundred(row);
    if (m.total > 0) {
      expectHundred(m.rowShares);
      expectHundred(m.colShares);
    }
    const v = await client.run(Q.versionAdoption, f, {});
    const byDay = new Map<string, Q.VersionAdoptionRow[]>();
    for (const r of v) byDay.set(`${r.agentId}|${r.date}`, [...(byDay.get(`${r.agentId}|${r.date}`) ?? []), r]);
    for (const rows of byDay.values()) if (rows.some((r) => r.requests > 0)) expectHundred(rows.map((r) => r.share));
  });

  it.each([
    ['departments', { departments: ['nope'] }],
    ['intents', { intents: ['Customer Support'] }],
    ['providers', { providers: ['openai', 'acme'] }],
    ['modelFamilies', { modelFamilies: ['gpt-5'] }],
    ['agentIds', { agentIds: ['a99'] }],
    ['agentStatuses', { agentStatuses: ['retired'] }],
    ['environments', { environments: ['prod'] }],
    ['requestStatuses', { requestStatuses: ['failed'] }],
    ['userSegments', { userSegments: ['occasional'] }],
  ] as [string, Partial<UsageFilters>][])('rejects an unknown %s value with FilterError', async (field, over) => {
    const { client } = get();
    const err = await client.run(Q.kpis, all(over), undefined).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FilterError);
    expect(err).toMatchObject({ code: 'unknown_value', field });
  });

  it('rejects malformed ranges and user ids, accepts unknown user ids', async () => {
    const { client } = get();
    await expect(client.run(Q.kpis, custom('2026-03-01', '2026-02-01'), undefined)).rejects.toMatchObject({ name: 'FilterError', code: 'invalid_range' });
    await expect(client.run(Q.kpis, custom('yesterday', '2026-02-01'), undefined)).rejects.toMatchObject({ code: 'invalid_range' });
    await expect(client.run(Q.kpis, all({ userIds: [''] }), undefined)).rejects.toMatchObject({ code: 'invalid_filter', field: 'userIds' });
    const k = await client.run(Q.kpis, all({ userIds: ['no-such-user'] }), undefined);
    expect(k.totalCalls.value).toBe(0);
  });

  it('rejects bad module parameters with a message naming the value', async () => {
    const { client } = get();
    await expect(client.run(Q.topUsers, all(), { limit: -1 })).rejects.toThrow(/limit.*-1/);
    await expect(client.run(Q.callsOverTime, all(), { by: 'user_id' as never })).rejects.toThrow(/by.*user_id/);
    await expect(client.run(Q.usersInCohortCell, all(), { cohortMonth: "2026-01' OR 1=1", monthOffset: 0 })).rejects.toThrow(/cohortMonth/);
    await expect(client.run(Q.adoptionCurve, all(), { limit: 11 })).rejects.toThrow(/limit/);
    await expect(client.run(Q.callsOverTime, custom('2020-01-01', '2026-01-01'), { bucket: 'hour' })).rejects.toThrow(/too many hour buckets/);
  });

  it('anchors relative presets at the snapshot end', () => {
    const { client } = get();
    expect(client.anchor).toBe(Q.toMicros(MAIN_ANCHOR));
    const ctx = client.context(all({ timeRange: { preset: '7d' } }));
    expect(ctx.range.end - ctx.range.start).toBe(7 * US_DAY);
  });
});

describe('forecastHistory: kept forecasts against the actuals of full UTC days', () => {
  // Forecasts of the fleet and of a department from two origins, reaching before, across and past the data.
  const point = (origin: string, scope_kind: string, scope_key: string, step: number, predicted: number) => {
    const date = new Date(Date.parse(`${origin}T00:00:00Z`) + (step - 1) * 86_400_000).toISOString().slice(0, 10);
    return {
      origin,
      scope_kind,
      scope_key,
      date,
      step,
      predicted,
      lower80: predicted * 0.5,
      upper80: predicted * 1.5,
      lower95: 0,
      upper95: predicted * 2,
      model_type: 'ensemble',
      backtest_mape: 12.5,
      baseline_mape: null,
      hindcast: true,
    };
  };
  const get = useDataset(() => {
    const ds = singleUserDataset();
    ds.forecast_history = [
      ...[1, 2, 3, 4, 5, 6, 7].map((s) => point('2026-02-25', 'fleet', '', s, 0.8)),
      ...[1, 2, 3].map((s) => point('2026-01-10', 'fleet', '', s, 1)),
      ...[1, 2, 3, 4].map((s) => point('2026-02-25', 'department', 'support', s, 0.5)),
    ];
    return ds;
  });
  const cases: [string, Q.ForecastHistoryParams, UsageFilters][] = [
    ['fleet', { scope: 'fleet' }, all()],
    ['department', { scope: 'department', key: 'support' }, all()],
    ['fleet under an intent filter', { scope: 'fleet' }, all({ intents: ['analysis'] })],
    ['an agent without kept forecasts', { scope: 'agent', key: 'a01-support' }, all()],
  ];
  it.each(cases)('%s equals the reference', async (_n, params, filters) => {
    const { ds, client } = get();
    expectClose(await client.run(Q.forecastHistory, filters, params), refForecastHistory(ds, filters, params));
  });
  it('counts each day exactly, null outside the full days, and scores the days that happened', async () => {
    const h = await get().client.run(Q.forecastHistory, all(), { scope: 'fleet' });
    expect(h.forecasts.map((f) => f.origin)).toEqual(['2026-01-10', '2026-02-25']);
    const last = h.forecasts[1];
    // Requests at a − 3 d (02-26 00:00) and a − 1 µs (02-28 23:59:59.999999); the data ends at 03-01 00:00.
    expect(last.points.map((p) => p.actual)).toEqual([0, 1, 0, 1, null, null, null]);
    // 4 days seen; MAPE over the 2 days with requests: |1 − 0.8| / 1 = 20 %; inside [0.4, 1.2]: the two 1s; inside [0, 1.6]: all 4.
    expect(last.realised).toEqual({ days: 4, mape: expect.closeTo(20, 9), coverage80: 50, coverage95: 100 });
    await expect(get().client.run(Q.forecastHistory, all(), { scope: 'department' })).rejects.toMatchObject({ field: 'key' });
  });
});
