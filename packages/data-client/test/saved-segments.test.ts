/**
 * Saved segments (A2.3) as a filter, in real DuckDB-WASM: the members `savedSegmentUsersSql`
 * selects equal an independent TypeScript reference (test/reference/saved-segments.ts) for criteria
 * combinations and edge cases (empty, one user, min = max, 'all' agents, the exact lastActiveWithinDays
 * and window boundaries at a UTC midnight), on the seeded dataset and on the real test snapshot
 * (.data/test-snapshot, read with apache-arrow); KPIs under a saved-segment filter equal plain code;
 * bad criteria are FilterErrors naming the field; the SQL (the coordinator's cache key) changes
 * with a saved segment and precomputed first paint is not used for it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTERS,
  FilterError,
  defaultFilters,
  kpis,
  makeContext,
  normaliseSegmentCriteria,
  savedSegmentUsersSql,
  toMicros,
  type SavedSegmentFilter,
  type UsageFilters,
} from '@usage-analytics/queries';
import { WasmNodeConnector, openSnapshotDir, type UsageDataClient } from '../src/node.js';
import { MAIN_ANCHOR, US_DAY, makeMainDataset, openDataset, req, smallDataset, us, user, type Dataset, type RequestRow, type UserRow } from './fixtures.js';
import { refSegmentMembers, type LooseCriteria, type Member } from './reference/saved-segments.js';

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });
const saved = (id: string, criteria: LooseCriteria): SavedSegmentFilter => ({
  id,
  name: `<img src=x onerror=alert(1)> ${id}`,
  criteria: normaliseSegmentCriteria(criteria),
});

/** The members the SQL selects, as the reference's map. */
async function members(client: UsageDataClient, c: LooseCriteria): Promise<Map<string, Member>> {
  const rows = await client.connector.query(savedSegmentUsersSql(normaliseSegmentCriteria(c), { end: client.anchor }).text);
  return new Map(rows.map((r) => [String(r.user_id), { department: String(r.department), requests: Number(r.requests) }]));
}
const sorted = (m: Map<string, Member>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

let conn: WasmNodeConnector;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
}, 30_000);
afterAll(async () => conn?.close());

describe('on the seeded main dataset', () => {
  const ds = makeMainDataset();
  const end = us(MAIN_ANCHOR);
  let client: UsageDataClient;
  beforeAll(async () => {
    client = await openDataset(conn, ds);
  }, 30_000);

  const ref = (c: LooseCriteria) => refSegmentMembers(ds.requests, ds.users, end, c);

  it('members equal the reference for criteria combinations and edge cases', async () => {
    // One user: a request count in the 30 days that exactly one user has.
    const counts = new Map<number, number>();
    for (const m of ref({}).values()) counts.set(m.requests, (counts.get(m.requests) ?? 0) + 1);
    const unique = [...counts].find(([, k]) => k === 1)![0];
    const shared = [...counts].find(([, k]) => k > 1)![0];
    const cases: [string, LooseCriteria, (n: number) => boolean][] = [
      ['everyone active in 30 d', {}, (n) => n > 20],
      ['requests 5..40', { requests: { min: 5, max: 40 } }, (n) => n > 0],
      ['empty: more requests than anyone', { requests: { min: 1_000_000 } }, (n) => n === 0],
      ['one user (min = max, a unique count)', { requests: { min: unique, max: unique } }, (n) => n === 1],
      ['min = max, a shared count', { requests: { min: shared, max: shared } }, (n) => n > 1],
      ['agents any', { agents: { ids: ['a01-support', 'a02-code'], mode: 'any' } }, (n) => n > 0],
      ['agents all', { agents: { ids: ['a01-support', 'a02-code'], mode: 'all' } }, (n) => n > 0],
      ['agents all, one nobody used', { agents: { ids: ['a01-support', 'a10-idle'], mode: 'all' } }, (n) => n === 0],
      ['departments (quote, unicode)', { departments: ["o'brien ops", '研究开发'] }, (n) => n > 0],
      ['engagement power', { engagement: ['power'] }, (n) => n > 0],
      ['engagement new + regular, 7 d active', { engagement: ['new', 'regular'], lastActiveWithinDays: 7 }, (n) => n > 0],
      ['90 d dormant', { windowDays: 90, engagement: ['dormant'] }, (n) => n > 0],
      ['7 d, exactly one request', { windowDays: 7, requests: { min: 1, max: 1 } }, () => true],
      [
        'everything at once',
        { windowDays: 90, requests: { min: 3 }, agents: { ids: ['a02-code'] }, departments: ['engineering', 'sales'], lastActiveWithinDays: 30 },
        (n) => n > 0,
      ],
    ];
    for (const [name, c, size] of cases) {
      const want = ref(c);
      expect(size(want.size), `${name}: reference size ${want.size}`).toBe(true);
      expect(sorted(await members(client, c)), name).toEqual(sorted(want));
    }
  });

  it('KPIs (requests, unique users) under a saved-segment filter equal plain code, AND the other filters', async () => {
    const seg = saved('s1', { requests: { min: 10 }, agents: { ids: ['a01-support', 'a03-analyst'] } });
    const seg2 = saved('s2', { windowDays: 7, departments: ['sales'] });
    const plain = (f: UsageFilters, memberIds: Set<string>) => {
      const rows = ds.requests.filter(
        (r) => r.ts >= end - 30 * US_DAY && r.ts < end && memberIds.has(r.user_id) && (f.departments.length === 0 || f.departments.includes(r.department_id)),
      );
      return { totalCalls: rows.length, uniqueUsers: new Set(rows.map((r) => r.user_id)).size };
    };
    const m1 = new Set(ref(seg.criteria).keys());
    const m2 = new Set(ref(seg2.criteria).keys());
    for (const [f, ids] of [
      [all({ savedSegments: [seg] }), m1],
      [all({ savedSegments: [seg, seg2] }), new Set([...m1, ...m2])],
      [all({ savedSegments: [seg], departments: ['engineering'] }), m1],
    ] as [UsageFilters, Set<string>][]) {
      const k = await client.run(kpis, f, undefined);
      const want = plain(f, ids);
      expect(want.uniqueUsers).toBeGreaterThan(0);
      expect({ totalCalls: k.totalCalls.value, uniqueUsers: k.uniqueUsers.value }).toEqual(want);
    }
    // The union is wider than either segment and the AND with a department narrower.
    const both = await client.run(kpis, all({ savedSegments: [seg, seg2] }), undefined);
    const one = await client.run(kpis, all({ savedSegments: [seg] }), undefined);
    expect(both.uniqueUsers.value).toBeGreaterThan(one.uniqueUsers.value);
  });

  it('the SQL (the cache key) changes with a saved segment; equal criteria give equal SQL', async () => {
    const ctx = (f: UsageFilters) => client.context(f);
    const base = kpis.sql(ctx(all()), undefined).text;
    const a = kpis.sql(ctx(all({ savedSegments: [saved('x', { requests: { min: 3 } })] })), undefined).text;
    const b = kpis.sql(ctx(all({ savedSegments: [saved('x', { requests: { min: 4 } })] })), undefined).text;
    expect(a).not.toBe(base);
    expect(a).not.toBe(b);
    // Key order and omitted defaults do not change it (a stored JSONB row comes back reordered).
    const loose = { id: 'x', name: 'x', criteria: { requests: { min: 3 } } } as unknown as SavedSegmentFilter;
    const reordered = {
      id: 'x',
      name: 'y',
      criteria: { lastActiveWithinDays: undefined, engagement: [], departments: [], agents: { mode: 'any', ids: [] }, requests: { min: 3 }, windowDays: 30 },
    } as unknown as SavedSegmentFilter;
    expect(kpis.sql(ctx(all({ savedSegments: [loose] })), undefined).text).toBe(a);
    expect(kpis.sql(ctx(all({ savedSegments: [reordered] })), undefined).text).toBe(a);
    // Filters from before savedSegments existed (the field missing) still work.
    const old = all();
    delete (old as Partial<UsageFilters>).savedSegments;
    expect(kpis.sql(ctx(old), undefined).text).toBe(base);
  });
});

describe('exact boundaries at a UTC midnight', () => {
  const anchor = '2026-03-01T00:00:00.000Z';
  const a = us(anchor);
  const first = a - 200 * US_DAY;
  const requests: RequestRow[] = [
    // Last request exactly 7 days before the end (the window's first µs, 00:00:00.000000 UTC).
    req({ ts: a - 7 * US_DAY, user_id: 'at-edge', department_id: 'sales' }),
    req({ ts: a - 20 * US_DAY, user_id: 'at-edge', department_id: 'support' }),
    // Last request one µs earlier (23:59:59.999999 the day before).
    req({ ts: a - 7 * US_DAY - 1, user_id: 'before-edge' }),
    req({ ts: a - 8 * US_DAY, user_id: 'before-edge' }),
    // The end's last µs; moved department at the last request.
    req({ ts: a - 1, user_id: 'last-us', department_id: 'engineering', agent_id: 'a02-code' }),
    req({ ts: a - 2 * US_DAY, user_id: 'last-us', department_id: 'sales' }),
    req({ ts: a - 3 * US_DAY, user_id: 'last-us', department_id: 'sales', agent_id: 'a03-analyst' }),
    // Only before every window.
    req({ ts: a - 100 * US_DAY, user_id: 'gone' }),
  ];
  const users: UserRow[] = ['at-edge', 'before-edge', 'last-us', 'gone'].map((u) => user(u, first));
  let ds: Dataset;
  let client: UsageDataClient;
  beforeAll(async () => {
    ds = smallDataset('saved-edges', anchor, new Date((first - 1) / 1000).toISOString(), requests, users);
    client = await openDataset(conn, ds);
  }, 30_000);

  const cases: [string, LooseCriteria, Record<string, Member>][] = [
    [
      '7-day window starts at its first µs',
      { windowDays: 7 },
      { 'at-edge': { department: 'sales', requests: 1 }, 'last-us': { department: 'engineering', requests: 3 } },
    ],
    [
      'last active within 7 days: exactly 7 days in, 1 µs more out',
      { lastActiveWithinDays: 7 },
      { 'at-edge': { department: 'sales', requests: 2 }, 'last-us': { department: 'engineering', requests: 3 } },
    ],
    [
      'last active within 8 days takes the day before too',
      { lastActiveWithinDays: 8 },
      {
        'at-edge': { department: 'sales', requests: 2 },
        'before-edge': { department: 'support', requests: 2 },
        'last-us': { department: 'engineering', requests: 3 },
      },
    ],
    ['department at the last request in the window', { departments: ['sales'] }, { 'at-edge': { department: 'sales', requests: 2 } }],
    ['requests min = max = 3', { requests: { min: 3, max: 3 } }, { 'last-us': { department: 'engineering', requests: 3 } }],
    ["agents 'all'", { agents: { ids: ['a02-code', 'a03-analyst'], mode: 'all' } }, { 'last-us': { department: 'engineering', requests: 3 } }],
    ['90 days: the dormant user', { windowDays: 90, engagement: ['dormant'] }, {}],
  ];
  it.each(cases)('%s', async (_name, c, want) => {
    const got = await members(client, c);
    expect(Object.fromEntries(sorted(got))).toEqual(want);
    expect(sorted(got)).toEqual(sorted(refSegmentMembers(ds.requests, ds.users, a, c)));
  });
});

describe('on the real test snapshot (.data/test-snapshot)', () => {
  const dir = resolve(import.meta.dirname, '../../../.data/test-snapshot');
  let client: UsageDataClient;
  let rows: RequestRow[];
  let users: UserRow[];
  let end: number;
  beforeAll(async () => {
    let manifest: { time_range: { end: string }; tables: Record<string, { file: string }> };
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    } catch {
      throw new Error(`${dir} is missing: generate it with bash scripts/test-snapshot.sh`);
    }
    end = toMicros(manifest.time_range.end);
    const table = (name: string) => tableFromIPC(readFileSync(join(dir, manifest.tables[name].file)));
    const r = table('requests');
    const [ts, user, agent, dept, env] = ['ts', 'user_id', 'agent_id', 'department_id', 'environment'].map((c) => r.getChild(c)!);
    // Arrow gives Timestamp(µs) as epoch ms with the µs as a fraction.
    rows = Array.from({ length: r.numRows }, (_, i) => ({
      ts: Math.round(Number(ts.get(i)) * 1000),
      user_id: String(user.get(i)),
      agent_id: String(agent.get(i)),
      department_id: String(dept.get(i)),
      environment: String(env.get(i)),
    })) as RequestRow[];
    users = table('users')
      .toArray()
      .map((u) => ({ user_id: String(u.user_id), first_seen_at: Math.round(Number(u.first_seen_at) * 1000) })) as UserRow[];
    client = await openSnapshotDir(dir);
    await client.ready;
  }, 60_000);
  afterAll(async () => client?.close());

  it('members equal plain code over the Arrow rows', async () => {
    const ref = (c: LooseCriteria) => refSegmentMembers(rows, users, end, c);
    const byUse = new Map<string, number>();
    for (const r of rows) if (r.ts >= end - 30 * US_DAY) byUse.set(r.agent_id, (byUse.get(r.agent_id) ?? 0) + 1);
    const [a1, a2] = [...byUse].sort((x, y) => y[1] - x[1]).map(([id]) => id);
    const dept = [...ref({}).values()][0].department;
    const cases: LooseCriteria[] = [
      {},
      { requests: { min: 20, max: 40 } },
      { agents: { ids: [a1, a2], mode: 'all' } },
      { agents: { ids: [a1, a2], mode: 'any' }, departments: [dept] },
      { engagement: ['power'] },
      { engagement: ['new', 'regular'], lastActiveWithinDays: 7 },
      { windowDays: 90, engagement: ['dormant'] },
      { windowDays: 7, requests: { min: 1, max: 1 } },
    ];
    for (const c of cases) {
      const want = ref(c);
      expect(sorted(await members(client, c)), JSON.stringify(c)).toEqual(sorted(want));
    }
    expect(ref(cases[4]).size).toBeGreaterThan(0);
    expect(ref(cases[2]).size).toBeGreaterThan(0);
  });

  it('KPI unique users and requests under a saved segment equal plain code; no precomputed first paint for it', async () => {
    const seg = saved('busy', { requests: { min: 10 } });
    const ids = new Set(refSegmentMembers(rows, users, end, seg.criteria).keys());
    const f = defaultFilters({ agentStatuses: [], environments: ['production'], savedSegments: [seg] });
    const inWindow = rows.filter((r) => r.ts >= end - 30 * US_DAY && r.ts < end && r.environment === 'production' && ids.has(r.user_id));
    const k = await client.run(kpis, f, undefined);
    expect(inWindow.length).toBeGreaterThan(0);
    expect(k.totalCalls.value).toBe(inWindow.length);
    expect(k.uniqueUsers.value).toBe(new Set(inWindow.map((r) => r.user_id)).size);
    // The shipped first paint serves the default view only.
    expect(client.precomputed(kpis, DEFAULT_FILTERS, undefined)).toBeDefined();
    expect(client.precomputed(kpis, { ...DEFAULT_FILTERS, savedSegments: [seg] }, undefined)).toBeUndefined();
  });
});

describe('validation', () => {
  const bad: [string, unknown, RegExp][] = [
    ['min above max', { requests: { min: 9, max: 2 } }, /savedSegments\[0\]\.criteria\.requests\.min must not exceed max/],
    ['a window of 14 days', { windowDays: 14 }, /savedSegments\[0\]\.criteria\.windowDays must be 7, 30 or 90/],
    ['an unknown agents mode', { agents: { ids: ['a'], mode: 'some' } }, /criteria\.agents\.mode/],
    ['an unknown engagement', { engagement: ['vip'] }, /criteria\.engagement\[0\]/],
    ['an unknown criterion', { sql: 'DROP TABLE users' }, /criteria\.sql is not a criterion/],
    ['a NUL in a department', { departments: ['a\u0000b'] }, /criteria\.departments\[0\]/],
    ['a fractional count', { requests: { min: 1.5 } }, /criteria\.requests\.min must be an integer/],
    ['lastActiveWithinDays 0', { lastActiveWithinDays: 0 }, /criteria\.lastActiveWithinDays/],
  ];
  it.each(bad)('%s is a FilterError naming the field', (_name, criteria, message) => {
    const f = all({ savedSegments: [{ id: 's', name: 'n', criteria } as unknown as SavedSegmentFilter] });
    let err: unknown;
    try {
      makeCtx(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect((err as FilterError).field).toBe('savedSegments');
    expect((err as FilterError).code).toBe('invalid_filter');
    expect((err as Error).message).toMatch(message);
  });

  it('refuses a non-list, repeated ids and a missing name', () => {
    const ok = saved('s', {});
    for (const [value, message] of [
      ['seg', /savedSegments must be a list/],
      [[ok, ok], /savedSegments\[1\]\.id repeats/],
      [[{ id: 't', criteria: {} }], /savedSegments\[0\]\.name must be a string/],
    ] as [unknown, RegExp][]) {
      expect(() => makeCtx(all({ savedSegments: value as SavedSegmentFilter[] }))).toThrow(message);
    }
  });
});

/** Validates the filters as a client does (makeContext). */
function makeCtx(f: UsageFilters) {
  return makeContext(f, '2026-03-01T00:00:00Z', '2026-01-01T00:00:00Z');
}
