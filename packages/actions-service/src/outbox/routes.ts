/** `GET /v1/notices`: the caller's in-app notices (written by the outbox worker), newest first. */
import { z } from 'zod';
import { ERRORS, callerOf, type App } from '../actions/context.js';
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

export function noticeRoutes(app: App, { db }: { db: Db }): void {
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
