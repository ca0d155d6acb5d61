/**
 * `GET /v1/notices`: the caller's in-app notices (written by the outbox worker), newest first.
 * `GET /v1/outbox/status`: how much is queued, delivered and failed, per kind (operators: monitoring,
 * and the kill -9 test's "drained" condition when the database is PGlite inside the service).
 */
import { z } from 'zod';
import { ERRORS, callerOf, type App } from '../actions/context.js';
import { HttpError } from '../errors.js';
import type { Db } from '../db.js';

export const Notice = z.object({
  id: z.string(),
  subject: z.string(),
  /** Plain text: the client shows it as text, never as HTML. */
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

/** Both routes (registered by the app). */
export function outboxRoutes(app: App, ctx: { db: Db }): void {
  noticesRoute(app, ctx);
  outboxStatusRoute(app, ctx);
}

export function noticesRoute(app: App, { db }: { db: Db }): void {
  app.get(
    '/v1/notices',
    {
      schema: {
        summary: "The caller's in-app notices, newest first",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.array(Notice), ...ERRORS },
      },
    },
    async (req) => {
      const { actor } = callerOf(req);
      const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
      const { rows } = await db.query<z.infer<typeof Notice>>(
        `SELECT id::text AS id, subject, body, link, ${iso('created_at')} AS "createdAt", ${iso('read_at')} AS "readAt"
         FROM in_app_notices WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
        [actor.userId, req.query.limit],
      );
      return rows;
    },
  );
}

/** Roles that may read the outbox's counts. */
const OPERATORS = ['platform_architect', 'devops', 'director_ai_ml'];

const Counts = z.object({ pending: z.number(), delivered: z.number(), failed: z.number() });
export const OutboxStatus = z.object({ email: Counts, in_app: Counts, webhook: Counts });

export function outboxStatusRoute(app: App, { db }: { db: Db }): void {
  app.get(
    '/v1/outbox/status',
    { schema: { summary: 'Outbox rows per kind: pending, delivered, failed (operators)', response: { 200: OutboxStatus, ...ERRORS } } },
    async (req) => {
      const { actor } = callerOf(req);
      if (!actor.roles.some((r) => OPERATORS.includes(r))) throw new HttpError(403, 'forbidden', `the outbox status is for ${OPERATORS.join(', ')}`);
      const { rows } = await db.query<{ kind: 'email' | 'in_app' | 'webhook'; pending: number; delivered: number; failed: number }>(
        `SELECT kind, count(*) FILTER (WHERE delivered_at IS NULL AND failed_at IS NULL)::int AS pending,
                count(delivered_at)::int AS delivered, count(failed_at)::int AS failed
         FROM outbox GROUP BY kind`,
      );
      const out = {
        email: { pending: 0, delivered: 0, failed: 0 },
        in_app: { pending: 0, delivered: 0, failed: 0 },
        webhook: { pending: 0, delivered: 0, failed: 0 },
      };
      for (const r of rows) out[r.kind] = { pending: r.pending, delivered: r.delivered, failed: r.failed };
      return out;
    },
  );
}
