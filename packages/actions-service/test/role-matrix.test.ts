/**
 * The role × action matrix (issue 10), run against the service on each engine: every role of the
 * catalogue × every action of the PRD's Table 3. The expected answer comes from the catalogue
 * (`mayPerform`, `allowedActions`, each action's scope), never from a table written here:
 * - an implemented action performed (a real perform, its own Idempotency-Key) with a valid input on
 *   an agent / department the token covers: allowed → 200 and a `done` audit row, refused → 403
 *   `forbidden` and a `denied` audit row naming the actor, their roles and the action; its preview
 *   (or live count) answers the same;
 * - an action not implemented yet: 404 `not_found` for every role, and `/v1/me` lists exactly
 *   `allowedActions(roles)`;
 * - scope: a role that may act, with a token of another department (or of none) → 403 + audit;
 *   every department (`*`) → allowed; fleet-wide / global forms need `*`;
 * - forged, expired, wrong-audience, wrong-issuer, too-long-lived or malformed tokens → 403 + audit;
 *   no token → 401.
 * Reads the test snapshot (.data/test-snapshot, scripts/test-snapshot.sh), or makes a demo one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ACTIONS,
  ROLES,
  addDays,
  allowedActions,
  mayPerform,
  utcDay,
  type ActionKey,
  type ActionSpec,
  type CapacityAlertInput,
  type CreateSegmentInput,
  type DeprecateAgentInput,
  type ExportUsersInput,
  type PromoteAgentInput,
  type RequestQuotaInput,
} from '@usage-analytics/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../src/service.js';
import { AUTH, ENGINES, NOW, SECRET, cleanupTmp, demoSnapshot, token } from './helpers.js';

const TEST_SNAPSHOT = fileURLToPath(new URL('../../../.data/test-snapshot', import.meta.url));

let snapshot: string;
beforeAll(async () => {
  snapshot = existsSync(`${TEST_SNAPSHOT}/manifest.json`) ? TEST_SNAPSHOT : await demoSnapshot(10_000);
}, 120_000);
afterAll(() => cleanupTmp());

/** One request of the matrix: who, what, with which departments. */
interface Call {
  status: number;
  body: { error?: { code: string; message: string; field?: string } } & Record<string, unknown>;
}

/**
 * How the matrix calls one implemented action. `body(fresh)` is a valid perform input on the
 * target department (an agent of it, or the department itself); `fresh` asks for a target not yet
 * acted on when the call is expected to succeed (a deprecated agent cannot be deprecated twice).
 */
interface MatrixAction {
  body(fresh: boolean): unknown;
  /** The same action on every department (fleet, global), when it has such a form. */
  fleet?(): unknown;
  /** The input without a department filter, which means the caller's own departments (scopes `filtered`, `department-or-fleet`). */
  own?(): unknown;
  /** The preview / live count route and its body for a perform body (same role and scope check); undefined when it cannot say the same. */
  preview?: { path: string; body(perform: unknown): unknown };
}

/** Every role × every action, in the catalogue's order. */
const PAIRS: [string, ActionKey][] = ROLES.flatMap((role) => ACTIONS.map((a) => [role, a.key] as [string, ActionKey]));

describe.each(ENGINES)('role × action matrix on $name', (engine) => {
  let svc: RunningService;
  let drop: () => Promise<void>;
  /** The department acted on, another one, an agent of it, and the actions' inputs. */
  let dept: string;
  let other: string;
  let agent: string;
  let matrix: Map<string, MatrixAction>;
  let implemented: Set<string>;
  let n = 0;

  beforeAll(async () => {
    const db = await engine.fresh();
    drop = db.drop;
    svc = await startService({ databaseUrl: db.url, snapshotDir: snapshot, auth: AUTH, now: () => NOW, outbox: false, alertEvalMs: 0 });

    // A real agent and its department from the registry the service synced from the snapshot.
    const reg = await call('GET', '/v1/registry/agents', await token({ roles: ['engineer'], departments: ['*'] }));
    expect(reg.status).toBe(200);
    const agents = reg.body as unknown as { agent_id: string; department_id: string | null; status: string }[];
    const byDept = new Map<string, typeof agents>();
    for (const a of agents) if (a.department_id) byDept.set(a.department_id, [...(byDept.get(a.department_id) ?? []), a]);
    const ranked = [...byDept].sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]));
    [dept, other] = [ranked[0][0], ranked[1][0]];
    const mine = ranked[0][1].filter((a) => a.status === 'active');
    agent = mine[0].agent_id;
    const replacement = agents.find((a) => a.status === 'active' && a.department_id !== dept)!.agent_id;
    // Deprecation targets: the department's other active agents, one per expected deprecation.
    const pool = mine.slice(1).map((a) => a.agent_id);
    let next = 0;
    const ahead = addDays(utcDay(NOW), 45);

    matrix = new Map<string, MatrixAction>([
      [
        'promote-agent',
        {
          body: (): PromoteAgentInput => ({
            agentId: agent,
            channels: ['in_app'],
            audience: { departments: [], segments: [], excludeCurrentUsers: true },
            message: { subject: 'Try {{agent}}', body: 'It can help.' },
          }),
          preview: { path: 'promote-agent/preview', body: (b) => ({ agentId: (b as PromoteAgentInput).agentId, audience: (b as PromoteAgentInput).audience }) },
        },
      ],
      [
        'deprecate-agent',
        {
          body: (fresh): DeprecateAgentInput => {
            if (next >= pool.length) throw new Error(`department ${dept} has too few active agents for the matrix`);
            return {
              agentId: pool[fresh ? next++ : next],
              replacementAgentId: replacement,
              sunsetDate: ahead,
              migrationGuideUrl: 'https://docs.example/migrate',
              notification: { subject: 'Moving off {{agent}}', body: 'Please use {{replacement}} before {{sunsetDate}}.' },
              weeklySharePct: 25,
            };
          },
          preview: { path: 'deprecate-agent/preview', body: (b) => ({ agentId: (b as DeprecateAgentInput).agentId }) },
        },
      ],
      [
        'create-segment',
        {
          body: (): CreateSegmentInput => ({ name: 'Matrix segment', criteria: { departments: [dept] }, sharing: 'department' }),
          fleet: (): CreateSegmentInput => ({ name: 'Matrix fleet segment', criteria: {}, sharing: 'fleet' }),
          own: (): CreateSegmentInput => ({ name: 'Matrix own segment', criteria: {}, sharing: 'private' }),
          // The live count has no sharing: it says nothing about a fleet-wide segment.
          preview: {
            path: 'create-segment/count',
            body: (b) => ((b as CreateSegmentInput).sharing === 'fleet' ? undefined : { criteria: (b as CreateSegmentInput).criteria }),
          },
        },
      ],
      [
        'export-users',
        {
          body: (): ExportUsersInput => ({ filters: { timeRange: { preset: '30d' }, departments: [dept] }, format: 'csv', fields: ['user_id'] }),
          own: (): ExportUsersInput => ({ filters: { timeRange: { preset: '30d' }, departments: [] }, format: 'csv', fields: ['user_id'] }),
        },
      ],
      [
        'capacity-alert',
        {
          body: (): CapacityAlertInput => ({
            resourceType: 'compute',
            environment: 'production',
            warning: { value: 60, unit: 'pct' },
            critical: { value: 85, unit: 'pct' },
            channels: { inApp: true },
          }),
          fleet: (): CapacityAlertInput => ({
            resourceType: 'compute',
            environment: null,
            warning: { value: 60, unit: 'pct' },
            critical: { value: 85, unit: 'pct' },
            channels: { inApp: true },
          }),
          preview: { path: 'capacity-alert/preview', body: (b) => b },
        },
      ],
      [
        'request-quota',
        {
          body: (): RequestQuotaInput => ({ scope: 'agent', agentId: agent, limit: 10, period: 'hour', overage: 'reject' }),
          fleet: (): RequestQuotaInput => ({ scope: 'global', limit: 1000, period: 'hour', overage: 'reject' }),
          preview: { path: 'request-quota/preview', body: (b) => b },
        },
      ],
    ]);
    implemented = new Set(ACTIONS.filter((a) => svc.app.hasRoute({ method: 'POST', url: `/v1/actions/${a.key}` })).map((a) => a.key));
  }, 180_000);
  afterAll(async () => {
    await svc?.close();
    await drop?.();
  });

  async function call(method: 'GET' | 'POST', url: string, t?: string, body?: unknown, key?: string): Promise<Call> {
    const res = await svc.app.inject({
      method,
      url,
      headers: { ...(t ? { authorization: `Bearer ${t}` } : {}), ...(key ? { 'idempotency-key': key } : {}) },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, body: res.json() };
  }

  /** The audit rows of one actor (every request of the matrix has its own user id). */
  const auditOf = async (actor: string) =>
    (
      await svc.db.query<{ actor: string; roles: string[]; action: string; target: string | null; outcome: string; status: number; reason: string | null }>(
        'SELECT actor, roles, action, target, outcome, status, reason FROM audit_log WHERE actor = $1 ORDER BY id',
        [actor],
      )
    ).rows;

  /**
   * Performs `key` as a fresh user of `roles` and `departments` (and its preview when it has one),
   * and checks the answer and the audit row against `allowed`.
   */
  async function expectDecision(key: string, roles: string[], departments: string[], body: unknown, allowed: boolean, label: string) {
    const spec = ACTIONS.find((a) => a.key === key)!;
    const userId = `matrix-${++n}`;
    const t = await token({ userId, roles, departments });
    const r = await call('POST', `/v1/actions/${key}`, t, body, `matrix-key-${n}`);
    const rows = await auditOf(userId);
    if (allowed) {
      expect(r.status, `${label}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(
        rows.map((x) => [x.action, x.outcome, x.status]),
        label,
      ).toEqual([[key, 'done', 200]]);
    } else {
      expect([r.status, r.body.error?.code], `${label}: ${JSON.stringify(r.body)}`).toEqual([403, 'forbidden']);
      expect(
        rows.map((x) => ({ actor: x.actor, roles: x.roles, action: x.action, outcome: x.outcome, status: x.status })),
        label,
      ).toEqual([{ actor: userId, roles, action: key, outcome: 'denied', status: 403 }]);
      expect(rows[0].reason, label).toBeTruthy();
      if (!mayPerform(roles, spec)) expect(r.body.error!.message, label).toContain(spec.name);
    }
    const preview = matrix.get(key)!.preview;
    if (preview && preview.body(body) !== undefined) {
      const pid = `matrix-${++n}`;
      const p = await call('POST', `/v1/actions/${preview.path}`, await token({ userId: pid, roles, departments }), preview.body(body));
      expect(p.status, `${label} (${preview.path}): ${JSON.stringify(p.body)}`).toBe(allowed ? 200 : 403);
      expect(
        (await auditOf(pid)).map((x) => [x.action, x.outcome]),
        `${label} (${preview.path})`,
      ).toEqual(allowed ? [] : [[key, 'denied']]);
    }
  }

  it('every implemented action has a matrix input, and every input is for an implemented action', () => {
    expect([...implemented].sort()).toEqual([...matrix.keys()].sort());
    // Both sides of every implemented action are exercised: some roles may, some may not.
    for (const key of implemented) {
      const may = ROLES.filter((r) => mayPerform([r], key as ActionKey));
      expect(may.length, key).toBeGreaterThan(0);
      expect(may.length, key).toBeLessThan(ROLES.length);
    }
  });

  it('sanity, independent of the catalogue: Finance may not deprecate an agent, the Director AI/ML may', async () => {
    const b = matrix.get('deprecate-agent')!.preview!;
    const body = matrix.get('deprecate-agent')!.body(false);
    const as = async (role: string) => (await call('POST', `/v1/actions/${b.path}`, await token({ roles: [role], departments: [dept] }), b.body(body))).status;
    expect(await as('finance')).toBe(403);
    expect(await as('director_ai_ml')).toBe(200);
  });

  it.each(PAIRS)('%s × %s: as the catalogue says', async (role, key) => {
    const spec = ACTIONS.find((a) => a.key === key)! as ActionSpec;
    const allowed = mayPerform([role], spec);
    const label = `${role} × ${key} (${allowed ? 'allowed' : 'refused'})`;
    if (!implemented.has(key)) {
      // Not implemented yet: the same answer for every role, in the API's error shape, and nothing audited.
      const userId = `matrix-${++n}`;
      const r = await call('POST', `/v1/actions/${key}`, await token({ userId, roles: [role], departments: [dept] }), {}, `matrix-key-${n}`);
      expect([r.status, r.body.error?.code], `${label}: ${JSON.stringify(r.body)}`).toEqual([404, 'not_found']);
      expect(r.body.error!.message, label).toContain(`${spec.name} (${spec.id}) is not implemented`);
      expect(await auditOf(userId)).toEqual([]);
      return;
    }
    await expectDecision(key, [role], [dept], matrix.get(key)!.body(allowed), allowed, label);
  });

  it.each([...ROLES])('/v1/me of %s lists the catalogue’s actions for the role', async (role) => {
    const r = await call('GET', '/v1/me', await token({ userId: `me-${role}`, roles: [role], departments: [dept] }));
    expect(r.status).toBe(200);
    expect(r.body.actions).toEqual(allowedActions([role]));
  });

  it('/v1/me of several roles lists the union, in the catalogue’s order', async () => {
    const roles = ['finance', 'engineer', 'customer_success'];
    const r = await call('GET', '/v1/me', await token({ roles, departments: [dept] }));
    expect(r.body.actions).toEqual(allowedActions(roles));
  });

  /** The scope checks of one implemented action, from its catalogue scope. */
  const SCOPED = ACTIONS.map((a) => [a.key, a.scope] as const);
  it.each(SCOPED)('scope of %s (%s): another department or none → 403 + audit; every department → allowed', async (key, scope) => {
    if (!implemented.has(key)) return;
    const spec = ACTIONS.find((a) => a.key === key)! as ActionSpec;
    const role = spec.roles[0];
    const m = matrix.get(key)!;
    const label = (what: string) => `${role} × ${key} ${what}`;
    if (scope === 'global-or-environment') {
      // Infrastructure: no department applies to an environment's rule.
      await expectDecision(key, [role], [other], m.body(true), true, label('environment, another department'));
    } else {
      await expectDecision(key, [role], [other], m.body(false), false, label('another department'));
      await expectDecision(key, [role], [], m.body(false), false, label('no department'));
    }
    await expectDecision(key, [role], ['*'], m.body(true), true, label('every department'));
    if (scope === 'filtered' || scope === 'department-or-fleet') {
      // No department filter means the caller's own departments: fine with one, refused with none.
      expect(m.own, `${key} (${scope}) has an own-departments form`).toBeDefined();
      await expectDecision(key, [role], [dept], m.own!(), true, label('own departments'));
      await expectDecision(key, [role], [], m.own!(), false, label('own departments, none in the token'));
    }
    if (scope === 'department-or-fleet' || scope === 'global-or-agent' || scope === 'global-or-environment') {
      // The fleet-wide / global form needs every department.
      expect(m.fleet, `${key} (${scope}) has a fleet-wide form`).toBeDefined();
      await expectDecision(key, [role], [dept], m.fleet!(), false, label('fleet-wide, one department'));
      await expectDecision(key, [role], ['*'], m.fleet!(), true, label('fleet-wide, every department'));
    }
    // A role outside the column stays refused even with every department.
    const outsider = ROLES.find((r) => !mayPerform([r], spec))!;
    await expectDecision(key, [outsider], ['*'], m.body(false), false, `${outsider} × ${key} every department`);
  });

  it('bad tokens: forged, expired, wrong audience or issuer, too long-lived, malformed → 403 + audit; none → 401', async () => {
    const who = { roles: ['director_ai_ml', 'platform_architect', 'customer_success'], departments: ['*'] };
    const bad: [string, () => Promise<string>][] = [
      ['forged (another key)', () => token(who, { secret: `${SECRET}-but-not-ours` })],
      ['expired', () => token(who, { now: new Date(Date.now() - 2 * 3_600_000), ttlSeconds: 600 })],
      ['wrong audience', () => token(who, { audience: 'someone-else' })],
      ['wrong issuer', () => token(who, { issuer: 'evil-portal' })],
      ['too long-lived', () => token(who, { ttlSeconds: 7 * 86_400 })],
      ['unknown role', () => token({ ...who, roles: ['superuser'] })],
      ['not a JWT', async () => 'not.a.token'],
    ];
    const unverified = async (action: string) =>
      (
        await svc.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_log WHERE actor = '(unverified token)' AND action = $1 AND outcome = 'denied' AND status = 403`,
          [action],
        )
      ).rows[0].n;
    // Every action of the catalogue, implemented or not: the token is checked before anything else.
    for (const { key } of ACTIONS) {
      const body = implemented.has(key) ? matrix.get(key)!.body(false) : {};
      for (const [what, make] of bad) {
        const before = await unverified(key);
        const r = await call('POST', `/v1/actions/${key}`, await make(), body, `matrix-key-${++n}`);
        expect([r.status, r.body.error?.code], `${key}, ${what}: ${JSON.stringify(r.body)}`).toEqual([403, 'forbidden']);
        expect(await unverified(key), `${key}, ${what}: one audit row`).toBe(before + 1);
      }
      const before = await unverified(key);
      const none = await call('POST', `/v1/actions/${key}`, undefined, body, `matrix-key-${++n}`);
      expect([none.status, none.body.error?.code], key).toEqual([401, 'unauthorized']);
      expect(await unverified(key)).toBe(before);
    }
  });
});
