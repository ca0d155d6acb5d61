/**
 * A2.5 Set capacity threshold alert (P0). A rule per resource × environment ('*' = every
 * environment, the worst one counts) with warning / critical thresholds in % of max or absolute
 * units. Preview: what the rule would say over the snapshot. Perform: the rule stored (a new
 * revision replaces the old), audited, idempotent. `evaluateAlerts` turns the snapshot's samples into
 * state transitions and notices; `GET /v1/alerts` gives 2.13's gauges each rule's state.
 */
import {
  ALERT_PREVIEW_DAYS,
  AlertStates,
  CapacityAlertInput,
  CapacityAlertPreview,
  CapacityAlertPreviewInput,
  CapacityAlertResult,
  ErrorBody,
  type AlertState,
  type AlertStatus,
  type Threshold,
} from '@usage-analytics/actions';
import { literal, timestamp } from '@usage-analytics/queries';
import { z } from 'zod';
import { audit } from '../audit.js';
import type { Db, Queryable } from '../db.js';
import { IDEMPOTENCY_HEADERS, claimKey, requestHash, storeAnswer } from '../idempotency.js';
import type { UsageData } from '../usage-data.js';
import { authorise, type Caller } from './authorise.js';
import { ERRORS, callerOf, type ActionRoutes } from './context.js';

const ACTION = 'capacity-alert';
const DAY = 86_400_000;
/** The stored environment of a global rule (a UNIQUE column cannot hold NULL as a value). */
const ALL = '*';

type RuleInput = z.output<typeof CapacityAlertInput>;
type Thresholds = { warning: Threshold; critical: Threshold };

/** One point of a rule's series: a sample time (epoch ms) and the value in the rule's unit. */
export interface AlertSample {
  at: number;
  value: number;
}

/** The status of a value against the thresholds (critical first; both inclusive, as 2.13's gauges). */
export function statusOf(value: number, t: Thresholds): AlertStatus {
  return value >= t.critical.value ? 'critical' : value >= t.warning.value ? 'warning' : 'ok';
}

/**
 * DuckDB SQL of a rule's series: per sample time, the value in the rule's unit (% of max_capacity,
 * or current_usage), the highest over the rule's environments (a global rule is as bad as its worst
 * environment). % samples without a capacity (max ≤ 0) are left out, as 2.13 leaves them out.
 */
function seriesSql(resourceType: string, environment: string | null, unit: Threshold['unit'], end: Date): string {
  const value = unit === 'pct' ? '100 * current_usage / max_capacity' : 'current_usage';
  const env = environment === null ? '' : ` AND environment::VARCHAR = ${literal(environment).text}`;
  const cap = unit === 'pct' ? ' AND max_capacity > 0' : '';
  return `SELECT ts, max(v) AS v FROM (SELECT ts, ${value} AS v FROM capacity
     WHERE resource_type::VARCHAR = ${literal(resourceType).text}${env}${cap} AND ts < ${timestamp(end).text}) GROUP BY ts`;
}

const num = (x: number) => literal(x).text;

export async function previewAlert(db: Db, usage: UsageData, caller: Caller, input: RuleInput): Promise<CapacityAlertPreview> {
  const environment = input.environment ?? null;
  await authorise(db, caller, ACTION, environment === null ? { fleet: true } : {});
  const end = new Date(usage.timeRange.end);
  const start = new Date(end.getTime() - ALERT_PREVIEW_DAYS * DAY);
  const status = `CASE WHEN v >= ${num(input.critical.value)} THEN 2 WHEN v >= ${num(input.warning.value)} THEN 1 ELSE 0 END`;
  const [r] = await usage.query(
    `WITH s AS (${seriesSql(input.resourceType, environment, input.warning.unit, end)}),
          st AS (SELECT ts, v, ${status} AS s FROM s),
          l AS (SELECT ts, s, lag(s) OVER (ORDER BY ts) AS p FROM st),
          h AS (SELECT date_trunc('hour', ts) AS h, max(s) AS m FROM st WHERE ts >= ${timestamp(start).text} GROUP BY 1),
          cur AS (SELECT ts, v FROM st ORDER BY ts DESC LIMIT 1)
     SELECT (SELECT epoch_ms(ts) FROM cur) AS cur_at, (SELECT v FROM cur) AS cur_v,
            (SELECT count(*) FILTER (WHERE m = 1) FROM h)::BIGINT AS warn_h, (SELECT count(*) FILTER (WHERE m = 2) FROM h)::BIGINT AS crit_h,
            (SELECT epoch_ms(max(ts)) FROM l WHERE s > 0 AND coalesce(p, 0) = 0) AS fired`,
  );
  const { rows } = await db.query<{ revision: number }>('SELECT revision FROM alert_rules WHERE resource_type = $1 AND environment = $2', [
    input.resourceType,
    environment ?? ALL,
  ]);
  const curAt = r.cur_at === null || r.cur_at === undefined ? null : Number(r.cur_at);
  return {
    resourceType: input.resourceType,
    environment,
    window: { start: start.toISOString(), end: end.toISOString() },
    current: curAt === null ? null : { at: new Date(curAt).toISOString(), value: Number(r.cur_v), status: statusOf(Number(r.cur_v), input) },
    hoursInWarning: Number(r.warn_h),
    hoursInCritical: Number(r.crit_h),
    lastFired: r.fired === null || r.fired === undefined ? null : new Date(Number(r.fired)).toISOString(),
    replacesRevision: rows[0]?.revision ?? null,
  };
}

interface RuleRow {
  id: string;
  resource_type: string;
  environment: string;
  name: string | null;
  warning: Threshold;
  critical: Threshold;
  channels: RuleInput['channels'];
  escalation: RuleInput['escalation'] | null;
  revision: number;
  state: AlertStatus;
  updated_by: string;
}

const RULE_COLUMNS = `id::text AS id, resource_type, environment, name, warning, critical, channels, escalation, revision, state, updated_by`;

export async function setCapacityAlert(db: Db, caller: Caller, input: RuleInput, idempotencyKey: string): Promise<CapacityAlertResult> {
  const environment = input.environment ?? null;
  const env = environment ?? ALL;
  const target = `${input.resourceType}@${env}`;
  await authorise(db, caller, ACTION, environment === null ? { fleet: true } : {});
  const hash = requestHash(ACTION, input);
  return db.transaction(async (tx) => {
    const replay = await claimKey(tx, caller.actor.userId, idempotencyKey, ACTION, hash);
    if (replay !== undefined) return { ...(replay as CapacityAlertResult), replayed: true };
    const { rows: prev } = await tx.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE resource_type = $1 AND environment = $2 FOR UPDATE`, [
      input.resourceType,
      env,
    ]);
    const rule = {
      name: input.name ?? null,
      warning: input.warning,
      critical: input.critical,
      channels: input.channels,
      escalation: input.escalation ?? null,
    };
    // A new revision keeps the announced state: the next evaluation compares against it, so a rule
    // change that makes the latest sample ok sends the recovery notice.
    const { rows } = await tx.query<{ id: string; revision: number }>(
      `INSERT INTO alert_rules (resource_type, environment, name, warning, critical, channels, escalation, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (resource_type, environment) DO UPDATE SET name = EXCLUDED.name, warning = EXCLUDED.warning, critical = EXCLUDED.critical,
         channels = EXCLUDED.channels, escalation = EXCLUDED.escalation, updated_by = EXCLUDED.updated_by, updated_at = now(),
         revision = alert_rules.revision + 1
       RETURNING id::text AS id, revision`,
      [
        input.resourceType,
        env,
        rule.name,
        JSON.stringify(rule.warning),
        JSON.stringify(rule.critical),
        JSON.stringify(rule.channels),
        rule.escalation === null ? null : JSON.stringify(rule.escalation),
        caller.actor.userId,
      ],
    );
    const { id, revision } = rows[0];
    const auditId = await audit(tx, {
      actor: caller.actor,
      action: ACTION,
      target,
      outcome: 'done',
      status: 200,
      before: prev[0] ?? null,
      after: { id, resourceType: input.resourceType, environment: env, revision, ...rule },
      idempotencyKey,
    });
    await tx.query('UPDATE alert_rules SET audit_id = $2 WHERE id = $1', [id, auditId]);
    const result: CapacityAlertResult = { action: ACTION, auditId, replayed: false, ruleId: id, revision, resourceType: input.resourceType, environment };
    await storeAnswer(tx, caller.actor.userId, idempotencyKey, result);
    return result;
  });
}

/** Every rule with its state, for 2.13's gauges. `escalated`: the current critical episode has been escalated. */
export async function alertStates(q: Queryable): Promise<AlertState[]> {
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT r.id::text AS id, r.name, r.resource_type, r.environment, r.warning, r.critical, r.revision, r.state, r.last_value,
            r.last_at, r.state_since, r.evaluated_at,
            r.state = 'critical' AND EXISTS (SELECT 1 FROM alert_events e WHERE e.rule_id = r.id AND e.kind = 'escalation'
              AND e.id > (SELECT coalesce(max(c.id), 0) FROM alert_events c WHERE c.rule_id = r.id AND c.kind = 'transition' AND c.to_state = 'critical')) AS escalated
     FROM alert_rules r ORDER BY r.resource_type, r.environment`,
  );
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());
  return rows.map((r) => ({
    ruleId: String(r.id),
    name: (r.name as string | null) ?? null,
    resourceType: String(r.resource_type),
    environment: r.environment === ALL ? null : String(r.environment),
    warning: r.warning as Threshold,
    critical: r.critical as Threshold,
    revision: Number(r.revision),
    state: r.state as AlertStatus,
    value: r.last_value === null ? null : Number(r.last_value),
    at: iso(r.last_at),
    since: iso(r.state_since),
    escalated: Boolean(r.escalated),
    evaluatedAt: iso(r.evaluated_at),
  }));
}

export interface EvaluateOptions {
  /** The series of a rule (tests inject one); default the snapshot's samples before `now`. */
  series?: (rule: { resourceType: string; environment: string | null; unit: Threshold['unit'] }) => Promise<AlertSample[]> | AlertSample[];
}

export interface EvaluationSummary {
  rules: number;
  transitions: number;
  escalations: number;
  noticesQueued: number;
}

/** The series of a rule from the snapshot: the last 8 days (escalation waits at most 7) before `now`. */
async function snapshotSeries(usage: UsageData, resourceType: string, environment: string | null, unit: Threshold['unit'], now: Date) {
  const end = new Date(Math.min(now.getTime() + 1, Date.parse(usage.timeRange.end)));
  const rows = await usage.query(
    `SELECT epoch_ms(ts) AS at, v FROM (${seriesSql(resourceType, environment, unit, end)}) WHERE ts >= ${timestamp(new Date(end.getTime() - 8 * DAY)).text} ORDER BY ts`,
  );
  return rows.map((r) => ({ at: Number(r.at), value: Number(r.v) }));
}

/**
 * Evaluates every rule against its latest sample. Guarantees: a transition event is written only
 * when the state differs from the one last announced, and its dedupe key (rule, revision, state,
 * sample time) makes a repeat evaluation of the same data write nothing — so notices go out once per
 * transition, into warning / critical and back to ok (recovery). While critical has lasted
 * `escalation.afterMinutes` in sample time, one escalation goes out per critical episode (its key
 * is the episode's transition event). Each rule in its own transaction, its row locked, so two
 * evaluators at once do not announce twice.
 */
export async function evaluateAlerts(db: Db, usage: UsageData, now: Date, options: EvaluateOptions = {}): Promise<EvaluationSummary> {
  const summary: EvaluationSummary = { rules: 0, transitions: 0, escalations: 0, noticesQueued: 0 };
  const { rows: ids } = await db.query<{ id: string }>('SELECT id::text AS id FROM alert_rules ORDER BY id');
  for (const { id } of ids) {
    summary.rules++;
    // Read the rule first (outside the lock) to fetch its series; re-read under the lock.
    const { rows: peek } = await db.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE id = $1`, [id]);
    if (!peek[0]) continue;
    const environment = peek[0].environment === ALL ? null : peek[0].environment;
    const unit = peek[0].warning.unit;
    const series = options.series
      ? [...(await options.series({ resourceType: peek[0].resource_type, environment, unit }))].sort((a, b) => a.at - b.at)
      : await snapshotSeries(usage, peek[0].resource_type, environment, unit, now);
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE id = $1 FOR UPDATE`, [id]);
      const rule = rows[0];
      if (!rule || rule.warning.unit !== unit) return; // changed meanwhile: the next run evaluates it
      if (!series.length) {
        await tx.query('UPDATE alert_rules SET evaluated_at = $2 WHERE id = $1', [id, now]);
        return;
      }
      const latest = series[series.length - 1];
      const status = statusOf(latest.value, rule);
      // Since when the series has been in this status (sample time): back over equal statuses.
      let since = latest.at;
      for (let i = series.length - 1; i >= 0 && statusOf(series[i].value, rule) === status; i--) since = series[i].at;
      if (status !== rule.state) {
        const key = `alert:${id}:r${rule.revision}:${status}:${latest.at}`;
        const { rows: ev } = await tx.query<{ id: string }>(
          `INSERT INTO alert_events (rule_id, revision, kind, from_state, to_state, value, at, dedupe_key)
           VALUES ($1, $2, 'transition', $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id::text AS id`,
          [id, rule.revision, rule.state, status, latest.value, new Date(latest.at), key],
        );
        if (ev.length) {
          summary.transitions++;
          const subject =
            status === 'ok' ? 'Recovered: {{resource}} ({{environment}}) is back to ok at {{value}}' : '{{state}}: {{resource}} ({{environment}}) at {{value}}';
          summary.noticesQueued += await queueNotices(
            tx,
            rule,
            key,
            subject,
            { state: status, from: rule.state, value: latest.value, at: latest.at },
            {
              email: rule.channels.email ?? [],
              inApp: rule.channels.inApp ? rule.updated_by : null,
              webhook: rule.channels.webhook ?? null,
            },
          );
        }
        await tx.query('UPDATE alert_rules SET state = $2, state_since = $3 WHERE id = $1', [id, status, new Date(since)]);
      }
      await tx.query('UPDATE alert_rules SET last_value = $2, last_at = $3, evaluated_at = $4 WHERE id = $1', [id, latest.value, new Date(latest.at), now]);
      const esc = rule.escalation;
      if (status === 'critical' && esc && latest.at - since >= esc.afterMinutes * 60_000) {
        const { rows: episode } = await tx.query<{ id: string }>(
          `SELECT max(id)::text AS id FROM alert_events WHERE rule_id = $1 AND kind = 'transition' AND to_state = 'critical'`,
          [id],
        );
        const key = `alert:${id}:escalation:${episode[0]?.id ?? 'none'}`;
        const { rows: ev } = await tx.query(
          `INSERT INTO alert_events (rule_id, revision, kind, from_state, to_state, value, at, dedupe_key)
           VALUES ($1, $2, 'escalation', 'critical', 'critical', $3, $4, $5) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
          [id, rule.revision, latest.value, new Date(latest.at), key],
        );
        if (ev.length) {
          summary.escalations++;
          summary.noticesQueued += await queueNotices(
            tx,
            rule,
            key,
            'Escalation: {{resource}} ({{environment}}) critical for {{minutes}} minutes, at {{value}}',
            { state: 'critical', from: 'critical', value: latest.value, at: latest.at, minutes: Math.round((latest.at - since) / 60_000) },
            { email: esc.to.email ?? [], inApp: null, webhook: esc.to.webhook ?? null },
          );
        }
      }
    });
  }
  return summary;
}

/** One template and one outbox row per recipient, keyed on the event's key (a retry cannot queue twice). */
async function queueNotices(
  tx: Queryable,
  rule: RuleRow,
  eventKey: string,
  subject: string,
  event: { state: string; from: string; value: number; at: number; minutes?: number },
  to: { email: string[]; inApp: string | null; webhook: string | null },
): Promise<number> {
  const unit = rule.warning.unit === 'pct' ? '%' : '';
  const vars = {
    rule: rule.name ?? `${rule.resource_type} ${rule.environment}`,
    resource: rule.resource_type,
    environment: rule.environment === ALL ? 'all environments' : rule.environment,
    state: event.state,
    from: event.from,
    value: `${Math.round(event.value * 100) / 100}${unit}`,
    at: new Date(event.at).toISOString(),
    warning: `${rule.warning.value}${unit}`,
    critical: `${rule.critical.value}${unit}`,
    minutes: event.minutes ?? null,
  };
  const { rows: tpl } = await tx.query<{ id: string }>(`INSERT INTO message_templates (subject, body, vars) VALUES ($1, $2, $3) RETURNING id::text AS id`, [
    subject,
    'Alert "{{rule}}": {{resource}} in {{environment}} is {{state}} (was {{from}}) at {{value}} ({{at}}). Warning at {{warning}}, critical at {{critical}}.',
    JSON.stringify(vars),
  ]);
  const rows: { kind: string; key: string; payload: unknown }[] = [];
  for (const email of new Set(to.email)) rows.push({ kind: 'email', key: `${eventKey}:email:${email}`, payload: { template: tpl[0].id, email } });
  if (to.inApp) rows.push({ kind: 'in_app', key: `${eventKey}:in_app:${to.inApp}`, payload: { template: tpl[0].id, userId: to.inApp } });
  if (to.webhook)
    rows.push({
      kind: 'webhook',
      key: `${eventKey}:webhook`,
      payload: { template: tpl[0].id, url: to.webhook, body: { alert: { ruleId: rule.id, ...vars } } },
    });
  let n = 0;
  for (const r of rows) {
    const ins = await tx.query(`INSERT INTO outbox (kind, dedupe_key, payload) VALUES ($1, $2, $3) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`, [
      r.kind,
      r.key,
      JSON.stringify(r.payload),
    ]);
    n += ins.rows.length;
  }
  return n;
}

export const capacityAlertRoutes: ActionRoutes = (app, { db, usage }) => {
  app.post(
    '/v1/actions/capacity-alert/preview',
    {
      schema: {
        summary: 'A2.5 what the rule would say now and over the last 30 days of the snapshot',
        body: CapacityAlertPreviewInput,
        response: { 200: CapacityAlertPreview, ...ERRORS },
      },
    },
    async (req) => previewAlert(db, usage, callerOf(req), req.body),
  );
  app.post(
    '/v1/actions/capacity-alert',
    {
      schema: {
        summary: 'A2.5 Set capacity threshold alert: the rule for a resource × environment (a new revision replaces the old)',
        headers: IDEMPOTENCY_HEADERS,
        body: CapacityAlertInput,
        response: { 200: CapacityAlertResult, ...ERRORS },
      },
    },
    async (req) => setCapacityAlert(db, callerOf(req), req.body, req.headers['idempotency-key']),
  );
  app.get(
    '/v1/alerts',
    { schema: { summary: "Alert rules and their current state (2.13's gauges); any signed-in user", response: { 200: AlertStates, 401: ErrorBody } } },
    async (req) => {
      callerOf(req);
      return { alerts: await alertStates(db) };
    },
  );
};
