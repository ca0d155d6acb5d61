/**
 * The outbox worker: delivers what the actions queued in their transactions (e-mail over SMTP,
 * in-app notices, webhooks), with retries.
 *
 * Delivery is at-least-once outward and exactly-once in the database:
 * 1. claim: one statement takes up to `batchSize` due rows (`FOR UPDATE SKIP LOCKED`) and leases
 *    them (`claimed_until`), counting the attempt — two workers never hold the same row at once, and a
 *    worker killed mid-batch frees its rows when the lease ends;
 * 2. deliver outside any transaction (SMTP, HTTP);
 * 3. one transaction marks the batch: delivered rows get `delivered_at` (and their in-app notice, so
 *    a notice exists iff its row is delivered), failed ones their error and the next attempt
 *    (exponential backoff with jitter) or `failed_at` when the error is permanent or the attempts are spent.
 * A crash between 2 and 3 re-sends that batch after the lease: e-mails carry
 * `Message-ID: <outbox-{id}@{MAIL_FROM domain}>` and webhooks `Idempotency-Key: outbox-{id}`, so the
 * receiver can recognise the repeat. A batch is the most that can be sent twice.
 */
import { createTransport } from 'nodemailer';
import type { Db } from '../db.js';
import { render, renderSubject, type Vars } from './render.js';

export interface SmtpConfig {
  /** `smtp://user:pass@host:port` or `smtps://…` (TLS from the start); or host/port/secure. */
  url?: string;
  host?: string;
  port?: number;
  secure?: boolean;
  /** The From address, e.g. `Usage Analytics <no-reply@example.com>`. */
  from: string;
  /** Pooled connections (default 5). */
  maxConnections?: number;
}

export interface BackoffOptions {
  /** The delay after the first failure; doubled for each further one. */
  baseMs: number;
  /** The longest delay. */
  maxMs: number;
}

export interface OutboxWorkerOptions {
  db: Db;
  /** Without it e-mail rows stay queued (not claimed) until a worker with SMTP runs; in-app and webhooks still go. */
  smtp?: SmtpConfig;
  /** The HTTP client for webhooks (default the global fetch). */
  fetch?: typeof fetch;
  /** Rows per claim (default 200): also the most a crash can send twice. */
  batchSize?: number;
  /** Pause between polls when nothing is due (default 1000 ms); 0 = no polling, only `drain()`. */
  pollMs?: number;
  /** How long a claim holds a row (default 60 s); must exceed a batch's delivery time. */
  leaseMs?: number;
  /** Attempts before a row is failed for good (default 8). */
  maxAttempts?: number;
  /** Default: 30 s doubling up to 1 h. */
  backoff?: BackoffOptions;
  /** Per webhook call (default 10 s). */
  webhookTimeoutMs?: number;
  /** A poll that failed (database down…); the worker carries on at the next poll. */
  onError?: (e: unknown) => void;
}

export interface DrainStats {
  delivered: number;
  /** Rescheduled for another attempt. */
  retried: number;
  /** Failed for good. */
  failed: number;
}

export interface OutboxWorker {
  /** Finishes the batch in hand, stops polling, closes the SMTP pool. */
  stop(): Promise<void>;
  /** Delivers everything due now (including retries that fall due meanwhile), then resolves. */
  drain(): Promise<DrainStats>;
}

/** An outbox row as claimed. */
interface Claimed {
  id: string;
  kind: 'email' | 'in_app' | 'webhook';
  payload: Record<string, unknown>;
  attempts: number;
}

interface Template {
  subject: string;
  body: string;
  vars: Vars;
}

type Outcome =
  | { id: string; ok: true; notice?: { userId: string; subject: string; body: string; link: string | null } }
  | { id: string; ok: false; permanent: boolean; error: string };

/** drain() waits for a retry due this soon (tests use millisecond backoffs); later ones are left to the poll loop. */
const DRAIN_WAIT_MS = 2000;

/** A delivery error that retrying cannot fix (no address, SMTP 5xx, webhook 4xx). */
class PermanentError extends Error {}

/** The delay before attempt `attempts + 1`: base·2^(attempts−1), capped, times a jitter in [0.5, 1). */
export function backoffDelay(attempts: number, backoff: BackoffOptions, random: () => number = Math.random): number {
  const d = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(d * (0.5 + 0.5 * random()));
}

/**
 * The Message-ID of an outbox row's e-mail: the same on every attempt, so a repeat is recognisable.
 * Its domain is the sender's (`MAIL_FROM`), so two deployments never mint the same id.
 */
export const messageIdOf = (outboxId: string | number, from = 'usage-analytics') => `<outbox-${outboxId}@${domainOf(from)}>`;

/** The domain of an address (`Name <a@b.example>` or `a@b.example`), or the text itself when it has none. */
function domainOf(from: string): string {
  const m = /@([^\s@<>]+)>?\s*$/.exec(from.trim());
  return (m ? m[1] : from).toLowerCase();
}

const EMAIL = /^[^\s@<>,;"'()[\]\\]+@[^\s@<>,;"'()[\]\\]+\.[^\s@<>,;"'()[\]\\]+$/;

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db } = options;
  const batchSize = options.batchSize ?? 200;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? { baseMs: 30_000, maxMs: 3_600_000 };
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;
  const httpFetch = options.fetch ?? fetch;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`outbox batchSize must be a positive integer, not ${batchSize}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`outbox maxAttempts must be a positive integer, not ${maxAttempts}`);
  if (options.smtp && !options.smtp.from) throw new Error('outbox smtp.from is required (MAIL_FROM): the address e-mails are sent from');

  const smtp = options.smtp;
  // Timeouts well inside the lease: a hung server must not hold a batch past it (another worker would send it too).
  const timeoutMs = Math.max(1000, Math.min(30_000, Math.floor(leaseMs / 3)));
  const transport = smtp
    ? createTransport({
        pool: true,
        maxConnections: smtp.maxConnections ?? 5,
        maxMessages: Infinity,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        ...smtpTarget(smtp),
      })
    : undefined;
  const kinds = smtp ? ['email', 'in_app', 'webhook'] : ['in_app', 'webhook'];
  // Templates never change after they are written.
  const templates = new Map<string, Template>();

  async function claim(): Promise<Claimed[]> {
    const { rows } = await db.query<Claimed>(
      `UPDATE outbox o SET claimed_until = now() + $1 * interval '1 millisecond', attempts = o.attempts + 1, last_attempt_at = now()
       FROM (SELECT id FROM outbox
             WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
               AND (claimed_until IS NULL OR claimed_until <= now()) AND kind = ANY($2::text[])
             ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) c
       WHERE o.id = c.id
       RETURNING o.id::text AS id, o.kind, o.payload, o.attempts`,
      [leaseMs, kinds, batchSize],
    );
    return rows;
  }

  async function loadTemplates(rows: Claimed[]): Promise<void> {
    const missing = [...new Set(rows.map((r) => String(r.payload.template ?? '')).filter((id) => /^\d+$/.test(id) && !templates.has(id)))];
    if (!missing.length) return;
    const { rows: found } = await db.query<Template & { id: string }>(
      'SELECT id::text AS id, subject, body, vars FROM message_templates WHERE id = ANY($1::bigint[])',
      [missing],
    );
    for (const t of found) templates.set(t.id, { subject: t.subject, body: t.body, vars: t.vars ?? {} });
  }

  /** The subject, text and link of a templated row for its recipient. */
  function compose(row: Claimed): { subject: string; body: string; link: string | null } {
    const t = templates.get(String(row.payload.template ?? ''));
    if (!t) throw new PermanentError(`no message template ${JSON.stringify(row.payload.template ?? null)}`);
    const vars: Vars = { ...t.vars, userId: row.payload.userId, department: row.payload.department };
    return { subject: renderSubject(t.subject, vars), body: render(t.body, vars), link: typeof t.vars.guide === 'string' ? t.vars.guide : null };
  }

  async function deliver(row: Claimed): Promise<Outcome> {
    try {
      if (row.kind === 'in_app') {
        const userId = row.payload.userId;
        if (typeof userId !== 'string' || !userId) throw new PermanentError('no userId for the in-app notice');
        return { id: row.id, ok: true, notice: { userId, ...compose(row) } };
      }
      if (row.kind === 'email') {
        const to = row.payload.email;
        if (typeof to !== 'string' || !EMAIL.test(to)) throw new PermanentError(`no valid e-mail address (${JSON.stringify(to ?? null)})`);
        const m = compose(row);
        await sendMail(to, m.subject, m.body, row.id);
        return { id: row.id, ok: true };
      }
      await postWebhook(row);
      return { id: row.id, ok: true };
    } catch (e) {
      return { id: row.id, ok: false, permanent: e instanceof PermanentError, error: e instanceof Error ? e.message : String(e) };
    }
  }

  async function sendMail(to: string, subject: string, text: string, id: string): Promise<void> {
    try {
      await transport!.sendMail({ from: smtp!.from, to, subject, text, messageId: messageIdOf(id, smtp!.from) });
    } catch (e) {
      const err = e as Error & { responseCode?: number; response?: string };
      const code = err.responseCode;
      const message = code ? `SMTP ${code}: ${err.response ?? err.message}` : `SMTP: ${err.message}`;
      // 5xx: the server refuses for good (unknown mailbox, policy); 4xx and connection errors may pass later.
      throw code && code >= 500 ? new PermanentError(message, { cause: e }) : new Error(message, { cause: e });
    }
  }

  async function postWebhook(row: Claimed): Promise<void> {
    const url = row.payload.url;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new PermanentError(`no http(s) webhook url (${JSON.stringify(url ?? null)})`);
    let res: Response;
    try {
      res = await httpFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `outbox-${row.id}` },
        body: JSON.stringify(row.payload.body ?? null),
        redirect: 'manual',
        signal: AbortSignal.timeout(webhookTimeoutMs),
      });
    } catch (e) {
      throw new Error(`webhook: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return;
    const message = `webhook: HTTP ${res.status}`;
    // 408 and 429 ask to come back; 5xx may pass later; any other answer (4xx, a redirect) will not change.
    if (res.status === 408 || res.status === 429 || res.status >= 500) throw new Error(message);
    throw new PermanentError(message);
  }

  /** One transaction for the batch's outcomes. */
  async function mark(rows: Claimed[], outcomes: Outcome[], stats: DrainStats): Promise<void> {
    const attempts = new Map(rows.map((r) => [r.id, r.attempts]));
    const done = outcomes.filter((o) => o.ok);
    const notices = done.flatMap((o) => (o.notice ? [{ ...o.notice, id: o.id }] : []));
    const failed = outcomes.flatMap((o) => (o.ok ? [] : [o]));
    const final = failed.map((f) => f.permanent || (attempts.get(f.id) ?? 0) >= maxAttempts);
    await db.transaction(async (tx) => {
      if (notices.length) {
        await tx.query(
          `INSERT INTO in_app_notices (user_id, subject, body, link, outbox_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
           ON CONFLICT (outbox_id) DO NOTHING`,
          [notices.map((n) => n.userId), notices.map((n) => n.subject), notices.map((n) => n.body), notices.map((n) => n.link), notices.map((n) => n.id)],
        );
      }
      if (done.length) {
        await tx.query(
          'UPDATE outbox SET delivered_at = now(), claimed_until = NULL, last_error = NULL WHERE id = ANY($1::bigint[]) AND delivered_at IS NULL',
          [done.map((o) => o.id)],
        );
      }
      if (failed.length) {
        await tx.query(
          `UPDATE outbox o SET last_error = f.err, claimed_until = NULL,
             failed_at = CASE WHEN f.final THEN now() END,
             next_attempt_at = CASE WHEN f.final THEN o.next_attempt_at ELSE now() + f.delay_ms * interval '1 millisecond' END
           FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::float8[], $5::int[]) AS f(id, err, final, delay_ms, attempts)
           -- Only while the claim is still ours: if our lease ran out and another worker took the row, its outcome counts.
           WHERE o.id = f.id AND o.delivered_at IS NULL AND o.attempts = f.attempts`,
          [
            failed.map((f) => f.id),
            failed.map((f) => f.error),
            final,
            failed.map((f) => backoffDelay(attempts.get(f.id) ?? 1, backoff)),
            failed.map((f) => attempts.get(f.id) ?? 0),
          ],
        );
      }
    });
    stats.delivered += done.length;
    for (const isFinal of final) {
      if (isFinal) stats.failed++;
      else stats.retried++;
    }
  }

  /** Claims, delivers and marks one batch; the number of rows it took. */
  async function batch(stats: DrainStats): Promise<number> {
    const rows = await claim();
    if (!rows.length) return 0;
    await loadTemplates(rows);
    const outcomes = await Promise.all(rows.map(deliver));
    await mark(rows, outcomes, stats);
    return rows.length;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Batches of one worker run one after another (the poll loop and drain() share this chain).
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.catch(() => undefined);
    return p;
  };
  /** Milliseconds until the next claimable row falls due (a retry rescheduled a moment ago), or null when none does within DRAIN_WAIT_MS. */
  async function nextDueMs(): Promise<number | null> {
    const { rows } = await db.query<{ ms: number | null }>(
      `SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms FROM outbox
       WHERE delivered_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until <= now()) AND kind = ANY($1::text[])`,
      [kinds],
    );
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined || ms > DRAIN_WAIT_MS ? null : Math.max(0, ms);
  }
  const drainAll = () =>
    serial(async () => {
      const stats: DrainStats = { delivered: 0, retried: 0, failed: 0 };
      for (;;) {
        if (stopped) break;
        if ((await batch(stats)) > 0) continue;
        // Nothing due now: a retry that falls due within DRAIN_WAIT_MS is waited for ("everything due meanwhile").
        const wait = await nextDueMs();
        if (wait === null) break;
        await new Promise((r) => setTimeout(r, wait + 1));
      }
      return stats;
    });

  const poll = async () => {
    timer = undefined;
    if (stopped) return;
    try {
      await drainAll();
    } catch (e) {
      options.onError?.(e);
    }
    if (!stopped) timer = setTimeout(() => void poll(), pollMs);
  };
  if (pollMs > 0) timer = setTimeout(() => void poll(), 0);

  return {
    drain: drainAll,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
      transport?.close();
    },
  };
}

/** nodemailer's host options from an SMTP URL or host/port/secure. */
function smtpTarget(smtp: SmtpConfig): { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } } {
  if (smtp.url) {
    let u: URL;
    try {
      u = new URL(smtp.url);
    } catch {
      throw new Error(`SMTP_URL is not a URL: ${JSON.stringify(smtp.url)} (smtp://host:port or smtps://user:pass@host:465)`);
    }
    if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${u.protocol}//`);
    const secure = u.protocol === 'smtps:';
    return {
      host: u.hostname,
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    };
  }
  if (!smtp.host) throw new Error('outbox smtp needs a url or a host');
  return { host: smtp.host, port: smtp.port ?? (smtp.secure ? 465 : 587), secure: smtp.secure ?? false };
}
