/**
 * kill -9 loses and duplicates nothing: the service runs as a child process (src/main.ts, tsx as a
 * loader so the pid is the service itself) on persistent storage, delivers a few thousand queued
 * notices to the SMTP sink of this process, is SIGKILLed when the sink has accepted a random share of
 * them, started again on the same storage, killed again (three times in all), and started until the outbox is drained. Then every row is
 * delivered exactly once in the database (one in-app notice per row), the sink has every Message-ID,
 * and the raw redeliveries (one Message-ID accepted twice: sent, killed before it was marked) are at
 * most one batch per kill. The numbers are printed and written to .data/outbox-kill-<engine>.txt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addDays, utcDay } from '@usage-analytics/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db.js';
import { migrate } from '../src/migrations.js';
import { messageIdOf } from '../src/outbox/worker.js';
import { ENGINES, SECRET, cleanupTmp, demoSnapshot, tmp, token } from './helpers.js';
import { insertTemplate, queueUsers, startSmtpSink, waitFor, type SmtpSink } from './outbox-sinks.js';

/** tsx as a loader: the service runs in the spawned process itself (the tsx CLI would fork a child that kill -9 orphans). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const USERS = 2000;
const BATCH = 200; // the worker's default batchSize: the most one kill can leave sent but unmarked
const KILLS = 3;

let snapshot: string;
let smtp: SmtpSink;
beforeAll(async () => {
  [snapshot, smtp] = await Promise.all([demoSnapshot(), startSmtpSink()]);
}, 180_000);
afterAll(async () => {
  await smtp?.close();
  cleanupTmp();
});

interface Child {
  proc: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts src/main.ts and waits for its "actions service: <url>" line. */
async function startChild(env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start in 120 s: ${out}${err}`)), 120_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /actions service: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before it started: ${out}${err}`));
    });
  });
  return { proc, url, exited };
}

/** A2.2 over HTTP on the service at `url`: the active agent most users used, replaced by another active one. */
async function deprecateOne(url: string): Promise<{ agentId: string; queued: number }> {
  const auth = {
    authorization: `Bearer ${await token({ userId: 'dir-1', roles: ['director_ai_ml'], departments: ['*'] })}`,
    'content-type': 'application/json',
  };
  const agents = (await (await fetch(`${url}/v1/registry/agents`, { headers: auth })).json()) as { agent_id: string; status: string }[];
  const active = agents.filter((a) => a.status === 'active');
  const impact = await Promise.all(
    active.map(async (a) => {
      const res = await fetch(`${url}/v1/actions/deprecate-agent/preview`, { method: 'POST', headers: auth, body: JSON.stringify({ agentId: a.agent_id }) });
      return { id: a.agent_id, users: ((await res.json()) as { usersAffected: number }).usersAffected };
    }),
  );
  impact.sort((a, b) => b.users - a.users);
  const [busy, other] = impact;
  const res = await fetch(`${url}/v1/actions/deprecate-agent`, {
    method: 'POST',
    headers: { ...auth, 'idempotency-key': `kill-test-${Date.now()}` },
    body: JSON.stringify({
      agentId: busy.id,
      replacementAgentId: other.id,
      sunsetDate: addDays(utcDay(new Date()), 45),
      migrationGuideUrl: 'https://docs.example/migrate',
      notification: { subject: 'Moving off {{agent}}', body: 'Please use {{replacement}} before {{sunsetDate}}.' },
      weeklySharePct: 25,
    }),
  });
  const body = (await res.json()) as { notificationsQueued: number };
  if (res.status !== 200) throw new Error(`deprecate-agent answered ${res.status}: ${JSON.stringify(body)}`);
  expect(body.notificationsQueued).toBe(busy.users * 2);
  return { agentId: busy.id, queued: body.notificationsQueued };
}

describe.each(ENGINES)('kill -9 during delivery on $name', (engine) => {
  let drop: () => Promise<void> = async () => undefined;
  const children: Child[] = [];
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await drop();
  });

  it('delivers every row exactly once in the database; the sink sees every Message-ID, repeats at most one batch per kill', async () => {
    smtp.accepted.length = 0;
    smtp.counts.clear();
    const fresh = await engine.fresh();
    drop = fresh.drop;
    const pgliteDir = engine.name === 'pglite' ? join(tmp('pglite'), 'db') : undefined;
    const storage: Record<string, string> = fresh.url ? { DATABASE_URL: fresh.url } : { PGLITE_DIR: pgliteDir! };

    // Queue USERS × (e-mail + in-app) as A2.2 would, before the service starts.
    const db = await openDb({ url: fresh.url, dataDir: pgliteDir });
    await migrate(db);
    const tpl = await insertTemplate(db, 'Moving off {{agent}}', 'Hello {{userId}}, use {{replacement}}.', { agent: 'Old Bot', replacement: 'New Bot' });
    await queueUsers(db, tpl, USERS, 'kill');
    await db.close();

    const env = {
      ...storage,
      SNAPSHOT_DIR: snapshot,
      TOKEN_SECRET: SECRET,
      PORT: '0',
      LOG: '0',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'no-reply@usage.example',
      OUTBOX_POLL_MS: '200',
      // A short lease, so the rows the killed worker held are taken again soon after the restart.
      OUTBOX_LEASE_MS: '3000',
    };
    // Killed KILLS times, each when the sink has accepted a random share (10–90 %) of the e-mails,
    // and started again on the same storage each time.
    const killAt = Array.from({ length: KILLS }, () => Math.floor(USERS * (0.1 + 0.8 * Math.random()))).sort((a, b) => a - b);
    const killedAt: number[] = [];
    let deprecated: { agentId: string; queued: number } | undefined;
    for (const [i, at] of killAt.entries()) {
      const child = await startChild(env);
      children.push(child);
      // Through the first run, A2.2 over HTTP queues its notices next to the seeded ones.
      if (i === 0) deprecated = await deprecateOne(child.url);
      const threshold = Math.max(at, smtp.accepted.length + 1);
      smtp.onAccepted = () => {
        if (killedAt.length === i && smtp.accepted.length >= threshold) {
          killedAt.push(smtp.accepted.length);
          child.proc.kill('SIGKILL');
        }
      };
      await waitFor(`kill ${i + 1}`, () => killedAt.length > i, 300_000);
      smtp.onAccepted = () => undefined;
      await child.exited;
      expect(child.proc.signalCode).toBe('SIGKILL');
    }

    // Started again on the same storage, until the outbox is drained.
    const second = await startChild(env);
    children.push(second);
    const auth = { authorization: `Bearer ${await token({ userId: 'ops', roles: ['devops'], departments: ['*'] })}` };
    type Status = Record<'email' | 'in_app' | 'webhook', { pending: number; delivered: number; failed: number }>;
    let status: Status | undefined;
    await waitFor(
      'the outbox to drain after the restart',
      async () => {
        const res = await fetch(`${second.url}/v1/outbox/status`, { headers: auth });
        status = (await res.json()) as Status;
        return status.email.pending === 0 && status.in_app.pending === 0;
      },
      300_000,
      250,
    );
    // A2.2 queued an e-mail and an in-app notice per affected user; a user without an address fails at once.
    const perKind = USERS + deprecated!.queued / 2;
    expect(status!.email.pending + status!.in_app.pending + status!.webhook.delivered).toBe(0);
    expect(status!.in_app).toEqual({ pending: 0, delivered: perKind, failed: 0 });
    expect(status!.email.delivered + status!.email.failed).toBe(perKind);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // The database: every row delivered once, one in-app notice per in-app row.
    const check = await openDb({ url: fresh.url, dataDir: pgliteDir });
    const { rows: ids } = await check.query<{ id: string; attempts: number }>(
      `SELECT id::text AS id, attempts FROM outbox WHERE kind = 'email' AND delivered_at IS NOT NULL ORDER BY id`,
    );
    const { rows: failedMail } = await check.query<{ last_error: string }>(`SELECT last_error FROM outbox WHERE failed_at IS NOT NULL`);
    const { rows: notices } = await check.query<{ n: number; rows: number; users: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT outbox_id)::int AS rows, count(DISTINCT user_id)::int AS users FROM in_app_notices`,
    );
    const { rows: retried } = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE attempts > 1`);
    await check.close();
    expect(ids).toHaveLength(status!.email.delivered);
    expect(failedMail.every((r) => r.last_error.startsWith('no valid e-mail address'))).toBe(true);
    expect(notices[0]).toEqual({ n: perKind, rows: perKind, users: perKind });

    // The sink: every Message-ID; a repeat only for rows sent but not yet marked when the kill came.
    for (const { id } of ids) expect(smtp.counts.get(messageIdOf(id, 'no-reply@usage.example')) ?? 0).toBeGreaterThanOrEqual(1);
    const repeats = [...smtp.counts.values()].reduce((s, n) => s + n - 1, 0);
    expect(smtp.counts.size).toBe(ids.length);
    expect(repeats).toBeLessThanOrEqual(KILLS * BATCH);
    const line =
      `outbox kill -9 on ${engine.name}: ${perKind * 2} rows (${USERS} seeded users + ${deprecated!.queued / 2} of A2.2 on ${deprecated!.agentId} over HTTP, × e-mail + in-app; ${failedMail.length} e-mails without an address failed at once), killed ${KILLS} times (after ${killedAt.join(', ')} e-mails accepted); ` +
      `after the restart every row delivered once in the database, ${smtp.counts.size} distinct Message-IDs at the sink, ` +
      `${repeats} raw redeliveries (same Message-ID twice), ${retried[0].n} rows with attempts > 1`;
    console.log(line);
    const dir = join(process.cwd(), '.data');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `outbox-kill-${engine.name}.txt`), `${line}\n`);
  }, 900_000);
});
