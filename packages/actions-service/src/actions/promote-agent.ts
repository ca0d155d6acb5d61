/**
 * A2.1 Promote agent (P1). Preview: how many users the audience (departments × engagement
 * segments, as of the snapshot's end) holds, leaving out those who already use the agent. Perform,
 * in one transaction: a campaign row with the agent's 30-day baseline (users, requests), so its
 * reach can be measured later against the adoption curve (2.10); e-mail and in-app notices per
 * audience user through the outbox; the docs banner stored with the campaign; the audit row.
 */
import { PromoteAgentInput, PromoteAgentResult, PromotePreview, PromotePreviewInput, utcDay } from '@usage-analytics/actions';
import { z } from 'zod';
import { audit } from '../audit.js';
import type { Db } from '../db.js';
import { HttpError } from '../errors.js';
import { IDEMPOTENCY_HEADERS, claimKey, requestHash, storeAnswer } from '../idempotency.js';
import { getAgent } from '../registry.js';
import type { AudienceUser, UsageData } from '../usage-data.js';
import { authorise, type Caller } from './authorise.js';
import { ERRORS, callerOf, type ActionRoutes } from './context.js';

const ACTION = 'promote-agent';

type Audience = z.output<typeof PromoteAgentInput>['audience'];

/** The departments the audience may span: the requested ones (each must be the caller's), else all the caller's. */
async function audienceDepartments(db: Db, caller: Caller, agentId: string, requested: readonly string[]): Promise<string[]> {
  const mine = caller.actor.departments;
  if (requested.length === 0) return mine.includes('*') ? [] : [...mine];
  if (mine.includes('*')) return [...requested];
  const outside = requested.filter((d) => !mine.includes(d));
  if (outside.length) {
    const reason = `the audience includes department(s) ${outside.map((d) => `"${d}"`).join(', ')}, not yours (${mine.join(', ') || 'none'})`;
    await audit(db, { actor: caller.actor, action: ACTION, target: agentId, outcome: 'denied', status: 403, reason });
    throw new HttpError(403, 'forbidden', reason, 'audience.departments');
  }
  return [...requested];
}

async function resolve(db: Db, usage: UsageData, caller: Caller, agentId: string, audience: Audience) {
  const agent = await getAgent(db, agentId);
  if (!agent) throw new HttpError(404, 'not_found', `no agent "${agentId}" in the registry`, 'agentId');
  await authorise(db, caller, ACTION, { agentId, department: agent.department_id });
  if (agent.status === 'deprecated' || agent.status === 'archived') {
    throw new HttpError(409, 'conflict', `"${agentId}" is ${agent.status}: promote its replacement instead`, 'agentId');
  }
  const departments = await audienceDepartments(db, caller, agentId, audience.departments);
  const everyone = await usage.audience(agentId, departments, audience.segments);
  const users = audience.excludeCurrentUsers ? everyone.filter((u) => !u.current) : everyone;
  return { agent, users, currentUsers: everyone.filter((u) => u.current).length };
}

function countBy(users: readonly AudienceUser[], key: (u: AudienceUser) => string) {
  const m = new Map<string, number>();
  for (const u of users) m.set(key(u), (m.get(key(u)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export async function previewPromotion(db: Db, usage: UsageData, caller: Caller, agentId: string, audience: Audience): Promise<PromotePreview> {
  const { users, currentUsers } = await resolve(db, usage, caller, agentId, audience);
  const base = await usage.agentUsage(agentId, 30);
  return {
    agentId,
    audienceSize: users.length,
    currentUsers,
    departments: countBy(users, (u) => u.department ?? 'Unknown').map(([department, n]) => ({ department, users: n })),
    segments: countBy(users, (u) => u.segment).map(([segment, n]) => ({ segment, users: n })),
    baseline: { users: base.users.length, requests: base.requests, window: base.window },
  };
}

export async function promoteAgent(
  db: Db,
  usage: UsageData,
  caller: Caller,
  input: z.output<typeof PromoteAgentInput>,
  idempotencyKey: string,
  now: Date,
): Promise<PromoteAgentResult> {
  const startsOn = utcDay(now);
  if (input.endsOn && input.endsOn < startsOn) {
    await audit(db, { actor: caller.actor, action: ACTION, target: input.agentId, outcome: 'invalid', status: 400, reason: 'endsOn before today' });
    throw new HttpError(400, 'validation', `endsOn: ${startsOn} or later`, 'endsOn', [{ field: 'endsOn', message: `${startsOn} or later` }]);
  }
  if (input.channels.includes('docs') && !input.docsBanner?.trim()) {
    throw new HttpError(400, 'validation', 'docsBanner: required for the docs channel', 'docsBanner', [
      { field: 'docsBanner', message: 'required for the docs channel' },
    ]);
  }
  const { agent, users } = await resolve(db, usage, caller, input.agentId, input.audience);
  const base = await usage.agentUsage(input.agentId, 30);
  const hash = requestHash(ACTION, input);
  return db.transaction(async (tx) => {
    const replay = await claimKey(tx, caller.actor.userId, idempotencyKey, ACTION, hash);
    if (replay !== undefined) return { ...(replay as PromoteAgentResult), replayed: true };
    const baseline = { users: base.users.length, requests: base.requests, window: base.window, snapshot: usage.snapshotId };
    const { rows: c } = await tx.query<{ id: string }>(
      `INSERT INTO campaigns (agent_id, channels, audience, subject, body, docs_banner, starts_on, ends_on, audience_size, baseline, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id::text AS id`,
      [
        input.agentId,
        input.channels,
        JSON.stringify(input.audience),
        input.message.subject,
        input.message.body,
        input.docsBanner ?? null,
        startsOn,
        input.endsOn ?? null,
        users.length,
        JSON.stringify(baseline),
        caller.actor.userId,
      ],
    );
    const campaignId = c[0].id;
    const auditId = await audit(tx, {
      actor: caller.actor,
      action: ACTION,
      target: input.agentId,
      outcome: 'done',
      status: 200,
      before: { agent: { status: agent.status } },
      after: { campaignId, channels: input.channels, audience: input.audience, audienceSize: users.length, baseline },
      idempotencyKey,
    });
    await tx.query('UPDATE campaigns SET audit_id = $2 WHERE id = $1', [campaignId, auditId]);
    const kinds = input.channels.filter((ch) => ch === 'email' || ch === 'in_app');
    let queued = 0;
    if (kinds.length && users.length) {
      const { rows: tpl } = await tx.query<{ id: string }>(`INSERT INTO message_templates (subject, body, vars) VALUES ($1, $2, $3) RETURNING id::text AS id`, [
        input.message.subject,
        input.message.body,
        JSON.stringify({ agent: agent.agent_name, agentId: agent.agent_id, campaign: campaignId }),
      ]);
      const r = await tx.query<{ n: number }>(
        `WITH ins AS (
           INSERT INTO outbox (kind, dedupe_key, payload, audit_id)
           SELECT k.kind, $1 || ':' || u.user_id || ':' || k.kind,
                  jsonb_build_object('template', $2::bigint, 'userId', u.user_id, 'email', u.email, 'department', u.department, 'campaign', $3::bigint), $4
           FROM unnest($5::text[], $6::text[], $7::text[]) AS u(user_id, email, department)
           CROSS JOIN unnest($8::text[]) AS k(kind)
           RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [
          `${ACTION}:c${campaignId}`,
          tpl[0].id,
          campaignId,
          auditId,
          users.map((u) => u.userId),
          users.map((u) => u.email),
          users.map((u) => u.department),
          kinds,
        ],
      );
      queued = r.rows[0].n;
    }
    const result: PromoteAgentResult = {
      action: ACTION,
      auditId,
      replayed: false,
      campaignId,
      agentId: input.agentId,
      channels: input.channels,
      audienceSize: users.length,
      notificationsQueued: queued,
      startsOn,
      endsOn: input.endsOn ?? null,
    };
    await storeAnswer(tx, caller.actor.userId, idempotencyKey, result);
    return result;
  });
}

const Campaign = z.object({
  id: z.string(),
  agent_id: z.string(),
  channels: z.array(z.string()),
  audience_size: z.number(),
  starts_on: z.string(),
  ends_on: z.string().nullable(),
  docs_banner: z.string().nullable(),
  baseline: z.object({ users: z.number(), requests: z.number(), window: z.object({ start: z.string(), end: z.string() }), snapshot: z.string() }),
  created_by: z.string(),
});

export const promoteAgentRoutes: ActionRoutes = (app, { db, usage, now }) => {
  app.post(
    '/v1/actions/promote-agent/preview',
    {
      schema: {
        summary: 'A2.1 audience: its size by department and segment, and the agent’s 30-day baseline',
        body: PromotePreviewInput,
        response: { 200: PromotePreview, ...ERRORS },
      },
    },
    async (req) => previewPromotion(db, usage, callerOf(req), req.body.agentId, req.body.audience),
  );
  app.post(
    '/v1/actions/promote-agent',
    {
      schema: {
        summary: 'A2.1 Promote agent: a campaign (e-mail, in-app, docs banner) to an audience, stored with its baseline',
        headers: IDEMPOTENCY_HEADERS,
        body: PromoteAgentInput,
        response: { 200: PromoteAgentResult, ...ERRORS },
      },
    },
    async (req) => promoteAgent(db, usage, callerOf(req), req.body, req.headers['idempotency-key'], now()),
  );
  app.get(
    '/v1/campaigns',
    {
      schema: {
        summary: 'Promotion campaigns (newest first) with their baseline, for measuring reach (2.10)',
        querystring: z.object({ agentId: z.string().max(200).optional() }),
        response: { 200: z.array(Campaign), ...ERRORS },
      },
    },
    async (req) =>
      (
        await db.query<z.infer<typeof Campaign>>(
          `SELECT id::text AS id, agent_id, channels, audience_size, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on,
                  docs_banner, baseline, created_by
           FROM campaigns WHERE $1::text IS NULL OR agent_id = $1 ORDER BY id DESC LIMIT 500`,
          [req.query.agentId ?? null],
        )
      ).rows,
  );
};
