/**
 * A2.10 Set agent request quota on each engine: roles × scope, validation naming the field, the
 * preview's replay (DuckDB SQL) checked against plain code over the snapshot's Arrow rows and over
 * hand-made edge rows (window starts, an empty week, one request), the quota written with audit and
 * registry, and the limiter the gateway calls: exact admissions under concurrency, throttle, FIFO
 * queue order, and counts that survive a restart (they are in the database).
 */
import { ACTIONS, PERIOD_MS, QuotaPreview, ROLES, RequestQuotaResult, type QuotaPeriod, type RequestQuotaInput } from '@usage-analytics/actions';
import { NativeConnector } from '@usage-analytics/exporter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService, type ServiceConfig } from '../src/service.js';
import { quotaReplaySql } from '../src/usage-data.js';
import { AUTH, END, ENGINES, NOW, arrowTable, cleanupTmp, demoSnapshot, tmp, token } from './helpers.js';

const GATEWAY_KEY = 'gateway-test-key-0123456789';

/** The replay in plain code: fixed windows floor(t / period), the first `limit` of each admitted. */
function replay(times: number[], limit: number, period: QuotaPeriod, waitMs: number | null) {
  const p = PERIOD_MS[period];
  const byWindow = new Map<number, number[]>();
  for (const t of times) {
    const w = Math.floor(t / p) * p;
    const list = byWindow.get(w) ?? [];
    list.push(t);
    byWindow.set(w, list);
  }
  let admitted = 0;
  let over = 0;
  let overWithinWait = 0;
  let windowsOver = 0;
  let peak = 0;
  for (const [w, list] of byWindow) {
    list.sort((a, b) => a - b);
    peak = Math.max(peak, list.length);
    if (list.length > limit) windowsOver++;
    list.forEach((t, i) => {
      if (i < limit) admitted++;
      else {
        over++;
        if (waitMs !== null && w + p - t <= waitMs) overWithinWait++;
      }
    });
  }
  return { requests: times.length, admitted, over, overWithinWait, windowsOver, peak };
}

describe('the replay SQL against plain code on edge rows', () => {
  let db: NativeConnector;
  beforeAll(async () => {
    db = await NativeConnector.create();
    await db.query('CREATE TABLE requests (ts TIMESTAMP, agent_id VARCHAR)');
  });
  afterAll(() => db.close());

  const run = async (times: number[], limit: number, period: QuotaPeriod, wait: number | null) => {
    await db.query('DELETE FROM requests');
    if (times.length) await db.query(`INSERT INTO requests VALUES ${times.map((t) => `(epoch_ms(${t}), 'a')`).join(', ')}`);
    const [r] = await db.query(quotaReplaySql('true', { limit, period, maxQueueWaitMs: wait }));
    return {
      requests: Number(r.requests),
      admitted: Number(r.admitted),
      over: Number(r.over),
      overWithinWait: Number(r.over_within_wait),
      windowsOver: Number(r.windows_over),
      peak: Number(r.peak),
    };
  };
  const day = Date.UTC(2026, 9, 20);
  const cases: [string, number[], number, QuotaPeriod, number | null][] = [
    ['an empty week', [], 5, 'minute', null],
    ['one request', [day + 1234], 1, 'hour', 1000],
    ['one request over a limit of 1? no: admitted', [day], 1, 'day', null],
    // Exactly at a window start belongs to the new window: 2 + 2, not 3 + 1.
    ['minute start', [day + 59_000, day + 59_999, day + 60_000, day + 60_001], 2, 'minute', null],
    ['minute start, limit 1', [day + 59_999, day + 59_999, day + 60_000, day + 60_000], 1, 'minute', 1],
    ['hour start', [day + 3_599_999, day + 3_599_999, day + 3_600_000, day + 3_600_000, day + 3_600_000], 1, 'hour', 1],
    ['UTC-day start', [day - 1, day - 1, day - 1, day, day + 86_399_999, day + 86_400_000], 2, 'day', 1],
    // The queue wait bound is inclusive: 1,000 ms before the next window start is within a 1,000 ms wait.
    ['wait bound', [day, day + 1, day + 59_000, day + 58_999], 1, 'minute', 1000],
  ];
  for (const [name, times, limit, period, wait] of cases) {
    it(name, async () => {
      const got = await run(times, limit, period, wait);
      expect(got).toEqual(replay(times, limit, period, wait));
    });
  }
  it('the boundary cases are what the windows say', async () => {
    expect(await run([day + 59_000, day + 59_999, day + 60_000, day + 60_001], 2, 'minute', null)).toMatchObject({ admitted: 4, over: 0, windowsOver: 0 });
    expect(await run([day - 1, day - 1, day - 1, day, day + 86_399_999, day + 86_400_000], 2, 'day', 1)).toMatchObject({
      admitted: 5,
      over: 1,
      overWithinWait: 1,
      windowsOver: 1,
      peak: 3,
    });
  });
});

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 120_000);
afterAll(() => cleanupTmp());

describe.each(ENGINES)('A2.10 request quota on $name', (engine) => {
  let svc: RunningService;
  let config: ServiceConfig;
  let drop: () => Promise<void>;
  /** Agents by department, requests (ms) of each in the last 7 days, all requests of the last 7 days. */
  let agents: Map<string, string>;
  let week: Map<string, number[]>;
  let all: number[];
  let busy: string;
  /** Shifts the limiter's clock (the queue test puts it just before a minute's end). */
  let offset = 0;

  beforeAll(async () => {
    const db = await engine.fresh();
    drop = db.drop;
    config = {
      databaseUrl: db.url,
      pgliteDir: db.url ? undefined : tmp('pglite'),
      snapshotDir: snapshot,
      auth: AUTH,
      now: () => NOW,
      gatewayKey: GATEWAY_KEY,
      limiterClock: () => Date.now() + offset,
    };
    svc = await startService(config);
    agents = new Map();
    for (const r of arrowTable(snapshot, 'agents')) agents.set(String(r.agent_id), String(r.department_id));
    const req = arrowTable(snapshot, 'requests');
    const ts = req.getChild('ts')!;
    const agent = req.getChild('agent_id')!;
    week = new Map();
    all = [];
    for (let i = 0; i < req.numRows; i++) {
      const t = Number(ts.get(i));
      if (t < END - 7 * 86_400_000 || t >= END) continue;
      all.push(t);
      const a = String(agent.get(i));
      const list = week.get(a) ?? [];
      list.push(t);
      week.set(a, list);
    }
    busy = [...week].sort((a, b) => b[1].length - a[1].length)[0][0];
  }, 120_000);
  afterAll(async () => {
    await svc?.close();
    await drop?.();
  });

  const call = async (url: string, opts: { token?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {}) => {
    const res = await svc.app.inject({
      method: 'POST',
      url,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.key ? { 'idempotency-key': opts.key } : {}), ...opts.headers },
      payload: opts.body as object,
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> & { error?: { code: string; message: string; field?: string } } };
  };
  /** The gateway's call over real HTTP. */
  const check = async (agentId: string, requestId?: string) => {
    const res = await fetch(`${svc.url}/quota/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gateway-key': GATEWAY_KEY },
      body: JSON.stringify({ agentId, requestId }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      admitted: boolean;
      outcome: string;
      retryAfterMs?: number;
      remaining: number;
      windowStart?: string;
      ticket?: number;
      queueSeq?: number;
    };
  };
  const architect = (departments = ['*']) => token({ userId: 'pa-1', roles: ['platform_architect'], departments });
  const auditRows = async (target: string) =>
    (
      await svc.db.query<{ actor: string; outcome: string; status: number; before: unknown; after: unknown }>(
        `SELECT actor, outcome, status, before, after FROM audit_log WHERE action = 'request-quota' AND target = $1 ORDER BY id`,
        [target],
      )
    ).rows;
  const setQuota = async (body: RequestQuotaInput, key: string) => {
    const r = await call('/v1/actions/request-quota', { token: await architect(), key, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return RequestQuotaResult.parse(r.body);
  };
  const q = (over: Partial<RequestQuotaInput> = {}): RequestQuotaInput => ({
    scope: 'agent',
    agentId: busy,
    limit: 10,
    period: 'hour',
    overage: 'reject',
    ...over,
  });

  it('role × A2.10: only Platform Architect, DevOps and Finance pass; refusals are 403 naming the roles, audited', async () => {
    const spec = ACTIONS.find((a) => a.key === 'request-quota')!;
    for (const role of ROLES) {
      const r = await call('/v1/actions/request-quota/preview', { token: await token({ userId: `x-${role}`, roles: [role], departments: ['*'] }), body: q() });
      const allowed = (spec.roles as readonly string[]).includes(role);
      expect(r.status, role).toBe(allowed ? 200 : 403);
      if (!allowed) {
        expect(r.body.error?.message).toContain('Platform Architect, DevOps, Finance');
        expect((await auditRows(busy)).at(-1)).toMatchObject({ actor: `x-${role}`, outcome: 'denied', status: 403 });
      }
    }
  });

  it("global needs every department; another department's agent → 403 + audit; the own department passes", async () => {
    const dept = agents.get(busy)!;
    const other = [...new Set(agents.values())].find((d) => d !== dept)!;
    const g = await call('/v1/actions/request-quota/preview', { token: await architect([dept]), body: q({ scope: 'global', agentId: undefined }) });
    expect(g.status).toBe(403);
    expect(g.body.error?.message).toContain('needs every department');
    expect((await auditRows('*')).at(-1)).toMatchObject({ actor: 'pa-1', outcome: 'denied', status: 403 });
    expect((await call('/v1/actions/request-quota/preview', { token: await architect(), body: q({ scope: 'global', agentId: undefined }) })).status).toBe(200);
    const r = await call('/v1/actions/request-quota', {
      token: await token({ userId: 'fin-x', roles: ['finance'], departments: [other] }),
      key: 'other-dept-0001',
      body: q(),
    });
    expect(r.status).toBe(403);
    expect(r.body.error?.message).toContain(`department "${dept}"`);
    expect((await auditRows(busy)).at(-1)).toMatchObject({ actor: 'fin-x', outcome: 'denied', status: 403 });
    const own = await call('/v1/actions/request-quota/preview', {
      token: await token({ userId: 'fin-own', roles: ['finance'], departments: [dept] }),
      body: q(),
    });
    expect(own.status).toBe(200);
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const t = await architect();
    const cases: [Record<string, unknown>, string][] = [
      [{ agentId: undefined }, 'agentId'],
      [{ scope: 'global' }, 'agentId'],
      [{ scope: 'team' }, 'scope'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 2.5 }, 'limit'],
      [{ limit: '10' }, 'limit'],
      [{ period: 'week' }, 'period'],
      [{ overage: 'drop' }, 'overage'],
      [{ overage: 'reject', maxQueueWaitMs: 500 }, 'maxQueueWaitMs'],
      [{ overage: 'queue', maxQueueWaitMs: 600_000 }, 'maxQueueWaitMs'],
      [{ agentId: 'no-such-agent' }, 'agentId'],
    ];
    for (const [i, [over, field]] of cases.entries()) {
      const r = await call('/v1/actions/request-quota', { token: t, key: `bad-quota-${i}-000`, body: { ...q(), ...over } });
      expect(r.status, JSON.stringify(over)).toBe(field === 'agentId' && over.agentId === 'no-such-agent' ? 404 : 400);
      expect(r.body.error?.field, JSON.stringify(over)).toBe(field);
    }
    expect((await svc.db.query<{ n: number }>('SELECT count(*)::int AS n FROM quotas')).rows[0].n).toBe(0);
  });

  it('the preview equals plain code over the Arrow rows: the busiest agent and global, each period and overage', async () => {
    const t = await architect();
    const mine = week.get(busy)!;
    const inputs: [RequestQuotaInput, number[]][] = [];
    for (const period of ['minute', 'hour', 'day'] as const) {
      const peak = replay(mine, 1e9, period, null).peak;
      const limit = Math.max(1, Math.floor(peak / 2));
      inputs.push([q({ period, limit, overage: 'reject' }), mine]);
      inputs.push([q({ period, limit, overage: 'throttle' }), mine]);
      inputs.push([q({ period, limit, overage: 'queue', maxQueueWaitMs: 30_000 }), mine]);
      const gpeak = replay(all, 1e9, period, null).peak;
      inputs.push([
        q({ scope: 'global', agentId: undefined, period, limit: Math.max(1, Math.floor(gpeak / 3)), overage: 'queue', maxQueueWaitMs: 60_000 }),
        all,
      ]);
    }
    for (const [input, times] of inputs) {
      const r = await call('/v1/actions/request-quota/preview', { token: t, body: input });
      expect(r.status).toBe(200);
      const p = QuotaPreview.parse(r.body);
      const want = replay(times, input.limit, input.period, input.overage === 'queue' ? input.maxQueueWaitMs! : null);
      const label = JSON.stringify(input);
      expect(want.over, label).toBeGreaterThan(0);
      expect(p, label).toMatchObject({
        requests: want.requests,
        admitted: want.admitted,
        queued: input.overage === 'queue' ? want.overWithinWait : 0,
        throttled: input.overage === 'throttle' ? want.over : 0,
        rejected: input.overage === 'reject' ? want.over : input.overage === 'queue' ? want.over - want.overWithinWait : 0,
        windowsOverLimit: want.windowsOver,
        peakWindowRequests: want.peak,
        window: { start: '2026-10-25T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
      });
      expect(p.admitted + p.queued + p.throttled + p.rejected).toBe(p.requests);
    }
  });

  it('sets the quota: quotas row, registry max_requests_per_minute, audit before / after, idempotent', async () => {
    const a = await setQuota(q({ limit: 120, period: 'minute', overage: 'throttle' }), 'set-quota-0001');
    expect(a).toMatchObject({ replayed: false, revision: 1, maxRequestsPerMinute: 120, scope: 'agent', agentId: busy });
    const again = await setQuota(q({ limit: 120, period: 'minute', overage: 'throttle' }), 'set-quota-0001');
    expect(again).toEqual({ ...a, replayed: true });
    const b = await setQuota(q({ limit: 5000, period: 'day', overage: 'reject' }), 'set-quota-0002');
    // A per-day quota replaces the per-minute limit in the registry (it is no longer enforced).
    expect(b).toMatchObject({ revision: 2, maxRequestsPerMinute: null });
    const reg = (
      await svc.db.query<{ m: number; source: string }>('SELECT max_requests_per_minute AS m, source FROM agent_registry WHERE agent_id = $1', [busy])
    ).rows[0];
    expect(reg).toEqual({ m: null, source: 'action' });
    const row = (
      await svc.db.query<Record<string, unknown>>('SELECT limit_per_period, period, overage, revision, updated_by FROM quotas WHERE scope_key = $1', [busy])
    ).rows[0];
    expect(row).toEqual({ limit_per_period: 5000, period: 'day', overage: 'reject', revision: 2, updated_by: 'pa-1' });
    const done = (await auditRows(busy)).filter((r) => r.outcome === 'done');
    expect(done).toHaveLength(2);
    expect(done[0].before).toMatchObject({ quota: null, maxRequestsPerMinute: null });
    expect(done[1].before).toMatchObject({ quota: { limit_per_period: 120, period: 'minute' } });
    expect(done[1].after).toMatchObject({ quota: { limit_per_period: 5000, period: 'day', revision: 2 } });
    const reuse = await call('/v1/actions/request-quota', { token: await architect(), key: 'set-quota-0001', body: q({ limit: 7 }) });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error?.field).toBe('Idempotency-Key');
  });

  it('the quota check needs the gateway key; an agent without a quota is admitted', async () => {
    const no = await svc.app.inject({ method: 'POST', url: '/quota/check', payload: { agentId: busy } });
    expect(no.statusCode).toBe(401);
    const wrong = await svc.app.inject({ method: 'POST', url: '/quota/check', headers: { 'x-gateway-key': 'nope' }, payload: { agentId: busy } });
    expect(wrong.statusCode).toBe(403);
    const bad = await svc.app.inject({ method: 'POST', url: '/quota/check', headers: { 'x-gateway-key': GATEWAY_KEY }, payload: {} });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { error: { field: string } }).error.field).toBe('agentId');
    const free = [...agents.keys()].find((a) => a !== busy)!;
    expect(await check(free)).toEqual({ admitted: true, outcome: 'admitted', remaining: -1 });
  });

  it('500 concurrent checks against a limit of 100 (reject): exactly 100 admitted in the window', async () => {
    const agent = [...agents.keys()].filter((a) => a !== busy)[0];
    await setQuota(q({ agentId: agent, limit: 100, period: 'day', overage: 'reject' }), 'conc-quota-0001');
    const out = await Promise.all(Array.from({ length: 500 }, (_, i) => check(agent, `r${i}`)));
    const admitted = out.filter((r) => r.admitted);
    expect(admitted).toHaveLength(100);
    expect(out.filter((r) => r.outcome === 'rejected')).toHaveLength(400);
    expect(new Set(out.map((r) => r.windowStart)).size).toBe(1);
    expect(out.every((r) => r.retryAfterMs === undefined)).toBe(true);
    expect(admitted.map((r) => r.ticket).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('throttle: over the limit → not admitted, retryAfterMs = time to the next window start', async () => {
    const agent = [...agents.keys()].filter((a) => a !== busy)[1];
    await setQuota(q({ agentId: agent, limit: 2, period: 'hour', overage: 'throttle' }), 'thr-quota-0001');
    const [a, b, c] = [await check(agent), await check(agent), await check(agent)];
    expect([a.outcome, b.outcome, c.outcome]).toEqual(['admitted', 'admitted', 'throttled']);
    expect([a.remaining, b.remaining, c.remaining]).toEqual([1, 0, 0]);
    const next = Math.floor((Date.now() + offset) / 3_600_000) * 3_600_000 + 3_600_000;
    expect(Math.abs(c.retryAfterMs! - (next - Date.now() - offset))).toBeLessThan(2_000);
  });

  it('queue: over-limit checks wait FIFO for the next window; those past maxQueueWaitMs are rejected', async () => {
    const agent = [...agents.keys()].filter((a) => a !== busy)[2];
    await setQuota(q({ agentId: agent, limit: 3, period: 'minute', overage: 'queue', maxQueueWaitMs: 4_000 }), 'queue-quota-0001');
    // 1.5 s before the limiter's next minute.
    const now = Date.now();
    offset = 0;
    offset = 60_000 - (now % 60_000) - 1_500;
    const first = await Promise.all([check(agent, 'a1'), check(agent, 'a2'), check(agent, 'a3')]);
    expect(first.map((r) => r.outcome)).toEqual(['admitted', 'admitted', 'admitted']);
    // Six more, sent one after another: three get the next window in order, three wait out 4 s.
    const pending: Promise<Awaited<ReturnType<typeof check>>>[] = [];
    for (let i = 0; i < 6; i++) {
      pending.push(check(agent, `q${i}`));
      await new Promise((r) => setTimeout(r, 30));
    }
    const t0 = Date.now();
    const out = await Promise.all(pending);
    offset = 0;
    expect(out.map((r) => r.outcome)).toEqual(['queued', 'queued', 'queued', 'rejected', 'rejected', 'rejected']);
    expect(out.slice(0, 3).map((r) => r.ticket)).toEqual([1, 2, 3]);
    const seqs = out.slice(0, 3).map((r) => r.queueSeq!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const w0 = Date.parse(first[0].windowStart!);
    expect(out.slice(0, 3).map((r) => Date.parse(r.windowStart!))).toEqual([w0 + 60_000, w0 + 60_000, w0 + 60_000]);
    expect(Date.now() - t0).toBeLessThan(6_000);
  }, 20_000);

  it('publishes the A2.10 routes in OpenAPI', async () => {
    const doc = (await svc.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/actions/request-quota', '/v1/actions/request-quota/preview', '/quota/check']));
  });

  it('a restart of the service keeps the counts (they are in the database)', async () => {
    const agent = [...agents.keys()].filter((a) => a !== busy)[3];
    await setQuota(q({ agentId: agent, limit: 5, period: 'day', overage: 'reject' }), 'restart-quota-0001');
    for (let i = 0; i < 3; i++) expect((await check(agent)).admitted).toBe(true);
    await svc.close();
    svc = await startService(config);
    const after = [await check(agent), await check(agent), await check(agent)];
    expect(after.map((r) => r.outcome)).toEqual(['admitted', 'admitted', 'rejected']);
    // The 5th check filled the window: the 6th is refused from memory, without reading the counter.
    expect(after.map((r) => r.ticket)).toEqual([4, 5, undefined]);
    const { rows } = await svc.db.query<{ points: number }>(`SELECT points FROM quota_counters WHERE key LIKE $1`, [`quota:${agent}:day:%`]);
    expect(rows.map((r) => r.points)).toEqual([5]);
    // Another instance (fresh memory) on the same database reads the counter and refuses too.
    await svc.close();
    svc = await startService(config);
    const third = await check(agent);
    expect(third).toMatchObject({ admitted: false, outcome: 'rejected', ticket: 6 });
  }, 60_000);

  it('agent and global quotas: both must admit; a point the agent quota gave is given back when the global one refuses', async () => {
    const agent = [...agents.keys()].filter((a) => a !== busy)[4];
    await setQuota(q({ agentId: agent, limit: 10, period: 'day', overage: 'reject' }), 'both-agent-0001');
    await setQuota(q({ scope: 'global', agentId: undefined, limit: 4, period: 'day', overage: 'reject' }), 'both-global-0001');
    const out = await Promise.all(Array.from({ length: 6 }, () => check(agent)));
    expect(out.filter((r) => r.admitted)).toHaveLength(4);
    const points = async (prefix: string) =>
      (await svc.db.query<{ points: number }>(`SELECT points FROM quota_counters WHERE key LIKE $1`, [`quota:${prefix}:day:%`])).rows.map((r) => r.points);
    expect(await points(agent)).toEqual([4]);
    // The global window filled at the 4th admission; checks still in flight then reached the counter (≤ 6), later ones were refused from memory.
    const [global] = await points('*');
    expect(global).toBeGreaterThanOrEqual(4);
    expect(global).toBeLessThanOrEqual(6);
    // The agent's points given back lifted no mark wrongly: with a larger global quota the agent admits up to its own limit.
    await setQuota(q({ scope: 'global', agentId: undefined, limit: 100, period: 'day', overage: 'reject' }), 'both-global-0002');
    const more = [];
    for (let i = 0; i < 7; i++) more.push(await check(agent));
    expect(more.map((r) => r.admitted)).toEqual([true, true, true, true, true, true, false]);
    expect(await points(agent)).toEqual([10]);
  });
});
