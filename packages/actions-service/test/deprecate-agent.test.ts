/**
 * The actions service end to end on each engine (PGlite; the PostgreSQL server when TEST_DATABASE_URL
 * is set): tokens, roles and departments enforced by the service, A2.2's preview checked against
 * plain code over the snapshot's Arrow rows, its effects (registry, routing, outbox, audit) checked
 * in the database, idempotency under a concurrent double submit, and failures that change nothing.
 */
import {
  ACTIONS,
  ActionsClient,
  ActionError,
  DeprecateAgentResult,
  DeprecatePreview,
  ROLES,
  addDays,
  utcDay,
  type DeprecateAgentInput,
} from '@usage-analytics/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../src/service.js';
import { migrate } from '../src/migrations.js';
import { AUTH, ENGINES, NOW, arrowTable, cleanupTmp, demoSnapshot, token } from './helpers.js';

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 120_000);
afterAll(() => cleanupTmp());

/** Agents of the snapshot with their department and status, and who used each in the last 30 days (plain code over Arrow rows). */
function independent() {
  const agents = arrowTable(snapshot, 'agents');
  const byId = new Map<string, { department: string; status: string }>();
  for (const r of agents) byId.set(String(r.agent_id), { department: String(r.department_id), status: String(r.agent_status) });
  const req = arrowTable(snapshot, 'requests');
  const end = Date.UTC(2026, 10, 1);
  const start = end - 30 * 86_400_000;
  const users = new Map<string, Map<string, { n: number; last: number; dept: string }>>();
  const ts = req.getChild('ts')!;
  const agent = req.getChild('agent_id')!;
  const user = req.getChild('user_id')!;
  const dept = req.getChild('department_id')!;
  for (let i = 0; i < req.numRows; i++) {
    const t = Number(ts.get(i));
    if (t < start || t >= end) continue;
    const a = String(agent.get(i));
    const m = users.get(a) ?? new Map();
    users.set(a, m);
    const u = String(user.get(i));
    const e = m.get(u) ?? { n: 0, last: -Infinity, dept: '' };
    e.n++;
    if (t >= e.last) {
      e.last = t;
      e.dept = String(dept.get(i));
    }
    m.set(u, e);
  }
  return { byId, users };
}

const input = (agentId: string, replacementAgentId: string, over: Partial<DeprecateAgentInput> = {}): DeprecateAgentInput => ({
  agentId,
  replacementAgentId,
  sunsetDate: addDays(utcDay(NOW), 45),
  migrationGuideUrl: 'https://docs.example/migrate',
  notification: { subject: 'Moving off {{agent}}', body: 'Please use {{replacement}} before {{sunsetDate}}.' },
  weeklySharePct: 25,
  ...over,
});

describe.each(ENGINES)('actions service on $name', (engine) => {
  let svc: RunningService;
  let drop: () => Promise<void>;
  let ref: ReturnType<typeof independent>;
  /** An agent used in the last 30 days by the most users, and an active agent of the same department to replace it. */
  let busy: { id: string; department: string; replacement: string };

  beforeAll(async () => {
    const db = await engine.fresh();
    drop = db.drop;
    svc = await startService({ databaseUrl: db.url, snapshotDir: snapshot, auth: AUTH, now: () => NOW });
    ref = independent();
    const ranked = [...ref.users].filter(([id]) => ref.byId.get(id)?.status === 'active').sort((a, b) => b[1].size - a[1].size);
    const [id] = ranked[0];
    const department = ref.byId.get(id)!.department;
    const candidates = [...ref.byId].filter(([other, a]) => other !== id && a.status === 'active');
    const replacement = (candidates.find(([, a]) => a.department === department) ?? candidates[0])[0];
    busy = { id, department, replacement };
  }, 120_000);
  afterAll(async () => {
    await svc?.close();
    await drop?.();
  });

  const call = async (method: 'GET' | 'POST', url: string, opts: { token?: string; body?: unknown; key?: string } = {}) => {
    const res = await svc.app.inject({
      method,
      url,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.key ? { 'idempotency-key': opts.key } : {}) },
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> & { error?: { code: string; message: string; field?: string } } };
  };
  const director = () => token({ userId: 'dir-1', roles: ['director_ai_ml'], departments: ['*'] });
  const auditRows = async (action: string, target?: string) =>
    (
      await svc.db.query<{ actor: string; outcome: string; status: number; reason: string | null; before: unknown; after: unknown }>(
        `SELECT actor, outcome, status, reason, before, after FROM audit_log WHERE action = $1 ${target ? 'AND target = $2' : ''} ORDER BY id`,
        target ? [action, target] : [action],
      )
    ).rows;

  it('migrations run once: a second run applies nothing', async () => {
    expect(await migrate(svc.db)).toEqual([]);
    const { rows } = await svc.db.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('syncs the registry from the snapshot: every agent, its department and status', async () => {
    const { rows } = await svc.db.query<{ agent_id: string; department_id: string; status: string }>(
      'SELECT agent_id, department_id, status FROM agent_registry',
    );
    expect(rows.length).toBe(ref.byId.size);
    for (const r of rows) expect({ department: r.department_id, status: r.status }).toEqual(ref.byId.get(r.agent_id));
  });

  it('/v1/me names the caller and the actions their roles allow', async () => {
    const r = await call('GET', '/v1/me', { token: await token({ userId: 'pm-1', name: 'Pat', roles: ['product_manager'], departments: ['sales'] }) });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      userId: 'pm-1',
      name: 'Pat',
      roles: ['product_manager'],
      departments: ['sales'],
      actions: ['promote-agent', 'create-segment', 'clone-agent', 'usage-report', 'intent-rules'],
    });
  });

  it('no token → 401; forged, expired, wrong audience or too long-lived → 403 with the reason, audited', async () => {
    expect((await call('GET', '/v1/me')).status).toBe(401);
    const cases: [string, Promise<string>, RegExp][] = [
      ['forged', token({ roles: ['admin'], departments: ['*'] }, { secret: 'another-secret-that-is-32-bytes-or-more!!' }), /not valid/],
      ['expired', token({ roles: ['admin'], departments: ['*'] }, { now: new Date(Date.now() - 3_600_000), ttlSeconds: 600 }), /expired/],
      ['audience', token({ roles: ['admin'], departments: ['*'] }, { audience: 'someone-else' }), /aud/],
      ['lifetime', token({ roles: ['admin'], departments: ['*'] }, { ttlSeconds: 86_400 }), /longer than/],
    ];
    const before = (await auditRows('deprecate-agent')).length;
    for (const [name, t, why] of cases) {
      const r = await call('POST', '/v1/actions/deprecate-agent', { token: await t, key: `key-${name}-0001`, body: input(busy.id, busy.replacement) });
      expect(r.status, name).toBe(403);
      expect(r.body.error?.message, name).toMatch(why);
    }
    const rows = (await auditRows('deprecate-agent')).slice(before);
    expect(rows.map((r) => [r.actor, r.outcome, r.status])).toEqual(cases.map(() => ['(unverified token)', 'denied', 403]));
  });

  it('role × A2.2: only Director AI/ML and Engineering Manager pass the role check; every refusal is a 403 naming the roles, audited', async () => {
    const spec = ACTIONS.find((a) => a.key === 'deprecate-agent')!;
    for (const role of ROLES) {
      const r = await call('POST', '/v1/actions/deprecate-agent/preview', {
        token: await token({ userId: `x-${role}`, roles: [role], departments: ['*'] }),
        body: { agentId: busy.id },
      });
      const allowed = (spec.roles as readonly string[]).includes(role);
      expect(r.status, role).toBe(allowed ? 200 : 403);
      if (!allowed) {
        expect(r.body.error?.message).toContain('Director AI/ML, Engineering Manager');
        const last = (await auditRows('deprecate-agent', busy.id)).at(-1)!;
        expect([last.actor, last.outcome, last.status]).toEqual([`x-${role}`, 'denied', 403]);
      }
    }
  });

  it("another department's agent → 403 and an audit row; the own department passes", async () => {
    const other = [...ref.byId.values()].map((a) => a.department).find((d) => d !== busy.department)!;
    const outsider = await token({ userId: 'em-other', roles: ['engineering_manager'], departments: [other] });
    const r = await call('POST', '/v1/actions/deprecate-agent/preview', { token: outsider, body: { agentId: busy.id } });
    expect(r.status).toBe(403);
    expect(r.body.error?.message).toContain(`department "${busy.department}"`);
    expect((await auditRows('deprecate-agent', busy.id)).at(-1)).toMatchObject({ actor: 'em-other', outcome: 'denied', status: 403 });
    const insider = await token({ userId: 'em-own', roles: ['engineering_manager'], departments: [busy.department] });
    expect((await call('POST', '/v1/actions/deprecate-agent/preview', { token: insider, body: { agentId: busy.id } })).status).toBe(200);
  });

  it('the preview equals plain code over the Arrow rows: users, requests, departments, top users', async () => {
    const r = await call('POST', '/v1/actions/deprecate-agent/preview', { token: await director(), body: { agentId: busy.id } });
    expect(r.status).toBe(200);
    const p = DeprecatePreview.parse(r.body);
    const want = ref.users.get(busy.id)!;
    expect(p.usersAffected).toBe(want.size);
    expect(p.requests).toBe([...want.values()].reduce((s, u) => s + u.n, 0));
    const depts = new Map<string, number>();
    for (const u of want.values()) depts.set(u.dept, (depts.get(u.dept) ?? 0) + 1);
    expect(Object.fromEntries(p.departments.map((d) => [d.department, d.users]))).toEqual(Object.fromEntries(depts));
    const top = [...want].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1)).slice(0, 20);
    expect(p.topUsers.map((u) => [u.userId, u.requests])).toEqual(top.map(([id, u]) => [id, u.n]));
    expect(p.window).toEqual({ start: '2026-10-02T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' });
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    const t = await director();
    const cases: [Partial<DeprecateAgentInput> & { agentId?: string }, string][] = [
      [{ sunsetDate: addDays(utcDay(NOW), 29) }, 'sunsetDate'],
      [{ sunsetDate: '2026-02-30' }, 'sunsetDate'],
      [{ replacementAgentId: busy.id }, 'replacementAgentId'],
      [{ replacementAgentId: 'no-such-agent' }, 'replacementAgentId'],
      [{ migrationGuideUrl: 'javascript:alert(1)' }, 'migrationGuideUrl'],
      [{ weeklySharePct: 0 }, 'weeklySharePct'],
      [{ notification: { subject: '', body: 'x' } }, 'notification.subject'],
    ];
    const deprecated = [...ref.byId].find(([, a]) => a.status === 'deprecated')?.[0];
    if (deprecated) cases.push([{ replacementAgentId: deprecated }, 'replacementAgentId']);
    const outboxBefore = (await svc.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0].n;
    for (const [i, [over, field]] of cases.entries()) {
      const r = await call('POST', '/v1/actions/deprecate-agent', { token: t, key: `bad-input-${i}-000`, body: input(busy.id, busy.replacement, over) });
      expect(r.status, field).toBe(400);
      expect(r.body.error?.field, JSON.stringify(over)).toBe(field);
    }
    const { rows } = await svc.db.query<{ status: string }>('SELECT status FROM agent_registry WHERE agent_id = $1', [busy.id]);
    expect(rows[0].status).toBe('active');
    expect((await svc.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(outboxBefore);
    expect((await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key LIKE 'bad-input-%'`)).rows[0].n).toBe(0);
  });

  it('deprecates once under a concurrent double submit: registry, routing, two notices per affected user, audit before / after', async () => {
    const t = await director();
    const body = input(busy.id, busy.replacement, { notification: { subject: '<img src=x onerror=alert(1)> {{agent}}', body: 'Use {{replacement}}' } });
    const key = 'double-submit-0001';
    const [a, b] = await Promise.all([
      call('POST', '/v1/actions/deprecate-agent', { token: t, key, body }),
      call('POST', '/v1/actions/deprecate-agent', { token: t, key, body }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [ra, rb] = [DeprecateAgentResult.parse(a.body), DeprecateAgentResult.parse(b.body)];
    expect([ra.replayed, rb.replayed].sort()).toEqual([false, true]);
    expect({ ...ra, replayed: false }).toEqual({ ...rb, replayed: false });
    const users = ref.users.get(busy.id)!.size;
    expect(ra.notificationsQueued).toBe(users * 2);
    expect(ra.routing.at(-1)).toEqual({ from: body.sunsetDate, sharePct: 100 });
    expect(ra.routing.slice(0, 3)).toEqual([
      { from: addDays(utcDay(NOW), 1), sharePct: 25 },
      { from: addDays(utcDay(NOW), 8), sharePct: 50 },
      { from: addDays(utcDay(NOW), 15), sharePct: 75 },
    ]);

    const reg = (
      await svc.db.query<{ status: string; sunset: string; replacement_agent_id: string }>(
        `SELECT status, to_char(sunset_date, 'YYYY-MM-DD') AS sunset, replacement_agent_id FROM agent_registry WHERE agent_id = $1`,
        [busy.id],
      )
    ).rows[0];
    expect(reg).toEqual({ status: 'deprecated', sunset: body.sunsetDate, replacement_agent_id: busy.replacement });
    const routing = (await svc.db.query<{ n: number }>('SELECT count(*)::int AS n FROM routing_rules WHERE agent_id = $1', [busy.id])).rows[0].n;
    expect(routing).toBe(ra.routing.length);
    const outbox = await svc.db.query<{ kind: string; n: number; users: number }>(
      `SELECT kind, count(*)::int AS n, count(DISTINCT payload->>'userId')::int AS users FROM outbox WHERE audit_id = $1 GROUP BY kind ORDER BY kind`,
      [ra.auditId],
    );
    expect(outbox.rows).toEqual([
      { kind: 'email', n: users, users },
      { kind: 'in_app', n: users, users },
    ]);
    // E-mails come from the snapshot's users table (published in this test snapshot): each user's own.
    const emails = new Map<string, string | null>();
    for (const u of arrowTable(snapshot, 'users')) emails.set(String(u.user_id), (u.email as string | null) ?? null);
    const queued = await svc.db.query<{ user_id: string; email: string | null }>(
      `SELECT payload->>'userId' AS user_id, payload->>'email' AS email FROM outbox WHERE audit_id = $1 AND kind = 'email'`,
      [ra.auditId],
    );
    expect(queued.rows.filter((r) => r.email !== null).length).toBeGreaterThan(users / 2);
    for (const r of queued.rows) expect(r.email, r.user_id).toBe(emails.get(r.user_id) ?? null);
    // The template is stored as the user typed it: text, never interpreted.
    const tpl = (await svc.db.query<{ subject: string }>(`SELECT subject FROM message_templates ORDER BY id DESC LIMIT 1`)).rows[0];
    expect(tpl.subject).toBe('<img src=x onerror=alert(1)> {{agent}}');
    const done = (await auditRows('deprecate-agent', busy.id)).filter((r) => r.outcome === 'done');
    expect(done).toHaveLength(1);
    expect(done[0].before).toMatchObject({ status: 'active' });
    expect(done[0].after).toMatchObject({ registry: { status: 'deprecated', sunset_date: body.sunsetDate }, usersNotified: users });
  });

  it('the same key with another body → 409; a second deprecation → 409 conflict, audited; nothing changes', async () => {
    const t = await director();
    const other = input(busy.id, busy.replacement, { weeklySharePct: 50 });
    const reuse = await call('POST', '/v1/actions/deprecate-agent', { token: t, key: 'double-submit-0001', body: other });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error?.field).toBe('Idempotency-Key');
    const again = await call('POST', '/v1/actions/deprecate-agent', { token: t, key: 'second-time-0001', body: other });
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toContain('already deprecated');
    expect((await auditRows('deprecate-agent', busy.id)).at(-1)).toMatchObject({ outcome: 'conflict', status: 409 });
    const outbox = (
      await svc.db.query<{ n: number }>(`SELECT count(DISTINCT audit_id)::int AS n FROM outbox WHERE dedupe_key LIKE $1`, [`deprecate-agent:${busy.id}:%`])
    ).rows[0].n;
    expect(outbox).toBe(1);
  });

  it('the registry endpoint shows the action’s status for the next snapshot', async () => {
    const r = await call('GET', '/v1/registry/agents', { token: await director() });
    const row = (r.body as unknown as { agent_id: string; status: string; source: string }[]).find((a) => a.agent_id === busy.id);
    expect(row).toMatchObject({ status: 'deprecated', source: 'action' });
  });

  it('publishes OpenAPI with the action routes, their bodies and the bearer scheme', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/openapi.json' });
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>>;
      components: { securitySchemes: unknown };
    };
    expect(doc.openapi).toMatch(/^3\./);
    const post = doc.paths['/v1/actions/deprecate-agent'].post;
    expect(Object.keys(post.requestBody!.content['application/json'].schema.properties).sort()).toEqual(
      ['agentId', 'migrationGuideUrl', 'notification', 'replacementAgentId', 'sunsetDate', 'weeklySharePct'].sort(),
    );
    expect(doc.paths['/v1/me']).toBeDefined();
    expect(doc.components.securitySchemes).toMatchObject({ portalToken: { type: 'http', scheme: 'bearer' } });
  });

  it('the ActionsClient over real HTTP: me, a preview, and refusals as ActionError with the field', async () => {
    const client = new ActionsClient({
      baseUrl: svc.url,
      token: () => token({ userId: 'em-own', roles: ['engineering_manager'], departments: [busy.department] }),
    });
    expect((await client.me()).actions).toContain('deprecate-agent');
    const p = await client.preview('deprecate-agent', { agentId: busy.id }, DeprecatePreview);
    expect(p.usersAffected).toBe(ref.users.get(busy.id)!.size);
    const err = await client
      .perform('deprecate-agent', input(busy.id, busy.id), DeprecateAgentResult, { idempotencyKey: 'client-self-0001' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect(err).toMatchObject({ status: 400, code: 'validation', field: 'replacementAgentId' });
    const down = new ActionsClient({ baseUrl: 'http://127.0.0.1:9', token: () => 'x', timeoutMs: 2000 });
    await expect(down.me()).rejects.toMatchObject({ code: 'network', message: expect.stringContaining('could not be reached') });
  });
});
