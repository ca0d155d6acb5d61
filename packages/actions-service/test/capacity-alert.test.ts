/**
 * A2.5 capacity alert on each engine: roles × the action; the preview's current status and hours in
 * warning / critical checked against plain code over the snapshot's capacity Arrow rows (% and
 * absolute units, one environment and all); the evaluator's de-duplication, recovery notices and
 * escalation once per episode checked in the outbox; errors naming the field; hostile text kept as text.
 */
import { ACTION_BY_KEY, AlertStates, CapacityAlertPreview, CapacityAlertResult, ROLES, type CapacityAlertInput } from '@usage-analytics/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../src/actions/capacity-alert.js';
import { startService, type RunningService } from '../src/service.js';
import { AUTH, END, ENGINES, NOW, arrowTable, cleanupTmp, demoSnapshot, tmp, token } from './helpers.js';

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 120_000);
afterAll(() => cleanupTmp());

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Sample {
  ts: number;
  resource: string;
  env: string;
  usage: number;
  max: number;
}

function samples(): Sample[] {
  return arrowTable(snapshot, 'capacity')
    .toArray()
    .map((r) => {
      const o = r.toJSON() as Record<string, unknown>;
      return { ts: Number(o.ts), resource: String(o.resource_type), env: String(o.environment), usage: Number(o.current_usage), max: Number(o.max_capacity) };
    });
}

/** The rule's series in plain code: per sample time the worst environment's value, in the rule's unit. */
function series(all: Sample[], rule: { resourceType: string; environment: string | null; unit: 'pct' | 'absolute' }): { ts: number; v: number }[] {
  const by = new Map<number, number>();
  for (const s of all) {
    if (s.resource !== rule.resourceType || (rule.environment !== null && s.env !== rule.environment) || s.ts >= END) continue;
    if (rule.unit === 'pct' && !(s.max > 0)) continue;
    const v = rule.unit === 'pct' ? (100 * s.usage) / s.max : s.usage;
    by.set(s.ts, Math.max(by.get(s.ts) ?? -Infinity, v));
  }
  return [...by].map(([ts, v]) => ({ ts, v })).sort((a, b) => a.ts - b.ts);
}

const level = (v: number, w: number, c: number) => (v >= c ? 2 : v >= w ? 1 : 0);

function expectedPreview(all: Sample[], input: CapacityAlertInput) {
  const s = series(all, { resourceType: input.resourceType, environment: input.environment ?? null, unit: input.warning.unit });
  const [w, c] = [input.warning.value, input.critical.value];
  const hours = new Map<number, number>();
  for (const x of s) if (x.ts >= END - 30 * DAY) hours.set(Math.floor(x.ts / HOUR), Math.max(hours.get(Math.floor(x.ts / HOUR)) ?? 0, level(x.v, w, c)));
  let fired: number | null = null;
  for (let i = 0; i < s.length; i++) if (level(s[i].v, w, c) > 0 && (i === 0 || level(s[i - 1].v, w, c) === 0)) fired = s[i].ts;
  const last = s[s.length - 1];
  return {
    current: { at: new Date(last.ts).toISOString(), status: ['ok', 'warning', 'critical'][level(last.v, w, c)], value: last.v },
    hoursInWarning: [...hours.values()].filter((m) => m === 1).length,
    hoursInCritical: [...hours.values()].filter((m) => m === 2).length,
    lastFired: fired === null ? null : new Date(fired).toISOString(),
  };
}

/** The q-quantile of values (nearest rank). */
const quantile = (vs: number[], q: number) => [...vs].sort((a, b) => a - b)[Math.min(vs.length - 1, Math.floor(q * vs.length))];

describe.each(ENGINES)('A2.5 capacity alert on $name', (engine) => {
  let svc: RunningService;
  let drop: () => Promise<void>;
  let all: Sample[];

  beforeAll(async () => {
    const db = await engine.fresh();
    drop = db.drop;
    svc = await startService({ databaseUrl: db.url, snapshotDir: snapshot, auth: AUTH, now: () => NOW, alertEvalMs: 0, outbox: false });
    all = samples();
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
    return {
      status: res.statusCode,
      body: res.json() as Record<string, unknown> & { error?: { message: string; field?: string; issues?: { field: string }[] } },
    };
  };
  const devops = (departments = ['*']) => token({ userId: 'ops-1', roles: ['devops'], departments });
  const alerts = async () => {
    const res = await svc.app.inject({
      method: 'GET',
      url: '/v1/alerts',
      headers: { authorization: `Bearer ${await token({ roles: ['engineer'], departments: ['d1'] })}` },
    });
    expect(res.statusCode).toBe(200);
    return AlertStates.parse(res.json()).alerts;
  };
  const base = (over: Partial<CapacityAlertInput> = {}): CapacityAlertInput => ({
    resourceType: 'compute',
    environment: 'production',
    warning: { value: 60, unit: 'pct' },
    critical: { value: 85, unit: 'pct' },
    channels: { email: ['ops@example.com'], inApp: true, webhook: 'https://hooks.example/alerts' },
    ...over,
  });

  it('the snapshot has capacity samples for every resource', () => {
    expect(new Set(all.map((s) => s.resource)).size).toBe(4);
    expect(svc.usage.timeRange.end).toBe(new Date(END).toISOString());
  });

  it('every role × A2.5: only the catalogue’s roles may, and a global rule needs every department', async () => {
    const spec = ACTION_BY_KEY.get('capacity-alert')!;
    for (const role of ROLES) {
      const r = await post('/v1/actions/capacity-alert/preview', base(), await token({ userId: `u-${role}`, roles: [role], departments: ['*'] }));
      expect(r.status, role).toBe(spec.roles.includes(role) ? 200 : 403);
      if (r.status === 403) expect(r.body.error!.message).toContain('Set capacity threshold alert');
    }
    const scoped = await devops(['engineering']);
    expect((await post('/v1/actions/capacity-alert/preview', base(), scoped)).status).toBe(200);
    const g = await post('/v1/actions/capacity-alert/preview', base({ environment: null }), scoped);
    expect(g.status).toBe(403);
    expect(g.body.error!.message).toContain('every department');
    expect((await post('/v1/actions/capacity-alert', base({ environment: null }), scoped, 'alert-denied-1')).status).toBe(403);
    const { rows } = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'capacity-alert' AND outcome = 'denied'`);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('the preview equals plain code over the capacity Arrow rows (% and absolute, one environment and all)', async () => {
    const abs = series(all, { resourceType: 'tokens_per_min', environment: 'staging', unit: 'absolute' }).map((x) => x.v);
    const cases: CapacityAlertInput[] = [
      base(),
      base({ resourceType: 'memory', environment: null, warning: { value: 50, unit: 'pct' }, critical: { value: 70, unit: 'pct' } }),
      base({ resourceType: 'api_rate_limit', environment: 'development', warning: { value: 30, unit: 'pct' }, critical: { value: 45, unit: 'pct' } }),
      base({
        resourceType: 'tokens_per_min',
        environment: 'staging',
        warning: { value: quantile(abs, 0.5), unit: 'absolute' },
        critical: { value: quantile(abs, 0.9), unit: 'absolute' },
      }),
    ];
    let warnSeen = 0;
    let critSeen = 0;
    for (const input of cases) {
      const r = await post('/v1/actions/capacity-alert/preview', input, await devops());
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const p = CapacityAlertPreview.parse(r.body);
      const want = expectedPreview(all, input);
      expect(p.current!.at).toBe(want.current.at);
      expect(p.current!.status).toBe(want.current.status);
      expect(p.current!.value).toBeCloseTo(want.current.value, 9);
      expect(p.hoursInWarning, JSON.stringify(input)).toBe(want.hoursInWarning);
      expect(p.hoursInCritical, JSON.stringify(input)).toBe(want.hoursInCritical);
      expect(p.lastFired).toBe(want.lastFired);
      warnSeen += p.hoursInWarning;
      critSeen += p.hoursInCritical;
    }
    expect(warnSeen, 'some case has hours in warning').toBeGreaterThan(0);
    expect(critSeen, 'some case has hours in critical').toBeGreaterThan(0);
  });

  it('bad input is refused naming the field', async () => {
    const t = await devops();
    const cases: [Partial<CapacityAlertInput> | Record<string, unknown>, string][] = [
      [{ critical: { value: 50, unit: 'pct' } }, 'critical.value'],
      [{ critical: { value: 90, unit: 'absolute' } }, 'critical.unit'],
      [{ warning: { value: 1200, unit: 'pct' }, critical: { value: 1300, unit: 'pct' } }, 'warning.value'],
      [{ resourceType: 'disk' }, 'resourceType'],
      [{ channels: {} }, 'channels'],
      [{ channels: { email: ['not an address'] } }, 'channels.email.0'],
      [{ channels: { webhook: 'javascript:alert(1)' } }, 'channels.webhook'],
      [{ escalation: { afterMinutes: 0, to: { email: ['boss@example.com'] } } }, 'escalation.afterMinutes'],
    ];
    for (const [over, field] of cases) {
      const r = await post('/v1/actions/capacity-alert', { ...base(), ...over }, t, 'alert-bad-0001');
      expect(r.status, field).toBe(400);
      expect(
        r.body.error!.issues!.map((i) => i.field),
        JSON.stringify(r.body),
      ).toContain(field);
    }
    expect(await alerts()).toEqual([]);
  });

  it('stores the rule (audited, idempotent), evaluates once per transition, recovers and escalates once', async () => {
    const t = await devops();
    // Critical over the whole last 8 days: critical at the series' minimum there, warning below it.
    const recent = series(all, { resourceType: 'compute', environment: 'production', unit: 'pct' }).filter((x) => x.ts >= END - 8 * DAY);
    const min = Math.min(...recent.map((x) => x.v));
    expect(min).toBeGreaterThan(0);
    const hostile = `<img src=x onerror=alert(1)> '); DROP TABLE alert_rules; --`;
    const input = base({
      name: hostile,
      warning: { value: min / 2, unit: 'pct' },
      critical: { value: min, unit: 'pct' },
      escalation: { afterMinutes: 60, to: { email: ['boss@example.com'] } },
    });
    const r = await post('/v1/actions/capacity-alert', input, t, 'alert-set-0001');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const res = CapacityAlertResult.parse(r.body);
    expect(res.revision).toBe(1);
    expect(CapacityAlertResult.parse((await post('/v1/actions/capacity-alert', input, t, 'alert-set-0001')).body)).toEqual({ ...res, replayed: true });
    const { rows: au } = await svc.db.query<{ after: { name: string } }>(`SELECT after FROM audit_log WHERE id = $1`, [res.auditId]);
    expect(au[0].after.name).toBe(hostile);

    const outbox = async () => (await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n;
    const before = await outbox();
    const first = await evaluateAlerts(svc.db, svc.usage, NOW);
    // ok → critical: e-mail, in-app, webhook; escalation: the boss's e-mail.
    expect(first).toMatchObject({ transitions: 1, escalations: 1, noticesQueued: 4 });
    expect(await outbox()).toBe(before + 4);
    const second = await evaluateAlerts(svc.db, svc.usage, NOW);
    expect(second).toMatchObject({ transitions: 0, escalations: 0, noticesQueued: 0 });
    expect(await outbox()).toBe(before + 4);

    const [state] = await alerts();
    expect(state).toMatchObject({ ruleId: res.ruleId, name: hostile, state: 'critical', escalated: true, environment: 'production' });
    const last = recent[recent.length - 1];
    expect(state.value).toBeCloseTo(last.v, 9);
    expect(state.at).toBe(new Date(last.ts).toISOString());
    const { rows: tpl } = await svc.db.query<{ vars: { rule: string } }>(
      `SELECT t.vars FROM outbox o JOIN message_templates t ON t.id = (o.payload->>'template')::bigint WHERE o.kind = 'in_app' ORDER BY o.id DESC LIMIT 1`,
    );
    expect(tpl[0].vars.rule).toBe(hostile);

    // The rule changed so that the latest sample is ok: a recovery notice, once.
    const r2 = await post(
      '/v1/actions/capacity-alert',
      { ...input, warning: { value: 500, unit: 'pct' }, critical: { value: 900, unit: 'pct' } },
      t,
      'alert-set-0002',
    );
    expect(CapacityAlertResult.parse(r2.body).revision).toBe(2);
    expect(await evaluateAlerts(svc.db, svc.usage, NOW)).toMatchObject({ transitions: 1, escalations: 0, noticesQueued: 3 });
    expect(await evaluateAlerts(svc.db, svc.usage, NOW)).toMatchObject({ transitions: 0, noticesQueued: 0 });
    const { rows: rec } = await svc.db.query<{ subject: string }>(
      `SELECT t.subject FROM outbox o JOIN message_templates t ON t.id = (o.payload->>'template')::bigint ORDER BY o.id DESC LIMIT 1`,
    );
    expect(rec[0].subject).toMatch(/^Recovered/);
    const { rows: ev } = await svc.db.query<{ kind: string; from_state: string; to_state: string }>(
      `SELECT kind, from_state, to_state FROM alert_events WHERE rule_id = $1 ORDER BY id`,
      [res.ruleId],
    );
    expect(ev).toEqual([
      { kind: 'transition', from_state: 'ok', to_state: 'critical' },
      { kind: 'escalation', from_state: 'critical', to_state: 'critical' },
      { kind: 'transition', from_state: 'critical', to_state: 'ok' },
    ]);
    expect((await alerts())[0]).toMatchObject({ state: 'ok', escalated: false, revision: 2 });
  });

  it('an injected series: warning → critical, escalation only after afterMinutes and once per episode, a new episode escalates again', async () => {
    const t = await devops();
    const input = base({
      resourceType: 'memory',
      environment: 'staging',
      warning: { value: 100, unit: 'absolute' },
      critical: { value: 200, unit: 'absolute' },
      channels: { webhook: 'https://hooks.example/mem' },
      escalation: { afterMinutes: 30, to: { webhook: 'https://hooks.example/pager' } },
    });
    const r = await post('/v1/actions/capacity-alert', input, t, 'alert-mem-0001');
    const { ruleId } = CapacityAlertResult.parse(r.body);
    const t0 = END - 2 * HOUR;
    const M = 60_000;
    let points: { at: number; value: number }[] = [];
    const run = () =>
      evaluateAlerts(svc.db, svc.usage, NOW, { series: (rule) => (rule.resourceType === 'memory' && rule.environment === 'staging' ? points : []) });
    const mine = async () => (await alerts()).find((a) => a.ruleId === ruleId)!;

    points = [
      { at: t0, value: 50 },
      { at: t0 + 10 * M, value: 150 },
    ];
    expect(await run()).toMatchObject({ transitions: 1, escalations: 0, noticesQueued: 1 });
    expect(await mine()).toMatchObject({ state: 'warning', since: new Date(t0 + 10 * M).toISOString() });
    points = [...points, { at: t0 + 20 * M, value: 250 }, { at: t0 + 40 * M, value: 260 }];
    // Critical for 20 minutes: no escalation yet.
    expect(await run()).toMatchObject({ transitions: 1, escalations: 0, noticesQueued: 1 });
    points = [...points, { at: t0 + 50 * M, value: 270 }];
    expect(await run()).toMatchObject({ transitions: 0, escalations: 1, noticesQueued: 1 });
    points = [...points, { at: t0 + 60 * M, value: 280 }];
    expect(await run()).toMatchObject({ transitions: 0, escalations: 0, noticesQueued: 0 });
    expect(await mine()).toMatchObject({ state: 'critical', escalated: true });
    // Recovery, then a new critical episode long enough: escalated again.
    points = [...points, { at: t0 + 70 * M, value: 10 }];
    expect(await run()).toMatchObject({ transitions: 1, noticesQueued: 1 });
    points = [...points, { at: t0 + 80 * M, value: 300 }, { at: t0 + 115 * M, value: 300 }];
    expect(await run()).toMatchObject({ transitions: 1, escalations: 1, noticesQueued: 2 });
    const { rows } = await svc.db.query<{ url: string }>(
      `SELECT payload->>'url' AS url FROM outbox WHERE kind = 'webhook' AND payload->>'url' LIKE '%pager' ORDER BY id`,
    );
    expect(rows.length).toBe(2);
  });

  it('two evaluations at once announce a transition once', async () => {
    const r = await post(
      '/v1/actions/capacity-alert',
      base({
        resourceType: 'api_rate_limit',
        environment: 'production',
        warning: { value: 0, unit: 'pct' },
        critical: { value: 1000, unit: 'pct' },
        channels: { inApp: true },
      }),
      await devops(),
      'alert-race-0001',
    );
    const { ruleId } = CapacityAlertResult.parse(r.body);
    await Promise.all([evaluateAlerts(svc.db, svc.usage, NOW), evaluateAlerts(svc.db, svc.usage, NOW), evaluateAlerts(svc.db, svc.usage, NOW)]);
    const { rows } = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert_events WHERE rule_id = $1`, [ruleId]);
    expect(rows[0].n).toBe(1);
    const { rows: notices } = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE dedupe_key LIKE $1`, [`alert:${ruleId}:%`]);
    expect(notices[0].n).toBe(1);
  });
});

describe('A2.5 evaluation schedule', () => {
  it('evaluates at start-up and every alertEvalMs, and stops on close', async () => {
    const dir = tmp('alert-pglite');
    const t = await token({ userId: 'ops-1', roles: ['devops'], departments: ['*'] });
    const svc = await startService({ pgliteDir: dir, snapshotDir: snapshot, auth: AUTH, now: () => NOW, alertEvalMs: 0, outbox: false });
    const res = await svc.app.inject({
      method: 'POST',
      url: '/v1/actions/capacity-alert',
      headers: { authorization: `Bearer ${t}`, 'idempotency-key': 'alert-sched-01' },
      payload: {
        resourceType: 'compute',
        environment: 'staging',
        warning: { value: 0, unit: 'pct' },
        critical: { value: 1000, unit: 'pct' },
        channels: { inApp: true },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const evaluated = async (s: RunningService) => (await s.db.query<{ at: Date | null }>('SELECT evaluated_at AS at FROM alert_rules')).rows[0].at;
    expect(await evaluated(svc)).toBeNull();
    await svc.close();
    // Start-up evaluates the stored rule (ok → warning), then the schedule keeps evaluating.
    const svc2 = await startService({ pgliteDir: dir, snapshotDir: snapshot, auth: AUTH, now: () => new Date(), alertEvalMs: 50, outbox: false });
    const first = await evaluated(svc2);
    expect(first).not.toBeNull();
    expect((await svc2.db.query<{ state: string }>('SELECT state FROM alert_rules')).rows[0].state).toBe('warning');
    await new Promise((r) => setTimeout(r, 400));
    const later = await evaluated(svc2);
    expect(later!.getTime()).toBeGreaterThan(first!.getTime());
    expect((await svc2.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert_events`)).rows[0].n).toBe(1);
    await svc2.close();
  }, 60_000);
});
