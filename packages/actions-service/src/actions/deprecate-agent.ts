/**
 * A2.2 Deprecate agent (P0). Preview: who used the agent in the snapshot's last 30 days. Perform, in
 * one transaction: the registry row becomes `deprecated` with its sunset and replacement, the
 * gradual routing rule is written, every affected user gets an e-mail and an in-app notice through
 * the outbox, and the audit row records before / after. Roles and department are checked first.
 */
import {
  DEPRECATION_NOTICE_DAYS,
  DeprecateAgentInput,
  DeprecateAgentResult,
  DeprecatePreview,
  DeprecatePreviewInput,
  deprecationIssues,
  routingSchedule,
} from '@usage-analytics/actions';
import { z } from 'zod';
import { audit } from '../audit.js';
import type { Db } from '../db.js';
import { HttpError, invalid } from '../errors.js';
import { IDEMPOTENCY_HEADERS, claimKey, requestHash, storeAnswer } from '../idempotency.js';
import { getAgent } from '../registry.js';
import type { UsageData } from '../usage-data.js';
import { authorise, type Caller } from './authorise.js';
import { ERRORS, callerOf, type ActionRoutes } from './context.js';

const ACTION = 'deprecate-agent';

export async function previewDeprecation(db: Db, usage: UsageData, caller: Caller, agentId: string): Promise<DeprecatePreview> {
  const agent = await getAgent(db, agentId);
  if (!agent) throw new HttpError(404, 'not_found', `no agent "${agentId}" in the registry`, 'agentId');
  await authorise(db, caller, ACTION, { agentId, department: agent.department_id });
  const u = await usage.agentUsage(agentId, DEPRECATION_NOTICE_DAYS);
  const byDept = new Map<string, { users: number; requests: number }>();
  for (const x of u.users) {
    const d = byDept.get(x.department ?? 'Unknown') ?? { users: 0, requests: 0 };
    d.users++;
    d.requests += x.requests;
    byDept.set(x.department ?? 'Unknown', d);
  }
  return {
    agentId,
    agentStatus: agent.status,
    department: agent.department_id,
    window: u.window,
    requests: u.requests,
    usersAffected: u.users.length,
    departments: [...byDept].map(([department, v]) => ({ department, ...v })).sort((a, b) => b.users - a.users || a.department.localeCompare(b.department)),
    topUsers: u.users.slice(0, 20).map((x) => ({ userId: x.userId, department: x.department, requests: x.requests, lastSeen: x.lastSeen })),
  };
}

export async function deprecateAgent(
  db: Db,
  usage: UsageData,
  caller: Caller,
  input: z.output<typeof DeprecateAgentInput>,
  idempotencyKey: string,
  now: Date,
): Promise<DeprecateAgentResult> {
  const target = input.agentId;
  const before0 = await getAgent(db, target);
  if (!before0) throw new HttpError(404, 'not_found', `no agent "${target}" in the registry`, 'agentId');
  await authorise(db, caller, ACTION, { agentId: target, department: before0.department_id });

  const issues = deprecationIssues(input, now);
  if (issues.length) {
    await audit(db, {
      actor: caller.actor,
      action: ACTION,
      target,
      outcome: 'invalid',
      status: 400,
      reason: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
    });
    throw invalid(issues);
  }
  // Read outside the transaction: the snapshot does not change under it.
  const affected = await usage.agentUsage(target, DEPRECATION_NOTICE_DAYS);
  const hash = requestHash(ACTION, input);

  try {
    return await db.transaction(async (tx) => {
      const replay = await claimKey(tx, caller.actor.userId, idempotencyKey, ACTION, hash);
      if (replay !== undefined) return { ...(replay as DeprecateAgentResult), replayed: true };

      const before = await getAgent(tx, target, true);
      if (!before) throw new HttpError(404, 'not_found', `no agent "${target}" in the registry`, 'agentId');
      if (before.status === 'deprecated' || before.status === 'archived') {
        throw new HttpError(
          409,
          'conflict',
          `"${target}" is already ${before.status}${before.sunset_date ? ` (sunset ${before.sunset_date})` : ''}`,
          'agentId',
        );
      }
      const replacement = await getAgent(tx, input.replacementAgentId);
      if (!replacement) throw invalid([{ field: 'replacementAgentId', message: `no agent "${input.replacementAgentId}" in the registry` }]);
      if (replacement.status !== 'active')
        throw invalid([{ field: 'replacementAgentId', message: `"${input.replacementAgentId}" is ${replacement.status}, not active` }]);

      const routing = routingSchedule(now, input.sunsetDate, input.weeklySharePct);
      const { rows: updated } = await tx.query<{ revision: number }>(
        `UPDATE agent_registry SET status = 'deprecated', sunset_date = $2, replacement_agent_id = $3, migration_guide_url = $4,
           source = 'action', revision = revision + 1, updated_at = now(), updated_by = $5
         WHERE agent_id = $1 RETURNING revision`,
        [target, input.sunsetDate, input.replacementAgentId, input.migrationGuideUrl, caller.actor.userId],
      );
      const after = {
        ...before,
        status: 'deprecated',
        sunset_date: input.sunsetDate,
        replacement_agent_id: input.replacementAgentId,
        migration_guide_url: input.migrationGuideUrl,
        revision: updated[0].revision,
      };
      const auditId = await audit(tx, {
        actor: caller.actor,
        action: ACTION,
        target,
        outcome: 'done',
        status: 200,
        before,
        after: { registry: after, routing, notification: input.notification, usersNotified: affected.users.length, snapshot: usage.snapshotId },
        idempotencyKey,
      });
      await tx.query(
        `INSERT INTO routing_rules (agent_id, replacement_agent_id, from_day, share_pct, audit_id)
         SELECT $1, $2, d::date, s, $5 FROM unnest($3::text[], $4::int[]) AS t(d, s)`,
        [target, input.replacementAgentId, routing.map((r) => r.from), routing.map((r) => r.sharePct), auditId],
      );
      const { rows: tpl } = await tx.query<{ id: string }>(`INSERT INTO message_templates (subject, body, vars) VALUES ($1, $2, $3) RETURNING id::text AS id`, [
        input.notification.subject,
        input.notification.body,
        JSON.stringify({
          agent: before.agent_name,
          agentId: target,
          replacement: replacement.agent_name,
          replacementId: replacement.agent_id,
          sunsetDate: input.sunsetDate,
          guide: input.migrationGuideUrl,
        }),
      ]);
      // Two notices per affected user, one statement; the dedupe key makes a repeat impossible.
      const users = affected.users;
      const prefix = `${ACTION}:${target}:r${updated[0].revision}`;
      await tx.query(
        `INSERT INTO outbox (kind, dedupe_key, payload, audit_id)
         SELECT k.kind, $1 || ':' || u.user_id || ':' || k.kind,
                jsonb_build_object('template', $2::bigint, 'userId', u.user_id, 'email', u.email, 'department', u.department), $3
         FROM unnest($4::text[], $5::text[], $6::text[]) AS u(user_id, email, department)
         CROSS JOIN (VALUES ('email'), ('in_app')) AS k(kind)`,
        [prefix, tpl[0].id, auditId, users.map((u) => u.userId), users.map((u) => u.email), users.map((u) => u.department)],
      );
      const result: DeprecateAgentResult = {
        action: ACTION,
        auditId,
        replayed: false,
        agentId: target,
        status: 'deprecated',
        sunsetDate: input.sunsetDate,
        replacementAgentId: input.replacementAgentId,
        routing,
        notificationsQueued: users.length * 2,
      };
      await storeAnswer(tx, caller.actor.userId, idempotencyKey, result);
      return result;
    });
  } catch (e) {
    if (e instanceof HttpError && (e.status === 409 || e.status === 400) && e.field !== 'Idempotency-Key') {
      await audit(db, { actor: caller.actor, action: ACTION, target, outcome: e.status === 409 ? 'conflict' : 'invalid', status: e.status, reason: e.message });
    }
    throw e;
  }
}

export const deprecateAgentRoutes: ActionRoutes = (app, { db, usage, now }) => {
  app.post(
    '/v1/actions/deprecate-agent/preview',
    {
      schema: {
        summary: 'A2.2 impact: users and departments of the agent in the last 30 days',
        body: DeprecatePreviewInput,
        response: { 200: DeprecatePreview, ...ERRORS },
      },
    },
    async (req) => previewDeprecation(db, usage, callerOf(req), req.body.agentId),
  );
  app.post(
    '/v1/actions/deprecate-agent',
    {
      schema: {
        summary: 'A2.2 Deprecate agent: status and sunset, gradual routing, notices to every affected user',
        headers: IDEMPOTENCY_HEADERS,
        body: DeprecateAgentInput,
        response: { 200: DeprecateAgentResult, ...ERRORS },
      },
    },
    async (req) => deprecateAgent(db, usage, callerOf(req), req.body, req.headers['idempotency-key'], now()),
  );
};
