/**
 * A2.1 Promote agent on each engine: the audience (departments × engagement segments as of the
 * snapshot's end, current users left out) checked against plain code over the snapshot's Arrow
 * rows; the campaign stored with its baseline; notices queued per channel; roles and departments.
 */
import { PromoteAgentResult, PromotePreview, type PromoteAgentInput } from '@usage-analytics/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../src/service.js';
import { AUTH, END, ENGINES, NOW, arrowTable, cleanupTmp, demoSnapshot, token } from './helpers.js';

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 120_000);
afterAll(() => cleanupTmp());

const DAY = 86_400_000;

/** Each user's department (current), segment as of END (README "User segments") and whether they used each agent in the last 30 days. */
function reference() {
  const users = arrowTable(snapshot, 'users', 'private');
  const info = new Map<string, { department: string; firstSeen: number; email: string | null }>();
  for (const u of users)
    info.set(String(u.user_id), { department: String(u.department_id), firstSeen: Number(u.first_seen_at), email: (u.email as string | null) ?? null });
  const req = arrowTable(snapshot, 'requests');
  const start = END - 30 * DAY;
  const last = new Map<string, number>();
  const n = new Map<string, number>();
  const usedBy = new Map<string, Set<string>>();
  const [ts, user, agent] = [req.getChild('ts')!, req.getChild('user_id')!, req.getChild('agent_id')!];
  for (let i = 0; i < req.numRows; i++) {
    const t = Number(ts.get(i));
    if (t >= END) continue;
    const u = String(user.get(i));
    last.set(u, Math.max(last.get(u) ?? -Infinity, t));
    if (t >= start) {
      n.set(u, (n.get(u) ?? 0) + 1);
      const a = String(agent.get(i));
      if (!usedBy.has(a)) usedBy.set(a, new Set());
      usedBy.get(a)!.add(u);
    }
  }
  const active = [...n.entries()].filter(([, c]) => c > 0);
  const cut = Math.ceil(0.1 * active.length);
  const segment = new Map<string, string>();
  for (const [u, t] of last) {
    const i = info.get(u);
    if (!i) continue;
    const c = n.get(u) ?? 0;
    const rank = 1 + active.filter(([, other]) => other > c).length;
    segment.set(u, t < start ? 'dormant' : i.firstSeen >= start ? 'new' : c > 0 && rank <= cut ? 'power' : 'regular');
  }
  return { info, segment, usedBy };
}

describe.each(ENGINES)('A2.1 promote agent on $name', (engine) => {
  let svc: RunningService;
  let drop: () => Promise<void>;
  let ref: ReturnType<typeof reference>;
  let agentId: string;
  let department: string;

  beforeAll(async () => {
    const db = await engine.fresh();
    drop = db.drop;
    svc = await startService({ databaseUrl: db.url, snapshotDir: snapshot, auth: AUTH, now: () => NOW });
    ref = reference();
    // An active agent with some current users, and the department with the most users.
    const agents = arrowTable(snapshot, 'agents')
      .toArray()
      .map((r) => r.toJSON() as { agent_id: string; agent_status: string });
    agentId = agents
      .filter((a) => a.agent_status === 'active')
      .sort((a, b) => (ref.usedBy.get(b.agent_id)?.size ?? 0) - (ref.usedBy.get(a.agent_id)?.size ?? 0))[3].agent_id;
    const byDept = new Map<string, number>();
    for (const i of ref.info.values()) byDept.set(i.department, (byDept.get(i.department) ?? 0) + 1);
    department = [...byDept].sort((a, b) => b[1] - a[1])[0][0];
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
  const pm = (departments = ['*']) => token({ userId: 'pm-1', roles: ['product_manager'], departments });
  const expected = (departments: string[], segments: string[], exclude: boolean) =>
    [...ref.segment]
      .filter(([u, s]) => (departments.length === 0 || departments.includes(ref.info.get(u)!.department)) && (segments.length === 0 || segments.includes(s)))
      .filter(([u]) => !exclude || !ref.usedBy.get(agentId)?.has(u))
      .map(([u]) => u);

  it('the preview’s audience equals plain code over the Arrow rows, with and without current users', async () => {
    for (const [departments, segments, exclude] of [
      [[department], ['regular', 'power'], true],
      [[], [], false],
      [[], ['dormant'], true],
    ] as [string[], string[], boolean][]) {
      const r = await post('/v1/actions/promote-agent/preview', { agentId, audience: { departments, segments, excludeCurrentUsers: exclude } }, await pm());
      expect(r.status).toBe(200);
      const p = PromotePreview.parse(r.body);
      const want = expected(departments, segments, exclude);
      expect(want.length, 'a case with nobody in it checks nothing').toBeGreaterThan(0);
      expect(p.audienceSize, JSON.stringify([departments, segments, exclude])).toBe(want.length);
      expect(p.segments.reduce((s, x) => s + x.users, 0)).toBe(want.length);
      const cur = expected(departments, segments, false).filter((u) => ref.usedBy.get(agentId)?.has(u)).length;
      expect(p.currentUsers).toBe(cur);
      expect(p.baseline.users).toBe(ref.usedBy.get(agentId)?.size ?? 0);
    }
  });

  it('runs the campaign once: stored with its baseline, a notice per audience user and channel, listed for measuring reach', async () => {
    const input: PromoteAgentInput = {
      agentId,
      channels: ['email', 'in_app', 'docs'],
      audience: { departments: [department], segments: [], excludeCurrentUsers: true },
      message: { subject: 'Try {{agent}}', body: 'It can help.' },
      docsBanner: 'New: ask it about invoices',
    };
    const t = await pm();
    const r = await post('/v1/actions/promote-agent', input, t, 'promo-0001');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const res = PromoteAgentResult.parse(r.body);
    const want = expected([department], [], true);
    expect(want.length).toBeGreaterThan(0);
    expect(res.audienceSize).toBe(want.length);
    expect(res.notificationsQueued).toBe(want.length * 2);
    const again = PromoteAgentResult.parse((await post('/v1/actions/promote-agent', input, t, 'promo-0001')).body);
    expect(again).toEqual({ ...res, replayed: true });
    const queued = await svc.db.query<{ user_id: string }>(`SELECT DISTINCT payload->>'userId' AS user_id FROM outbox WHERE payload->>'campaign' = $1`, [
      res.campaignId,
    ]);
    expect(queued.rows.map((q) => q.user_id).sort()).toEqual([...want].sort());
    const list = await svc.app.inject({
      method: 'GET',
      url: `/v1/campaigns?agentId=${encodeURIComponent(agentId)}`,
      headers: { authorization: `Bearer ${t}` },
    });
    expect(list.json()[0]).toMatchObject({
      id: res.campaignId,
      audience_size: want.length,
      docs_banner: 'New: ask it about invoices',
      baseline: { users: ref.usedBy.get(agentId)?.size ?? 0 },
    });
  });

  it('roles, departments and bad input: 403 / 400 naming the reason or field; a docs campaign needs its banner', async () => {
    const finance = await token({ userId: 'fin', roles: ['finance'], departments: ['*'] });
    expect((await post('/v1/actions/promote-agent/preview', { agentId, audience: {} }, finance)).status).toBe(403);
    const agentDept = String(
      arrowTable(snapshot, 'agents')
        .toArray()
        .map((x) => x.toJSON() as { agent_id: string; department_id: string })
        .find((a) => a.agent_id === agentId)!.department_id,
    );
    const other = [...new Set([...ref.info.values()].map((i) => i.department))].find((d) => d !== agentDept)!;
    const narrow = await pm([agentDept]);
    const outside = await post('/v1/actions/promote-agent/preview', { agentId, audience: { departments: [other] } }, narrow);
    expect(outside.status).toBe(403);
    expect(outside.body.error?.field).toBe('audience.departments');
    const noBanner = await post(
      '/v1/actions/promote-agent',
      { agentId, channels: ['docs'], audience: {}, message: { subject: 's', body: 'b' } },
      await pm(),
      'promo-nobanner-1',
    );
    expect([noBanner.status, noBanner.body.error?.field]).toEqual([400, 'docsBanner']);
    const twice = await post(
      '/v1/actions/promote-agent',
      { agentId, channels: ['email', 'email'], audience: {}, message: { subject: 's', body: 'b' } },
      await pm(),
      'promo-twice-01',
    );
    expect([twice.status, twice.body.error?.field]).toEqual([400, 'channels']);
  });
});
