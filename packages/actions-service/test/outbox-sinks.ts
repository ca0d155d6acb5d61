/**
 * Real receivers for the outbox tests: an SMTP server (`smtp-server`, messages parsed with
 * `mailparser`) and an HTTP server (node:http), both in the test process on 127.0.0.1, each
 * answering as the test tells it (accept, 4xx, 5xx), and recording what arrived.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Db } from '../src/db.js';

export interface Mail {
  messageId: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  contentType: string;
}

export interface SmtpSink {
  url: string;
  /** Messages accepted (250), in arrival order. */
  accepted: Mail[];
  /** Accepted messages per Message-ID (more than 1 = a raw redelivery). */
  counts: Map<string, number>;
  /** Messages answered with an error. */
  rejected: number;
  /** The SMTP code to answer a message with (undefined = accept). */
  answer: (mail: Mail) => number | undefined;
  /** The SMTP code to answer RCPT TO with (undefined = accept). */
  answerRcpt: (address: string) => number | undefined;
  /** Called after each accepted message. */
  onAccepted: (mail: Mail) => void;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: '',
    accepted: [],
    counts: new Map(),
    rejected: 0,
    answer: () => undefined,
    answerRcpt: () => undefined,
    onAccepted: () => undefined,
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 100,
    onRcptTo(address, _session, callback) {
      const code = sink.answerRcpt(address.address);
      callback(code ? smtpError(code, `recipient refused (${code})`) : null);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => {
          const mail: Mail = {
            messageId: m.messageId ? `<${m.messageId.replace(/^<|>$/g, '')}>` : '',
            to: (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).map((a) => a.text).join(', '),
            from: m.from?.text ?? '',
            subject: m.subject ?? '',
            text: (m.text ?? '').replace(/\n$/, ''),
            contentType: String(m.headers.get('content-type') && (m.headers.get('content-type') as { value: string }).value),
          };
          const code = sink.answer(mail);
          if (code) {
            sink.rejected++;
            callback(smtpError(code, `message refused (${code})`));
            return;
          }
          sink.accepted.push(mail);
          sink.counts.set(mail.messageId, (sink.counts.get(mail.messageId) ?? 0) + 1);
          callback(null);
          sink.onAccepted(mail);
        })
        .catch((e: Error) => callback(e));
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

export interface HttpCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface HttpSink {
  url: string;
  calls: HttpCall[];
  /** The status to answer a call with (default 200). */
  answer: (call: HttpCall) => number;
  close(): Promise<void>;
}

export async function startHttpSink(): Promise<HttpSink> {
  const sink: HttpSink = { url: '', calls: [], answer: () => 200, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const call: HttpCall = { path: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
      sink.calls.push(call);
      res.statusCode = sink.answer(call);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sink.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}

/** Waits until `check` is true, polling every `everyMs`; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A message template row; its id. */
export async function insertTemplate(db: Db, subject: string, body: string, vars: Record<string, unknown>): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO message_templates (subject, body, vars) VALUES ($1, $2, $3) RETURNING id::text AS id', [
    subject,
    body,
    JSON.stringify(vars),
  ]);
  return rows[0].id;
}

let seq = 0;
/** Queues one outbox row as an action would; its id. */
export async function queue(db: Db, kind: 'email' | 'in_app' | 'webhook', payload: Record<string, unknown>): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO outbox (kind, dedupe_key, payload) VALUES ($1, $2, $3) RETURNING id::text AS id', [
    kind,
    `test:${process.pid}:${Date.now()}:${seq++}`,
    JSON.stringify(payload),
  ]);
  return rows[0].id;
}

/** Queues `users` users × e-mail + in-app (one statement), like A2.2 does. */
export async function queueUsers(db: Db, template: string, users: number, prefix: string): Promise<void> {
  await db.query(
    `INSERT INTO outbox (kind, dedupe_key, payload)
     SELECT k.kind, $1 || ':' || g || ':' || k.kind,
            jsonb_build_object('template', $2::bigint, 'userId', 'user-' || g, 'email', 'user-' || g || '@example.com', 'department', 'D' || (g % 7))
     FROM generate_series(1, $3::int) AS g CROSS JOIN (VALUES ('email'), ('in_app')) AS k(kind)`,
    [prefix, template, users],
  );
}

export interface OutboxRow {
  id: string;
  kind: string;
  attempts: number;
  delivered: boolean;
  failed: boolean;
  last_error: string | null;
}

export async function outboxRow(db: Db, id: string): Promise<OutboxRow> {
  const { rows } = await db.query<OutboxRow>(
    `SELECT id::text AS id, kind, attempts, delivered_at IS NOT NULL AS delivered, failed_at IS NOT NULL AS failed, last_error FROM outbox WHERE id = $1`,
    [id],
  );
  return rows[0];
}
