/**
 * A2.3 Create user segment on each engine: the live count equals plain code over the snapshot's
 * Arrow rows for criteria combinations (requests range, agents any/all, departments, engagement,
 * last active, window); saved segments are visible to exactly who they are shared with.
 */
import { CreateSegmentResult, SegmentCount, SavedSegment, type SegmentCriteria } from '@usage-analytics/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../src/service.js';
import { AUTH, END, ENGINES, NOW, arrowTable, cleanupTmp, demoSnapshot, token } from './helpers.js';

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 120_000);
afterAll(() => cleanupTmp());

const DAY = 86_400_000;
interface Req {
  ts: number;
  user: string;
  agent: string;
  dept: string;
}
let rows: Req[];
let firstSeen: Map<string, number>;

/** The users `c` selects, computed directly from the rows (README "User segments" for engagement). */
function expected(c: SegmentCriteria): Map<string, { dept: string; n: number }> {
  const w = c.windowDays ?? 30;
  const start = END - w * DAY;
  const per = new Map<string, { n: number; last: number; dept: string; agents: Set<string> }>();
  const lastEver = new Map<string, number>();
  for (const r of rows) {
    if (r.ts >= END) continue;
    lastEver.set(r.user, Math.max(lastEver.get(r.user) ?? -Infinity, r.ts));
    if (r.ts < start) continue;
    const e = per.get(r.user) ?? { n: 0, last: -Infinity, dept: '', agents: new Set<string>() };
    e.n++;
    e.agents.add(r.agent);
    if (r.ts >= e.last) {
      e.last = r.ts;
      e.dept = r.dept;
    }
    per.set(r.user, e);
  }
  const counts = [...per.values()].map((e) => e.n);
  const cut = Math.ceil(0.1 * counts.length);
  const segment = (u: string, n: number) => {
    if (lastEver.get(u)! < END - 30 * DAY) return 'dormant';
    if ((firstSeen.get(u) ?? 0) >= END - 30 * DAY) return 'new';
    return 1 + counts.filter((x) => x > n).length <= cut ? 'power' : 'regular';
  };
  const out = new Map<string, { dept: string; n: number }>();
  for (const [u, e] of per) {
    if (c.requests?.min !== undefined && e.n < c.requests.min) continue;
    if (c.requests?.max !== undefined && e.n > c.requests.max) continue;
    const ids = c.agents?.ids ?? [];
    if (ids.length && (c.agents?.mode === 'all' ? !ids.every((a) => e.agents.has(a)) : !ids.some((a) => e.agents.has(a)))) continue;
    if (c.departments?.length && !c.departments.includes(e.dept)) continue;
    if (c.engagement?.length && !c.engagement.includes(segment(u, e.n) as never)) continue;
    if (c.lastActiveWithinDays !== undefined && e.last < END - c.lastActiveWithinDays * DAY) continue;
    out.set(u, { dept: e.dept, n: e.n });
  }
  return out;
}

beforeAll(() => {
  const t = arrowTable(snapshot, 'requests');
  const [ts, user, agent, dept] = [t.getChild('ts')!, t.getChild('user_id')!, t.getChild('agent_id')!, t.getChild('department_id')!];
  rows = Array.from({ length: t.numRows }, (_, i) => ({
    ts: Number(ts.get(i)),
    user: String(user.get(i)),
    agent: String(agent.get(i)),
    dept: String(dept.get(i)),
  }));
  firstSeen = new Map(
    arrowTable(snapshot, 'users')
      .toArray()
      .map((u) => [String(u.user_id), Number(u.first_seen_at)]),
  );
});

describe.each(ENGINES)('A2.3 create segment on $name', (engine) => {
  let svc: RunningService;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await engine.fresh();
    drop = db.drop;
    svc = await startService({ databaseUrl: db.url, snapshotDir: snapshot, auth: AUTH, now: () => NOW });
  }, 120_000);
  afterAll(async () => {
    await svc?.close();
    await drop?.();
  });

  const post = async (url: string, body: unknown, t: string, key?: string) => {
    const res = await svc.app.inject({
      method: 'POST',
      url,
      payload: body as object,
      headers: { authorization: `Bearer ${t}`, ...(key ? { 'idempotency-key': key } : {}) },
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> & { error?: { message: string; field?: string } } };
  };

  it('the live count equals plain code over the Arrow rows for criteria combinations', async () => {
    const t = await token({ userId: 'ba', roles: ['business_analyst'], departments: ['*'] });
    const busy = [...expected({}).values()].sort((a, b) => b.n - a.n);
    const dept = busy[0].dept;
    const agentsByUse = new Map<string, number>();
    for (const r of rows) if (r.ts >= END - 30 * DAY) agentsByUse.set(r.agent, (agentsByUse.get(r.agent) ?? 0) + 1);
    const [a1, a2] = [...agentsByUse].sort((x, y) => y[1] - x[1]).map(([a]) => a);
    const cases: SegmentCriteria[] = [
      {},
      { requests: { min: 5, max: 40 } },
      { agents: { ids: [a1, a2], mode: 'any' } },
      { agents: { ids: [a1, a2], mode: 'all' }, departments: [dept] },
      { engagement: ['power'] },
      { engagement: ['new', 'regular'], lastActiveWithinDays: 7 },
      { windowDays: 90, engagement: ['dormant'] },
      { windowDays: 7, requests: { min: 1, max: 1 } },
    ];
    for (const c of cases) {
      const r = await post('/v1/actions/create-segment/count', { criteria: c }, t);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const got = SegmentCount.parse(r.body);
      const want = expected(c);
      expect(got.users, JSON.stringify(c)).toBe(want.size);
      const byDept = new Map<string, number>();
      for (const v of want.values()) byDept.set(v.dept, (byDept.get(v.dept) ?? 0) + 1);
      expect(Object.fromEntries(got.departments.map((d) => [d.department, d.users])), JSON.stringify(c)).toEqual(Object.fromEntries(byDept));
      for (const s of got.sample) expect(s.requests).toBe(want.get(s.userId)?.n);
    }
    expect(expected(cases[4]).size, 'a power segment').toBeGreaterThan(0);
    expect(expected(cases[6]).size, 'dormant users over 90 days').toBeGreaterThan(0);
  });

  it('saves once, scoped to the caller’s departments; visible to exactly who it is shared with', async () => {
    const depts = [...new Set(rows.map((r) => r.dept))].sort();
    const [d1, d2] = depts;
    const pm1 = await token({ userId: 'pm-a', roles: ['product_manager'], departments: [d1] });
    const pm2 = await token({ userId: 'pm-b', roles: ['product_manager'], departments: [d2] });
    const cs = await token({ userId: 'cs-a', roles: ['customer_success'], departments: [d1] });
    const body = { name: '<b>Heavy</b> users', criteria: { requests: { min: 3 } }, sharing: 'department' };
    const first = await post('/v1/actions/create-segment', body, pm1, 'segment-0001');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const saved = CreateSegmentResult.parse(first.body).segment;
    expect(saved.name).toBe('<b>Heavy</b> users');
    expect(saved.criteria).toMatchObject({ departments: [d1] });
    expect(saved.usersAtSave).toBe(expected({ requests: { min: 3 }, departments: [d1] }).size);
    expect(CreateSegmentResult.parse((await post('/v1/actions/create-segment', body, pm1, 'segment-0001')).body).replayed).toBe(true);
    const list = async (t: string) =>
      ((await svc.app.inject({ method: 'GET', url: '/v1/segments', headers: { authorization: `Bearer ${t}` } })).json() as SavedSegment[]).map((s) => s.id);
    expect(await list(pm1)).toContain(saved.id);
    expect(await list(cs)).toContain(saved.id);
    expect(await list(pm2)).not.toContain(saved.id);
    // Fleet sharing needs every department; another department's criteria are refused.
    expect((await post('/v1/actions/create-segment', { ...body, sharing: 'fleet' }, pm1, 'segment-fleet-1')).status).toBe(403);
    const other = await post('/v1/actions/create-segment/count', { criteria: { departments: [d2] } }, pm1);
    expect(other.status).toBe(403);
    // Roles outside the PRD's column, and bad criteria naming the field.
    expect((await post('/v1/actions/create-segment/count', { criteria: {} }, await token({ roles: ['finance'], departments: ['*'] }))).status).toBe(403);
    const bad = await post('/v1/actions/create-segment/count', { criteria: { requests: { min: 9, max: 2 } } }, pm1);
    expect([bad.status, bad.body.error?.field]).toEqual([400, 'criteria.requests.min']);
    const unknown = await post('/v1/actions/create-segment/count', { criteria: { sql: 'DROP TABLE users' } }, pm1);
    expect(unknown.status).toBe(400);
  });
});
