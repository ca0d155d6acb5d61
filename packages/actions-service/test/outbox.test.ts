/**
 * The outbox worker on each engine against real receivers (an SMTP server and an HTTP server in
 * this process): A2.2's notices delivered end to end with their text rendered (and hostile text kept
 * as text), in-app notices exactly once and readable at GET /v1/notices, retries with backoff,
 * permanent failures at once, terminal failure after maxAttempts, leases, two workers on one
 * database, and the drain rate of 20,000 rows (printed, not asserted).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, utcDay } from '@usage-analytics/actions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay, messageIdOf, startOutboxWorker, type OutboxWorkerOptions } from '../src/outbox/worker.js';
import { render, renderSubject } from '../src/outbox/render.js';
import { configFromEnv, startService, type RunningService } from '../src/service.js';
import { AUTH, ENGINES, NOW, cleanupTmp, demoSnapshot, token } from './helpers.js';
import { insertTemplate, outboxRow, queue, queueUsers, startHttpSink, startSmtpSink, type HttpSink, type SmtpSink } from './outbox-sinks.js';

const HOSTILE = '<img src=x onerror=alert(1)> & <b>"bold"</b>';
const FROM = 'Usage Analytics <no-reply@usage.example>';

let snapshot: string;
let smtp: SmtpSink;
let http: HttpSink;
beforeAll(async () => {
  [snapshot, smtp, http] = await Promise.all([demoSnapshot(), startSmtpSink(), startHttpSink()]);
}, 180_000);
afterAll(async () => {
  await smtp?.close();
  await http?.close();
  cleanupTmp();
});
beforeEach(() => {
  smtp.answer = () => undefined;
  smtp.answerRcpt = () => undefined;
  smtp.onAccepted = () => undefined;
  http.answer = () => 200;
});

describe('templates, backoff, options', () => {
  it('replaces {{var}} with the value as text; unknown placeholders stay; subjects stay on one line', () => {
    expect(render('Use {{ replacement }} by {{sunsetDate}} {{nope}} {{n}}', { replacement: HOSTILE, sunsetDate: '2026-12-16', n: null })).toBe(
      `Use ${HOSTILE} by 2026-12-16 {{nope}} `,
    );
    expect(renderSubject('Re: {{agent}}', { agent: 'a\r\nBcc: x@evil.example' })).toBe('Re: a Bcc: x@evil.example');
  });

  it('backs off exponentially with jitter in [½, 1) of the step, capped', () => {
    const b = { baseMs: 1000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, b, () => 0))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, b, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('refuses bad options with a clear error', () => {
    const db = {} as OutboxWorkerOptions['db'];
    expect(() => startOutboxWorker({ db, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => startOutboxWorker({ db, pollMs: 0, smtp: { url: 'http://x', from: 'a@b.c' } })).toThrow(/smtp:\/\//);
    expect(() => startOutboxWorker({ db, pollMs: 0, smtp: { url: 'smtp://x', from: '' } })).toThrow(/from/);
    const env = { SNAPSHOT_DIR: '/tmp/x', TOKEN_SECRET: 'x'.repeat(32) };
    expect(() => configFromEnv({ ...env, SMTP_URL: 'smtp://127.0.0.1:25' })).toThrow(/MAIL_FROM/);
    expect(() => configFromEnv({ ...env, OUTBOX_POLL_MS: 'soon' })).toThrow(/OUTBOX_POLL_MS must be a number/);
    expect(configFromEnv({ ...env, SMTP_URL: 'smtps://u:p@mail.example', MAIL_FROM: 'a@b.c', OUTBOX_LEASE_MS: '5000' }).outbox).toEqual({
      smtp: { url: 'smtps://u:p@mail.example', from: 'a@b.c' },
      pollMs: undefined,
      leaseMs: 5000,
    });
    expect((configFromEnv(env).outbox as { smtp?: unknown }).smtp).toBeUndefined();
  });
});

describe.each(ENGINES)('outbox worker on $name', (engine) => {
  let svc: RunningService;
  let drop: () => Promise<void>;
  let template: string;
  const vars = { agent: 'Old Bot', replacement: 'New Bot', sunsetDate: '2026-12-16', guide: 'https://docs.example/migrate' };
  const worker = (over: Partial<OutboxWorkerOptions> = {}) =>
    startOutboxWorker({
      db: svc.db,
      smtp: { url: smtp.url, from: FROM },
      pollMs: 0,
      backoff: { baseMs: 1, maxMs: 1 },
      ...over,
    });
  /** Rows not yet delivered or failed (left by an earlier test) are taken out of the way. */
  const settle = () => svc.db.query(`UPDATE outbox SET failed_at = now(), last_error = 'test: set aside' WHERE delivered_at IS NULL AND failed_at IS NULL`);

  beforeAll(async () => {
    // Outbox ids (and so Message-IDs) start at 1 in each database: the sink starts empty for each engine.
    smtp.accepted.length = 0;
    smtp.counts.clear();
    const db = await engine.fresh();
    drop = db.drop;
    // No worker in the service: each test runs its own with the options it checks.
    svc = await startService({ databaseUrl: db.url, snapshotDir: snapshot, auth: AUTH, now: () => NOW, outbox: false });
    template = await insertTemplate(svc.db, 'Moving off {{agent}}', `Hello {{userId}}, use {{replacement}} before {{sunsetDate}}. ${HOSTILE}`, vars);
  }, 120_000);
  afterAll(async () => {
    await svc?.close();
    await drop?.();
  });
  beforeEach(async () => {
    await settle();
  });

  it('delivers A2.2 notices end to end: one e-mail per user with the rendered text, in-app notices at GET /v1/notices', async () => {
    // The agent most users used in the last 30 days, and an active agent to replace it.
    const { rows: agents } = await svc.db.query<{ agent_id: string; agent_name: string }>(
      `SELECT agent_id, agent_name FROM agent_registry WHERE status = 'active' ORDER BY agent_id`,
    );
    const usage = await Promise.all(agents.map(async (a) => ({ ...a, users: (await svc.usage.agentUsage(a.agent_id, 30)).users })));
    usage.sort((a, b) => b.users.length - a.users.length);
    const [busy, other] = usage;
    const body = {
      agentId: busy.agent_id,
      replacementAgentId: other.agent_id,
      sunsetDate: addDays(utcDay(NOW), 45),
      migrationGuideUrl: 'https://docs.example/migrate',
      notification: { subject: 'Moving off {{agent}}', body: `Please use {{replacement}} before {{sunsetDate}}: {{guide}}\n${HOSTILE}` },
      weeklySharePct: 25,
    };
    const auth = { authorization: `Bearer ${await token({ userId: 'dir-1', roles: ['director_ai_ml'], departments: ['*'] })}` };
    const res = await svc.app.inject({
      method: 'POST',
      url: '/v1/actions/deprecate-agent',
      headers: { ...auth, 'idempotency-key': `outbox-e2e-${engine.name}` },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    const users = busy.users.filter((u) => u.email);
    expect(users.length).toBeGreaterThan(10);

    const before = smtp.accepted.length;
    const w = worker({ batchSize: 50 });
    const stats = await w.drain();
    await w.stop();
    expect(stats).toEqual({ delivered: busy.users.length * 2 - (busy.users.length - users.length), retried: 0, failed: busy.users.length - users.length });

    const mails = smtp.accepted.slice(before);
    expect(mails.length).toBe(users.length);
    expect(new Set(mails.map((m) => m.to))).toEqual(new Set(users.map((u) => u.email)));
    const text = `Please use ${other.agent_name} before ${body.sunsetDate}: https://docs.example/migrate\n${HOSTILE}`;
    for (const m of mails) {
      expect(m.subject).toBe(`Moving off ${busy.agent_name}`);
      expect(m.text).toBe(text);
      expect(m.contentType).toBe('text/plain');
      expect(m.from).toContain('no-reply@usage.example');
      expect(m.messageId).toMatch(/^<outbox-\d+@usage\.example>$/);
    }
    // Each outbox row's Message-ID once.
    const { rows: emailRows } = await svc.db.query<{ id: string }>(`SELECT id::text AS id FROM outbox WHERE kind = 'email' AND delivered_at IS NOT NULL`);
    for (const r of emailRows) expect(smtp.counts.get(messageIdOf(r.id, FROM))).toBe(1);
    // The id's domain is the sender's: two deployments never mint the same Message-ID.
    expect(messageIdOf(7, FROM)).toBe('<outbox-7@usage.example>');
    expect(messageIdOf(7, 'alerts@Ops.Example.org')).toBe('<outbox-7@ops.example.org>');

    // In-app: one notice per user, readable by that user only, text as text.
    const { rows: n } = await svc.db.query<{ n: number; users: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS users FROM in_app_notices n JOIN outbox o ON o.id = n.outbox_id AND o.kind = 'in_app'`,
    );
    expect(n[0]).toEqual({ n: busy.users.length, users: busy.users.length });
    const reader = busy.users[0].userId;
    const readerAuth = { authorization: `Bearer ${await token({ userId: reader, roles: ['engineer'], departments: [] })}` };
    const notices = await svc.app.inject({ method: 'GET', url: '/v1/notices?limit=5', headers: readerAuth });
    expect(notices.statusCode, notices.body).toBe(200);
    const list = notices.json() as { subject: string; body: string; link: string | null; createdAt: string; readAt: string | null }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ subject: `Moving off ${busy.agent_name}`, body: text, link: 'https://docs.example/migrate', readAt: null });
    expect(new Date(list[0].createdAt).getTime()).toBeGreaterThan(0);
    const bad = await svc.app.inject({ method: 'GET', url: '/v1/notices?limit=0', headers: readerAuth });
    expect(bad.statusCode).toBe(400);
  });

  it('SMTP 550 and a missing or unusable address fail at once with the reason', async () => {
    smtp.answerRcpt = (a) => (a.startsWith('gone') ? 550 : undefined);
    const gone = await queue(svc.db, 'email', { template, userId: 'u-gone', email: 'gone@example.com' });
    const none = await queue(svc.db, 'email', { template, userId: 'u-none', email: null });
    const list = await queue(svc.db, 'email', { template, userId: 'u-list', email: 'a@example.com, b@example.com' });
    const w = worker({ maxAttempts: 5 });
    expect(await w.drain()).toEqual({ delivered: 0, retried: 0, failed: 3 });
    await w.stop();
    expect(await outboxRow(svc.db, gone)).toMatchObject({
      delivered: false,
      failed: true,
      attempts: 1,
      last_error: expect.stringMatching(/SMTP 550/) as unknown,
    });
    expect(await outboxRow(svc.db, none)).toMatchObject({ failed: true, attempts: 1, last_error: 'no valid e-mail address (null)' });
    expect(await outboxRow(svc.db, list)).toMatchObject({ failed: true, attempts: 1, last_error: expect.stringMatching(/no valid e-mail address/) as unknown });
    expect(smtp.accepted.some((m) => m.to === 'gone@example.com' || m.to.includes('a@example.com, b@example.com'))).toBe(false);
  });

  it('retries SMTP 451 and 421 until accepted: attempts = 3, delivered once', async () => {
    const tries = new Map<string, number>();
    smtp.answer = (m) => {
      const n = (tries.get(m.messageId) ?? 0) + 1;
      tries.set(m.messageId, n);
      return n === 1 ? 451 : n === 2 ? 421 : undefined;
    };
    const id = await queue(svc.db, 'email', { template, userId: 'u-retry', email: 'retry@example.com' });
    const w = worker({ maxAttempts: 5 });
    expect(await w.drain()).toEqual({ delivered: 1, retried: 2, failed: 0 });
    await w.stop();
    expect(await outboxRow(svc.db, id)).toMatchObject({ delivered: true, failed: false, attempts: 3, last_error: null });
    expect(smtp.counts.get(messageIdOf(id, FROM))).toBe(1);
    expect(tries.get(messageIdOf(id, FROM))).toBe(3);
  });

  it('gives up after maxAttempts with the last error', async () => {
    smtp.answer = () => 451;
    const id = await queue(svc.db, 'email', { template, userId: 'u-busy', email: 'busy@example.com' });
    const w = worker({ maxAttempts: 3 });
    expect(await w.drain()).toEqual({ delivered: 0, retried: 2, failed: 1 });
    await w.stop();
    expect(await outboxRow(svc.db, id)).toMatchObject({
      delivered: false,
      failed: true,
      attempts: 3,
      last_error: expect.stringMatching(/SMTP 451/) as unknown,
    });
  });

  it('honours the backoff: a failed row is not retried before next_attempt_at, then is', async () => {
    let first = true;
    smtp.answer = () => (first ? ((first = false), 451) : undefined);
    const id = await queue(svc.db, 'email', { template, userId: 'u-later', email: 'later@example.com' });
    const w = worker({ backoff: { baseMs: 60_000, maxMs: 600_000 } });
    expect(await w.drain()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    const { rows } = await svc.db.query<{ wait_ms: number }>(
      `SELECT extract(epoch FROM next_attempt_at - last_attempt_at) * 1000 AS wait_ms FROM outbox WHERE id = $1`,
      [id],
    );
    // Attempt 1 failed: 60 s × jitter in [½, 1), counted from the failure (after the attempt started).
    expect(Number(rows[0].wait_ms)).toBeGreaterThanOrEqual(30_000);
    expect(Number(rows[0].wait_ms)).toBeLessThan(60_000 + 30_000);
    expect(await w.drain()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(smtp.counts.get(messageIdOf(id, FROM))).toBeUndefined();
    await svc.db.query('UPDATE outbox SET next_attempt_at = now() WHERE id = $1', [id]);
    expect(await w.drain()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    await w.stop();
    expect(await outboxRow(svc.db, id)).toMatchObject({ delivered: true, attempts: 2 });
  });

  it('webhooks: POST JSON with Idempotency-Key; 500 and 429 retried, 400 fails at once, a bad url fails at once', async () => {
    const tries = new Map<string, number>();
    http.answer = (c) => {
      const n = (tries.get(c.path) ?? 0) + 1;
      tries.set(c.path, n);
      if (c.path === '/flaky') return n <= 2 ? 500 : 204;
      if (c.path === '/slow') return n === 1 ? 429 : 200;
      if (c.path === '/bad') return 400;
      return 200;
    };
    const ok = await queue(svc.db, 'webhook', { url: `${http.url}/ok`, body: { event: 'agent.deprecated', text: HOSTILE } });
    const flaky = await queue(svc.db, 'webhook', { url: `${http.url}/flaky`, body: { n: 1 } });
    const slow = await queue(svc.db, 'webhook', { url: `${http.url}/slow`, body: {} });
    const bad = await queue(svc.db, 'webhook', { url: `${http.url}/bad`, body: {} });
    const nourl = await queue(svc.db, 'webhook', { url: 'file:///etc/passwd', body: {} });
    const w = worker({ smtp: undefined, maxAttempts: 5 });
    await w.drain();
    await w.stop();
    const call = http.calls.find((c) => c.path === '/ok')!;
    expect(call.headers['idempotency-key']).toBe(`outbox-${ok}`);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.body).toEqual({ event: 'agent.deprecated', text: HOSTILE });
    expect(await outboxRow(svc.db, ok)).toMatchObject({ delivered: true, attempts: 1 });
    expect(await outboxRow(svc.db, flaky)).toMatchObject({ delivered: true, attempts: 3, last_error: null });
    expect(http.calls.filter((c) => c.path === '/flaky').every((c) => c.headers['idempotency-key'] === `outbox-${flaky}`)).toBe(true);
    expect(await outboxRow(svc.db, slow)).toMatchObject({ delivered: true, attempts: 2 });
    expect(await outboxRow(svc.db, bad)).toMatchObject({ failed: true, attempts: 1, last_error: 'webhook: HTTP 400' });
    expect(await outboxRow(svc.db, nourl)).toMatchObject({
      failed: true,
      attempts: 1,
      last_error: expect.stringMatching(/no http\(s\) webhook url/) as unknown,
    });
  });

  it('without SMTP, e-mails stay queued while in-app notices are delivered', async () => {
    const mail = await queue(svc.db, 'email', { template, userId: 'u-q', email: 'q@example.com' });
    const app = await queue(svc.db, 'in_app', { template, userId: 'u-q' });
    const w = worker({ smtp: undefined });
    expect(await w.drain()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    await w.stop();
    expect(await outboxRow(svc.db, mail)).toMatchObject({ delivered: false, failed: false, attempts: 0 });
    expect(await outboxRow(svc.db, app)).toMatchObject({ delivered: true });
    const { rows } = await svc.db.query<{ body: string }>('SELECT body FROM in_app_notices WHERE outbox_id = $1', [app]);
    expect(rows).toEqual([{ body: `Hello u-q, use New Bot before 2026-12-16. ${HOSTILE}` }]);
  });

  it('leaves a row another worker holds until its lease ends', async () => {
    const id = await queue(svc.db, 'in_app', { template, userId: 'u-lease' });
    await svc.db.query(`UPDATE outbox SET claimed_until = now() + interval '1 hour', attempts = 1 WHERE id = $1`, [id]);
    const w = worker();
    expect(await w.drain()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    await svc.db.query(`UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await w.drain()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    await w.stop();
    expect(await outboxRow(svc.db, id)).toMatchObject({ delivered: true, attempts: 2 });
  });

  it('two workers on one database deliver each row once', async () => {
    const tpl = await insertTemplate(svc.db, 'Two workers', 'Hello {{userId}}', {});
    await queueUsers(svc.db, tpl, 1500, `two-${engine.name}`);
    const before = smtp.accepted.length;
    const [a, b] = [worker({ batchSize: 40 }), worker({ batchSize: 40 })];
    const [sa, sb] = await Promise.all([a.drain(), b.drain()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(sa.delivered + sb.delivered).toBe(3000);
    // Both took part (on PGlite, one connection, they take turns).
    expect(Math.min(sa.delivered, sb.delivered)).toBeGreaterThan(0);
    const mails = smtp.accepted.slice(before);
    expect(mails.length).toBe(1500);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(1500);
    const { rows } = await svc.db.query<{ n: number; d: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT o.payload->>'userId')::int AS d FROM in_app_notices n JOIN outbox o ON o.id = n.outbox_id WHERE o.dedupe_key LIKE $1`,
      [`two-${engine.name}:%`],
    );
    expect(rows[0]).toEqual({ n: 1500, d: 1500 });
  });

  it('drains 20,000 rows (10,000 users × e-mail + in-app); the rate is printed', async () => {
    const tpl = await insertTemplate(svc.db, 'Moving off {{agent}}', 'Use {{replacement}} before {{sunsetDate}}.', vars);
    await queueUsers(svc.db, tpl, 10_000, `bench-${engine.name}`);
    const before = smtp.accepted.length;
    const w = worker({ batchSize: 500, smtp: { url: smtp.url, from: 'no-reply@usage.example', maxConnections: 5 } });
    const t0 = performance.now();
    const stats = await w.drain();
    const ms = performance.now() - t0;
    await w.stop();
    expect(stats).toEqual({ delivered: 20_000, retried: 0, failed: 0 });
    expect(smtp.accepted.length - before).toBe(10_000);
    const rate = Math.round(20_000 / (ms / 1000));
    const line = `outbox drain on ${engine.name}: 20,000 rows in ${Math.round(ms)} ms = ${rate} rows/s`;
    console.log(line);
    const dir = join(process.cwd(), '.data');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `outbox-drain-${engine.name}.txt`), `${line}\n`);
  }, 600_000);
});
