/**
 * The journey Sankey modules (chart 2.11) in real DuckDB-WASM against the independent reference
 * (reference/journey.ts) on the seeded main dataset under every filter scenario and view (steps,
 * top N, anchors), plus a hand-made dataset with loops, ties at the top-N cut, truncation beyond 20
 * steps and one user, whose figures are also written out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { makeMainDataset, openDataset, smallDataset, us, user, type Dataset, type SessionRow } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refJourneyLinkUsers, refJourneySankey, refJourneySessions } from './reference/journey.js';
import { SCENARIOS, VARIANT_SCENARIOS } from './scenarios.js';

let conn: WasmNodeConnector;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
}, 30_000);
afterAll(async () => conn?.close());

const VIEWS: [string, Q.JourneyParams][] = [
  ['defaults (10 steps, top 8)', {}],
  ['20 steps, top 3 (truncation, other)', { steps: 20, topN: 3 }],
  ['3 steps, top 1', { steps: 3, topN: 1 }],
  ['start at a01-support, 5 steps', { steps: 5, anchor: { mode: 'start', agentId: 'a01-support' } }],
  ['end at a02-code, 4 steps, top 2', { steps: 4, topN: 2, anchor: { mode: 'end', agentId: 'a02-code' } }],
  ["start at a05-o'reilly (quote)", { anchor: { mode: 'start', agentId: "a05-o'reilly" } }],
];

describe('main dataset', () => {
  const ds = makeMainDataset();
  let client: UsageDataClient;
  beforeAll(async () => {
    client = await openDataset(conn, ds);
  }, 30_000);

  describe.each(SCENARIOS)('%s', (name, filters) => {
    const views = VARIANT_SCENARIOS.has(name) ? VIEWS : VIEWS.slice(0, 2);
    it.each(views)('journeySankey %s matches the reference', async (_v, params) => {
      expectClose(await client.run(Q.journeySankey, filters, params), refJourneySankey(ds, filters, params));
    });
  });

  const f30 = defaultFilters({ agentStatuses: [], environments: [] });
  const f90 = defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: '90d' } });

  it('flows are conserved and every session ends once; long sessions continue; users never exceed sessions', async () => {
    const j = await client.run(Q.journeySankey, f90, { steps: 20, topN: 3 });
    expect(j.sessions).toBeGreaterThan(50);
    expect(j.continued).toBeGreaterThan(0); // the dataset has sessions of 21–26 agents
    const into = new Map<string, number>();
    const out = new Map<string, number>();
    for (const l of j.links) {
      into.set(l.target, (into.get(l.target) ?? 0) + l.sessions);
      out.set(l.source, (out.get(l.source) ?? 0) + l.sessions);
      expect(l.users).toBeLessThanOrEqual(l.sessions);
      if (l.target.startsWith('x:')) expect(l.reasons.reduce((a, r) => a + r.sessions, 0)).toBe(l.sessions);
    }
    for (const n of j.nodes) {
      if (n.kind === 'agent' || n.kind === 'other') {
        expect(out.get(n.id), n.id).toBe(n.sessions);
        if (n.step > 1) expect(into.get(n.id), n.id).toBe(n.sessions);
      } else expect(into.get(n.id), n.id).toBe(n.sessions);
    }
    const step1 = j.nodes.filter((n) => n.step === 1 && n.kind !== 'exit');
    expect(step1.reduce((a, n) => a + n.sessions, 0)).toBe(j.sessions);
    expect(j.nodes.filter((n) => n.kind === 'exit' || n.kind === 'continues').reduce((a, n) => a + n.sessions, 0)).toBe(j.sessions);
    expect(j.nodes.find((n) => n.kind === 'continues')!.sessions).toBe(j.continued);
    // Top 3 per column + other.
    for (let s = 1; s <= 20; s++) expect(j.nodes.filter((n) => n.step === s && n.kind === 'agent').length).toBeLessThanOrEqual(3);
    expect(j.nodes.some((n) => n.kind === 'other' && n.otherAgents > 0)).toBe(true);
  });

  it('drill-down: the sessions of every link of a view add up to the link, paged, with their users', async () => {
    const params = { steps: 4, topN: 2 };
    const j = await client.run(Q.journeySankey, f30, params);
    for (const l of j.links) {
      const src = j.nodes.find((n) => n.id === l.source)!;
      const tgt = j.nodes.find((n) => n.id === l.target)!;
      const ref = {
        ...params,
        step: l.step,
        source: src.agentId,
        targetKind: tgt.kind === 'exit' ? ('exit' as const) : tgt.kind === 'continues' ? ('continues' as const) : ('agent' as const),
        target: tgt.agentId,
      };
      const rows = await client.run(Q.journeySessions, f30, { ...ref, limit: 5, offset: 0 });
      expect(rows[0]?.total ?? 0, `${l.source} → ${l.target}`).toBe(l.sessions);
      expectClose(rows, refJourneySessions(ds, f30, { ...ref, limit: 5 }));
      const users = await client.run(Q.journeyLinkUsers, f30, ref);
      expect(users.length).toBe(l.users);
    }
    // Whole nodes: an exit or continues node (any source), an agent or other node (every session through it).
    for (const n of j.nodes) {
      const ref =
        n.kind === 'exit' || n.kind === 'continues'
          ? { ...params, step: n.step, source: null, anySource: true, targetKind: n.kind, target: null }
          : { ...params, step: n.step, source: n.agentId, targetKind: 'through' as const, target: null };
      const rows = await client.run(Q.journeySessions, f30, { ...ref, limit: 3 });
      expect(rows[0]?.total ?? 0, n.id).toBe(n.sessions);
      expectClose(rows, refJourneySessions(ds, f30, { ...ref, limit: 3 }));
      expect((await client.run(Q.journeyLinkUsers, f30, ref)).length, n.id).toBe(n.users);
    }
    // A page further on, one exit reason, an anchored view.
    const p2 = { step: 1, source: null, targetKind: 'agent' as const, target: null, topN: 1, limit: 3, offset: 3 };
    expectClose(await client.run(Q.journeySessions, f90, p2), refJourneySessions(ds, f90, p2));
    const reason = { step: 2, source: 'a01-support', targetKind: 'exit' as const, target: 'completed', steps: 20 };
    expectClose(await client.run(Q.journeySessions, f90, reason), refJourneySessions(ds, f90, reason));
    const anchored = {
      step: 4,
      source: 'a02-code',
      targetKind: 'exit' as const,
      target: null,
      steps: 4,
      anchor: { mode: 'end' as const, agentId: 'a02-code' },
    };
    expectClose(await client.run(Q.journeySessions, f90, anchored), refJourneySessions(ds, f90, anchored));
    expectClose(await client.run(Q.journeyLinkUsers, f90, anchored), refJourneyLinkUsers(ds, f90, anchored));
  });

  it('rejects bad views with a message naming the value', () => {
    const ctx = { filters: f30, range: { start: 0, end: 1 } } as never;
    expect(() => Q.journeySankey.sql(ctx, { topN: 0 })).toThrow(/topN/);
    expect(() => Q.journeySankey.sql(ctx, { steps: 21 })).toThrow(/steps/);
    expect(() => Q.journeySankey.sql(ctx, { anchor: { mode: 'middle' as never, agentId: 'x' } })).toThrow(/anchor.mode/);
    expect(() => Q.journeySankey.sql(ctx, { anchor: { mode: 'start', agentId: '' } })).toThrow(/anchor.agentId/);
    expect(() => Q.journeySessions.sql(ctx, { step: 10, source: 'a', targetKind: 'agent', target: 'b' })).toThrow(/step/);
  });
});

// ---- hand-made: loops, ties, truncation, one user

const ANCHOR = '2026-03-01T00:00:00.000Z';
const A = us(ANCHOR);
const HOUR = 3_600_000_000;
let n = 0;
function session(userId: string, seq: string[], exit = 'completed', hoursAgo = ++n): SessionRow {
  return {
    session_id: `h-${String(n).padStart(3, '0')}-${hoursAgo}`,
    user_id: userId,
    session_start: A - hoursAgo * HOUR,
    session_end: A - hoursAgo * HOUR + 60_000_000,
    agent_sequence: seq,
    request_count: seq.length,
    success_count: seq.length,
    error_count: 0,
    department_id: 'support',
    environment: 'production',
    api_client: 'web-portal',
    country: 'US',
    session_successful: exit === 'completed',
    exit_reason: exit,
  };
}
const long = Array.from({ length: 23 }, (_, i) => (i % 2 ? 'b' : 'a'));
function handDataset(): Dataset {
  n = 0;
  const sessions = [
    session('u1', ['a', 'b', 'a'], 'completed'), // loop A → B → A
    session('u1', ['a', 'b', 'a'], 'error'),
    session('u2', ['a', 'b'], 'user_abandoned'),
    session('u2', ['c'], 'timeout'),
    session('u3', ['d', 'a'], 'completed'), // c and d tie at step 1 (one session each)
    session('u3', long, 'completed'), // 23 agents: truncated at 20
    session('u4', [], 'completed'), // empty sequence: not a journey
  ];
  return smallDataset(
    'journey',
    ANCHOR,
    '2026-01-01T00:00:00.000Z',
    [],
    ['u1', 'u2', 'u3', 'u4'].map((u) => user(u, A - 40 * 24 * HOUR)),
    sessions,
  );
}

describe('hand-made sessions: loops, ties at the cut, truncation, one user', () => {
  const ds = handDataset();
  let client: UsageDataClient;
  beforeAll(async () => {
    client = await openDataset(conn, ds);
  }, 30_000);
  const f = defaultFilters({ agentStatuses: [], environments: [] });
  const get = (j: Q.JourneySankey, id: string) => j.nodes.find((x) => x.id === id);
  const link = (j: Q.JourneySankey, s: string, t: string) => j.links.find((l) => l.source === s && l.target === t);

  it('top 2 at step 1: a (4 sessions) and c (tie with d, c wins by id); d is other', async () => {
    const j = await client.run(Q.journeySankey, f, { topN: 2, steps: 20 });
    expectClose(j, refJourneySankey(ds, f, { topN: 2, steps: 20 }));
    expect([j.sessions, j.users, j.allSessions, j.allUsers]).toEqual([6, 3, 6, 3]);
    expect(get(j, 'a:1:a')).toMatchObject({ sessions: 4, users: 3, usersPct: 100 });
    expect(get(j, 'a:1:c')).toMatchObject({ sessions: 1, users: 1 });
    expect(get(j, 'a:1:d')).toBeUndefined();
    expect(get(j, 'o:1')).toMatchObject({ sessions: 1, users: 1, otherAgents: 1 });
    // The loop: a → b → a stays a DAG over steps.
    expect(link(j, 'a:1:a', 'a:2:b')).toMatchObject({ sessions: 4, users: 3 });
    expect(link(j, 'a:2:b', 'a:3:a')).toMatchObject({ sessions: 3, users: 2 });
    // Exits after step 3: completed (u1) + error (u1): one user; the reasons listed.
    expect(get(j, 'x:3')).toMatchObject({ sessions: 2, users: 1, column: 4 });
    expect(get(j, 'x:3')!.reasons).toEqual([
      { reason: 'completed', sessions: 1, users: 1 },
      { reason: 'error', sessions: 1, users: 1 },
    ]);
    // The 23-agent session continues after step 20.
    expect(j.continued).toBe(1);
    expect(get(j, 'c')).toMatchObject({ sessions: 1, users: 1, step: 20, column: 21 });
    expect(link(j, 'a:20:b', 'c')).toMatchObject({ sessions: 1 });
  });

  it('start at b: re-aligned at its first occurrence; end at a: aligned to the last column', async () => {
    const start = await client.run(Q.journeySankey, f, { anchor: { mode: 'start', agentId: 'b' }, steps: 5 });
    expectClose(start, refJourneySankey(ds, f, { anchor: { mode: 'start', agentId: 'b' }, steps: 5 }));
    expect([start.sessions, start.earlier, start.continued]).toEqual([4, 4, 1]);
    expect(get(start, 'a:1:b')!.sessions).toBe(4);
    const end = await client.run(Q.journeySankey, f, { anchor: { mode: 'end', agentId: 'a' }, steps: 3 });
    expectClose(end, refJourneySankey(ds, f, { anchor: { mode: 'end', agentId: 'a' }, steps: 3 }));
    // Ending at a: [a,b,a] ×2, [a,b]→ cut to [a] (continues), [d,a], long (last a at 23) cut to 3.
    expect(end.sessions).toBe(5);
    expect(get(end, 'a:3:a')!.sessions).toBe(5);
    expect(get(end, 'a:1:a')!.sessions).toBe(2 + 1);
    expect(get(end, 'a:2:d')!.sessions).toBe(1);
    expect(end.continued).toBe(1);
  });

  it('one user (userIds filter) and an empty range', async () => {
    const one = defaultFilters({ agentStatuses: [], environments: [], userIds: ['u2'] });
    const j = await client.run(Q.journeySankey, one, {});
    expectClose(j, refJourneySankey(ds, one, {}));
    expect(j.allUsers).toBe(1);
    expect(j.nodes.filter((x) => x.kind === 'agent').every((x) => x.usersPct === 100)).toBe(true);
    const empty: UsageFilters = defaultFilters({ timeRange: { preset: 'custom', start: '2024-01-01', end: '2024-02-01' } });
    const e = await client.run(Q.journeySankey, empty, {});
    expect(e).toEqual({ steps: 10, topN: 8, anchor: null, sessions: 0, users: 0, allSessions: 0, allUsers: 0, continued: 0, earlier: 0, nodes: [], links: [] });
    expect(await client.run(Q.journeySessions, empty, { step: 1, source: 'a', targetKind: 'exit', target: null })).toEqual([]);
  });
});
