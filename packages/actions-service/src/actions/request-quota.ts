/**
 * A2.10 Set agent request quota (P0). Preview: the snapshot's last 7 days of requests (the agent's,
 * or all for global) replayed through the quota in DuckDB SQL. Perform, in one transaction: the
 * `quotas` row (revision + 1), the registry's max_requests_per_minute (agent scope, period minute),
 * the audit row with before / after. The limiter (`POST /quota/check`) reads the new row at once
 * in this instance and within a second in others.
 */
import {
  QUOTA_PREVIEW_DAYS,
  QuotaCheckRequest,
  QuotaCheckResponse,
  QuotaPreview,
  QuotaPreviewInput,
  RequestQuotaInput,
  RequestQuotaResult,
} from '@usage-analytics/actions';
import { timingSafeEqual, createHash } from 'node:crypto';
import { z } from 'zod';
import { audit } from '../audit.js';
import type { Db, Queryable } from '../db.js';
import { HttpError } from '../errors.js';
import { IDEMPOTENCY_HEADERS, claimKey, requestHash, storeAnswer } from '../idempotency.js';
import { QUOTA_COLUMNS, GLOBAL_KEY, type QuotaLimiter, type QuotaRow } from '../quota-limiter.js';
import { getAgent } from '../registry.js';
import type { UsageData } from '../usage-data.js';
import { authorise, type Caller } from './authorise.js';
import { ERRORS, callerOf, type ActionRoutes } from './context.js';

const ACTION = 'request-quota';

/** The answer plus where the check stood: `ticket` = its count in its window, `queueSeq` = its place in the queue (order checks). */
const QuotaCheckResponseWithOrder = QuotaCheckResponse.extend({ ticket: z.number().optional(), queueSeq: z.number().optional() });
type Input = z.output<typeof RequestQuotaInput>;

/** Role and scope: an agent's department must be the caller's; global needs every department (`*`). */
async function authoriseQuota(db: Db, caller: Caller, input: Input): Promise<{ department: string | null }> {
  if (input.scope === 'global') {
    await authorise(db, caller, ACTION, { fleet: true });
    return { department: null };
  }
  const agentId = input.agentId!;
  const agent = await getAgent(db, agentId);
  if (!agent) throw new HttpError(404, 'not_found', `no agent "${agentId}" in the registry`, 'agentId');
  await authorise(db, caller, ACTION, { agentId, department: agent.department_id });
  return { department: agent.department_id };
}

const scopeKey = (input: Input) => (input.scope === 'global' ? GLOBAL_KEY : input.agentId!);

async function currentQuota(q: Queryable, key: string, forUpdate = false): Promise<QuotaRow | undefined> {
  return (await q.query<QuotaRow>(`SELECT ${QUOTA_COLUMNS} FROM quotas WHERE scope_key = $1${forUpdate ? ' FOR UPDATE' : ''}`, [key])).rows[0];
}

export async function previewQuota(db: Db, usage: UsageData, caller: Caller, input: Input): Promise<QuotaPreview> {
  const { department } = await authoriseQuota(db, caller, input);
  const wait = input.overage === 'queue' ? (input.maxQueueWaitMs ?? 1_000) : null;
  const r = await usage.quotaReplay(
    input.scope === 'global' ? null : input.agentId!,
    { limit: input.limit, period: input.period, maxQueueWaitMs: wait },
    QUOTA_PREVIEW_DAYS,
  );
  const cur = await currentQuota(db, scopeKey(input));
  const overage = input.overage;
  return {
    scope: input.scope,
    agentId: input.agentId ?? null,
    department,
    limit: input.limit,
    period: input.period,
    overage,
    maxQueueWaitMs: wait,
    window: r.window,
    requests: r.requests,
    admitted: r.admitted,
    queued: overage === 'queue' ? r.overWithinWait : 0,
    throttled: overage === 'throttle' ? r.over : 0,
    rejected: overage === 'reject' ? r.over : overage === 'queue' ? r.over - r.overWithinWait : 0,
    windowsOverLimit: r.windowsOverLimit,
    peakWindowRequests: r.peakWindowRequests,
    current: cur
      ? { limit: cur.limit_per_period, period: cur.period, overage: cur.overage, maxQueueWaitMs: cur.max_queue_wait_ms, revision: cur.revision }
      : null,
  };
}

export async function setQuota(
  db: Db,
  usage: UsageData,
  limiter: QuotaLimiter,
  caller: Caller,
  input: Input,
  idempotencyKey: string,
): Promise<RequestQuotaResult> {
  await authoriseQuota(db, caller, input);
  const key = scopeKey(input);
  const target = input.scope === 'global' ? GLOBAL_KEY : input.agentId!;
  const wait = input.overage === 'queue' ? (input.maxQueueWaitMs ?? 1_000) : null;
  const hash = requestHash(ACTION, input);
  try {
    const result = await db.transaction(async (tx) => {
      const replay = await claimKey(tx, caller.actor.userId, idempotencyKey, ACTION, hash);
      if (replay !== undefined) return { ...(replay as RequestQuotaResult), replayed: true };
      const before = (await currentQuota(tx, key, true)) ?? null;
      const registryBefore = input.scope === 'agent' ? await getAgent(tx, target, true) : undefined;
      const { rows } = await tx.query<{ revision: number }>(
        `INSERT INTO quotas AS q (scope_key, scope, agent_id, limit_per_period, period, overage, max_queue_wait_ms, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (scope_key) DO UPDATE SET limit_per_period = excluded.limit_per_period, period = excluded.period, overage = excluded.overage,
           max_queue_wait_ms = excluded.max_queue_wait_ms, updated_by = excluded.updated_by, updated_at = now(), revision = q.revision + 1
         RETURNING revision`,
        [key, input.scope, input.scope === 'agent' ? target : null, input.limit, input.period, input.overage, wait, caller.actor.userId],
      );
      let maxPerMinute: number | null = null;
      if (input.scope === 'agent' && input.period === 'minute') {
        await tx.query(
          `UPDATE agent_registry SET max_requests_per_minute = $2, source = 'action', revision = revision + 1, updated_at = now(), updated_by = $3 WHERE agent_id = $1`,
          [target, input.limit, caller.actor.userId],
        );
        maxPerMinute = input.limit;
      } else if (registryBefore && registryBefore.max_requests_per_minute !== null) {
        // A per-hour or per-day quota replaces the per-minute limit: the registry (and the next
        // snapshot's agents table) must not go on showing a limit that is no longer enforced.
        await tx.query(
          `UPDATE agent_registry SET max_requests_per_minute = NULL, source = 'action', revision = revision + 1, updated_at = now(), updated_by = $2 WHERE agent_id = $1`,
          [target, caller.actor.userId],
        );
      }
      const after = { limit_per_period: input.limit, period: input.period, overage: input.overage, max_queue_wait_ms: wait, revision: rows[0].revision };
      const auditId = await audit(tx, {
        actor: caller.actor,
        action: ACTION,
        target,
        outcome: 'done',
        status: 200,
        before: { quota: before, maxRequestsPerMinute: registryBefore?.max_requests_per_minute ?? null },
        after: { quota: after, maxRequestsPerMinute: maxPerMinute, snapshot: usage.snapshotId },
        idempotencyKey,
      });
      await tx.query('UPDATE quotas SET audit_id = $2 WHERE scope_key = $1', [key, auditId]);
      const out: RequestQuotaResult = {
        action: ACTION,
        auditId,
        replayed: false,
        scope: input.scope,
        agentId: input.scope === 'agent' ? target : null,
        limit: input.limit,
        period: input.period,
        overage: input.overage,
        maxQueueWaitMs: wait,
        revision: rows[0].revision,
        maxRequestsPerMinute: maxPerMinute,
      };
      await storeAnswer(tx, caller.actor.userId, idempotencyKey, out);
      return out;
    });
    limiter.invalidate();
    return result;
  } catch (e) {
    if (e instanceof HttpError && e.status === 409 && e.field !== 'Idempotency-Key') {
      await audit(db, { actor: caller.actor, action: ACTION, target, outcome: 'conflict', status: 409, reason: e.message });
    }
    throw e;
  }
}

/** Compares the gateway's key in constant time (hashing first makes the lengths equal). */
export function gatewayKeyMatches(given: string | undefined, expected: string): boolean {
  const a = createHash('sha256')
    .update(given ?? '')
    .digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given !== undefined;
}

export const requestQuotaRoutes: ActionRoutes = (app, { db, usage, limiter, gatewayKey }) => {
  app.post(
    '/v1/actions/request-quota/preview',
    {
      schema: {
        summary: "A2.10 impact: last week's requests replayed through the quota (admitted, queued, throttled, rejected)",
        body: QuotaPreviewInput,
        response: { 200: QuotaPreview, ...ERRORS },
      },
    },
    async (req) => previewQuota(db, usage, callerOf(req), req.body),
  );
  app.post(
    '/v1/actions/request-quota',
    {
      schema: {
        summary: 'A2.10 Set agent request quota: per agent or global, per minute / hour / day, queue / reject / throttle',
        headers: IDEMPOTENCY_HEADERS,
        body: RequestQuotaInput,
        response: { 200: RequestQuotaResult, ...ERRORS },
      },
    },
    async (req) => setQuota(db, usage, limiter, callerOf(req), req.body, req.headers['idempotency-key']),
  );
  app.post(
    '/quota/check',
    {
      schema: {
        summary: 'The gateway asks whether to forward one request of an agent (authenticated by the x-gateway-key header)',
        security: [],
        body: QuotaCheckRequest,
        response: { 200: QuotaCheckResponseWithOrder, ...ERRORS, 503: ERRORS[400] },
      },
    },
    async (req) => {
      if (!gatewayKey) throw new HttpError(503, 'unavailable', 'GATEWAY_KEY is not configured: the quota check is off');
      const given = req.headers['x-gateway-key'];
      if (!gatewayKeyMatches(typeof given === 'string' ? given : undefined, gatewayKey))
        throw new HttpError(given ? 403 : 401, given ? 'forbidden' : 'unauthorized', 'a valid x-gateway-key header is required', 'x-gateway-key');
      return limiter.check(req.body.agentId);
    },
  );
};
