/** The audit log: one row per decision (done, denied, invalid, conflict), who, what, before / after, when. */
import type { Actor } from './auth.js';
import type { Queryable } from './db.js';

export interface AuditEntry {
  actor: Actor | { userId: string; roles?: string[] };
  action: string;
  target?: string | null;
  outcome: 'done' | 'denied' | 'invalid' | 'conflict';
  status: number;
  reason?: string;
  before?: unknown;
  after?: unknown;
  idempotencyKey?: string;
}

/** Writes one audit row (in the caller's transaction when given one); returns its id. */
export async function audit(q: Queryable, e: AuditEntry): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO audit_log (actor, roles, action, target, outcome, status, reason, before, after, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id::text AS id`,
    [
      e.actor.userId,
      e.actor.roles ?? [],
      e.action,
      e.target ?? null,
      e.outcome,
      e.status,
      e.reason ?? null,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      e.idempotencyKey ?? null,
    ],
  );
  return rows[0].id;
}
