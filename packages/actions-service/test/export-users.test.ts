/**
 * A2.4 Export user list on each engine: the streamed rows equal plain code over the snapshot's
 * Arrow rows, CSV and JSON agree, PII only for the roles that may see it, departments scoped to
 * the caller's, progress and cancel, bad filters named.
 */
import { ExportUsersResult } from '@usage-analytics/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../src/service.js';
import { AUTH, END, ENGINES, NOW, arrowTable, cleanupTmp, demoSnapshot, token } from './helpers.js';

let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 120_000);
afterAll(() => cleanupTmp());

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Users with a request in the last 30 days in department `dept` (request-time department), as the export defines them. */
function reference(dept: string) {
  const req = arrowTable(snapshot, 'requests');
  const [ts, user, agent, d] = [req.getChild('ts')!, req.getChild('user_id')!, req.getChild('agent_id')!, req.getChild('department_id')!];
  const out = new Map<string, { requests: number; days: Set<string>; agents: Set<string>; first: number; last: number; department: string }>();
  for (let i = 0; i < req.numRows; i++) {
    const t = Number(ts.get(i));
    if (t < END - 30 * DAY || t >= END || String(d.get(i)) !== dept) continue;
    const u = String(user.get(i));
    const e = out.get(u) ?? { requests: 0, days: new Set(), agents: new Set(), first: Infinity, last: -Infinity, department: '' };
    e.requests++;
    e.days.add(iso(t).slice(0, 10));
    e.agents.add(String(agent.get(i)));
    e.first = Math.min(e.first, t);
    if (t >= e.last) {
      e.last = t;
      e.department = String(d.get(i));
    }
    out.set(u, e);
  }
  return out;
}

const FILTERS = (departments: string[]) => ({ timeRange: { preset: '30d' }, departments });

describe.each(ENGINES)('A2.4 export users on $name', (engine) => {
  let svc: RunningService;
  let drop: () => Promise<void>;
  let dept: string;
  let emails: Map<string, string | null>;

  beforeAll(async () => {
    const db = await engine.fresh();
    drop = db.drop;
    svc = await startService({ databaseUrl: db.url, snapshotDir: snapshot, auth: AUTH, now: () => NOW });
    const users = arrowTable(snapshot, 'users', 'private');
    emails = new Map(users.toArray().map((u) => [String(u.user_id), (u.email as string | null) ?? null]));
    const counts = new Map<string, number>();
    for (const u of users) counts.set(String(u.department_id), (counts.get(String(u.department_id)) ?? 0) + 1);
    dept = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  }, 120_000);
  afterAll(async () => {
    await svc?.close();
    await drop?.();
  });

  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, t: string, body?: unknown, key?: string) => {
    const res = await svc.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${t}`, ...(key ? { 'idempotency-key': key } : {}) },
      ...(body ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, text: res.body, headers: res.headers };
  };
  const start = async (t: string, body: unknown, key: string) => {
    const r = await call('POST', '/v1/actions/export-users', t, body, key);
    expect(r.status, r.text).toBe(200);
    return ExportUsersResult.parse(JSON.parse(r.text));
  };

  it('CSV for a business analyst of one department: rows equal plain code over the Arrow rows; e-mail redacted', async () => {
    const t = await token({ userId: 'ba-1', roles: ['business_analyst'], departments: [dept] });
    const fields = ['user_id', 'department', 'requests', 'active_days', 'agents_used', 'first_seen', 'last_seen', 'email'];
    const job = await start(t, { filters: FILTERS([]), format: 'csv', fields }, 'export-csv-01');
    expect(job.redacted).toEqual(['email']);
    const want = reference(dept);
    expect(want.size).toBeGreaterThan(0);
    expect(job.totalRows).toBe(want.size);
    const r = await call('GET', job.downloadUrl, t);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const [header, ...lines] = r.text.trimEnd().split('\n');
    expect(header).toBe(fields.join(','));
    expect(lines).toHaveLength(want.size);
    const sorted = [...want].sort((a, b) => b[1].requests - a[1].requests || (a[0] < b[0] ? -1 : 1));
    expect(lines).toEqual(sorted.map(([u, e]) => [u, e.department, e.requests, e.days.size, e.agents.size, iso(e.first), iso(e.last), ''].join(',')));
    const progress = JSON.parse((await call('GET', job.progressUrl, t)).text);
    expect(progress).toEqual({ jobId: job.jobId, status: 'done', rowsWritten: want.size, totalRows: want.size, error: null });
  });

  it('a saved segment in the filters (A2.3) narrows the export to its members; bad criteria name the field', async () => {
    const t = await token({ userId: 'ba-seg', roles: ['business_analyst'], departments: [dept] });
    // Members: ≥ 5 requests in the snapshot's last 30 days (any department), by plain code.
    const req = arrowTable(snapshot, 'requests');
    const [ts, user] = [req.getChild('ts')!, req.getChild('user_id')!];
    const n = new Map<string, number>();
    for (let i = 0; i < req.numRows; i++) {
      const at = Number(ts.get(i));
      if (at >= END - 30 * DAY && at < END) n.set(String(user.get(i)), (n.get(String(user.get(i))) ?? 0) + 1);
    }
    const inDept = reference(dept);
    const want = [...inDept.keys()].filter((u) => (n.get(u) ?? 0) >= 5);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(inDept.size);
    const segment = { id: 'seg-1', name: '<b>Busy</b>', criteria: { requests: { min: 5 } } };
    const job = await start(t, { filters: { ...FILTERS([]), savedSegments: [segment] }, format: 'json', fields: ['user_id'] }, 'export-saved-01');
    expect(job.totalRows).toBe(want.length);
    const rows = JSON.parse((await call('GET', job.downloadUrl, t)).text) as { user_id: string }[];
    expect(rows.map((r) => r.user_id).sort()).toEqual(want.sort());
    const bad = await call(
      'POST',
      '/v1/actions/export-users',
      t,
      { filters: { ...FILTERS([]), savedSegments: [{ ...segment, criteria: { windowDays: 14 } }] }, format: 'csv', fields: ['user_id'] },
      'export-saved-02',
    );
    expect(bad.status, bad.text).toBe(400);
    expect(JSON.parse(bad.text).error.field).toBe('filters.savedSegments');
  });

  it('JSON for Customer Success (may see PII): the same users with their e-mails from the private table', async () => {
    const t = await token({ userId: 'cs-1', roles: ['customer_success'], departments: ['*'] });
    const job = await start(t, { filters: FILTERS([dept]), format: 'json', fields: ['user_id', 'requests', 'email'] }, 'export-json-01');
    expect(job.redacted).toEqual([]);
    const rows = JSON.parse((await call('GET', job.downloadUrl, t)).text) as { user_id: string; requests: number; email: string | null }[];
    const want = reference(dept);
    expect(rows.map((r) => r.user_id).sort()).toEqual([...want.keys()].sort());
    for (const r of rows) {
      expect(r.requests).toBe(want.get(r.user_id)!.requests);
      expect(r.email, r.user_id).toBe(emails.get(r.user_id) ?? null);
    }
    expect(rows.filter((r) => r.email).length).toBeGreaterThan(0);
  });

  it('scope, roles, bad filters, someone else’s job and cancel: refused with the reason or field, nothing leaks', async () => {
    const other = 'not-my-department';
    const ba = await token({ userId: 'ba-2', roles: ['business_analyst'], departments: [dept] });
    const outside = await call('POST', '/v1/actions/export-users', ba, { filters: FILTERS([other]), format: 'csv', fields: ['user_id'] }, 'export-out-01');
    expect(outside.status).toBe(403);
    const pm = await token({ userId: 'pm-9', roles: ['product_manager'], departments: ['*'] });
    expect((await call('POST', '/v1/actions/export-users', pm, { filters: FILTERS([]), format: 'csv', fields: ['user_id'] }, 'export-pm-01')).status).toBe(403);
    const bad = await call(
      'POST',
      '/v1/actions/export-users',
      ba,
      { filters: { ...FILTERS([]), agentStatuses: ['nope'] }, format: 'csv', fields: ['user_id'] },
      'export-bad-01',
    );
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.field).toBe('filters.agentStatuses');
    const job = await start(ba, { filters: FILTERS([]), format: 'csv', fields: ['user_id'] }, 'export-cancel-1');
    const thief = await token({ userId: 'ba-3', roles: ['business_analyst'], departments: [dept] });
    expect((await call('GET', job.downloadUrl, thief)).status).toBe(403);
    expect(JSON.parse((await call('DELETE', job.progressUrl, ba)).text).status).toBe('cancelled');
    expect((await call('GET', job.downloadUrl, ba)).status).toBe(409);
    const rows = await svc.db.query<{ outcome: string; status: number }>(`SELECT outcome, status FROM audit_log WHERE action = 'export-users' ORDER BY id`);
    expect(rows.rows.filter((r) => r.outcome === 'denied').length).toBeGreaterThanOrEqual(2);
  });
});
