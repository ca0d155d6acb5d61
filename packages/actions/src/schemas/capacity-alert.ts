/**
 * A2.5 Set capacity threshold alert (P0): input, preview, result, and the state 2.13's gauges show.
 * The cross-field rules (critical above warning in the same unit, % within 0–1000) live in the
 * schema's refinement so the dialog and the service refuse the same input with the same field.
 */
import { z } from 'zod';
import { Link, Performed, Text } from './common.js';

/** The snapshot's resource types (queries' RESOURCE_TYPES; repeated here: the actions package does not depend on queries). */
export const ALERT_RESOURCE_TYPES = ['api_rate_limit', 'compute', 'memory', 'tokens_per_min'] as const;
export const ALERT_ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export const ALERT_STATES = ['ok', 'warning', 'critical'] as const;
export type AlertStatus = (typeof ALERT_STATES)[number];

/** How far back the preview counts hours in warning / critical. */
export const ALERT_PREVIEW_DAYS = 30;

/** A threshold: `pct` = % of the sample's max_capacity (0–1000), `absolute` = usage in the resource's unit. */
export const Threshold = z.object({
  value: z.number({ error: 'a number' }).finite('a finite number').min(0, 'at least 0'),
  unit: z.enum(['pct', 'absolute'], { error: "'pct' or 'absolute'" }),
});
export type Threshold = z.infer<typeof Threshold>;

const Email = z
  .string()
  .trim()
  .max(320, 'at most 320 characters')
  .pipe(z.email({ error: 'an e-mail address' }));

export const AlertChannels = z.object({
  email: z.array(Email).max(50, 'at most 50 addresses').optional(),
  inApp: z.boolean().optional(),
  webhook: Link.optional(),
});

export const Escalation = z.object({
  /** Minutes critical must last (in sample time) before the escalation notice goes out; once per episode. */
  afterMinutes: z.number().int('whole minutes').min(1, 'at least 1 minute').max(10_080, 'at most 7 days'),
  to: z.object({ email: z.array(Email).max(50, 'at most 50 addresses').optional(), webhook: Link.optional() }),
});

const AlertRuleBase = z.object({
  resourceType: z.enum(ALERT_RESOURCE_TYPES, { error: `one of ${ALERT_RESOURCE_TYPES.join(', ')}` }),
  /** null or absent = every environment (a global rule: the worst environment's value counts). */
  environment: z.enum(ALERT_ENVIRONMENTS, { error: `one of ${ALERT_ENVIRONMENTS.join(', ')}, or null for all` }).nullish(),
  warning: Threshold,
  critical: Threshold,
  channels: AlertChannels,
  escalation: Escalation.optional(),
  name: Text(200).optional(),
});

/** The cross-field rules, shared by both sides; each issue names its field. */
export function alertRuleIssues(input: z.infer<typeof AlertRuleBase>): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  for (const k of ['warning', 'critical'] as const) {
    if (input[k].unit === 'pct' && input[k].value > 1000) issues.push({ field: `${k}.value`, message: 'a percentage from 0 to 1000' });
  }
  if (input.critical.unit !== input.warning.unit) issues.push({ field: 'critical.unit', message: 'the same unit as warning' });
  else if (input.critical.value <= input.warning.value) issues.push({ field: 'critical.value', message: 'above the warning threshold' });
  const c = input.channels;
  if (!c.email?.length && !c.inApp && !c.webhook) issues.push({ field: 'channels', message: 'at least one channel (email, inApp or webhook)' });
  if (input.escalation && !input.escalation.to.email?.length && !input.escalation.to.webhook)
    issues.push({ field: 'escalation.to', message: 'an e-mail address or a webhook to escalate to' });
  return issues;
}

export const CapacityAlertInput = AlertRuleBase.superRefine((v, ctx) => {
  for (const i of alertRuleIssues(v)) ctx.addIssue({ code: 'custom', path: i.field.split('.'), message: i.message });
});
export type CapacityAlertInput = z.input<typeof CapacityAlertInput>;

export const CapacityAlertPreviewInput = CapacityAlertInput;

export const AlertStatusSchema = z.enum(ALERT_STATES);

export const CapacityAlertPreview = z.object({
  resourceType: z.string(),
  environment: z.string().nullable(),
  /** The snapshot's last 30 days. */
  window: z.object({ start: z.string(), end: z.string() }),
  /** The latest sample's value in the rule's unit (% of max or absolute); null without a sample. */
  current: z.object({ at: z.string(), value: z.number(), status: AlertStatusSchema }).nullable(),
  /** UTC hours of the window whose worst sample was at warning (not critical) / at critical. */
  hoursInWarning: z.number(),
  hoursInCritical: z.number(),
  /** The latest sample that moved the series from ok to warning or critical (over the whole snapshot); null = never. */
  lastFired: z.string().nullable(),
  /** The rule this one would replace (same resource × environment), if any. */
  replacesRevision: z.number().nullable(),
});
export type CapacityAlertPreview = z.infer<typeof CapacityAlertPreview>;

export const CapacityAlertResult = Performed.extend({
  ruleId: z.string(),
  revision: z.number(),
  resourceType: z.string(),
  environment: z.string().nullable(),
});
export type CapacityAlertResult = z.infer<typeof CapacityAlertResult>;

/** One rule and its current state, as 2.13's gauges show it (`GET /v1/alerts`). */
export const AlertState = z.object({
  ruleId: z.string(),
  name: z.string().nullable(),
  resourceType: z.string(),
  environment: z.string().nullable(),
  warning: Threshold,
  critical: Threshold,
  revision: z.number(),
  state: AlertStatusSchema,
  /** The value and sample time of the last evaluation; null before the first. */
  value: z.number().nullable(),
  at: z.string().nullable(),
  /** Since when (sample time) the rule is in `state`. */
  since: z.string().nullable(),
  escalated: z.boolean(),
  evaluatedAt: z.string().nullable(),
});
export type AlertState = z.infer<typeof AlertState>;

export const AlertStates = z.object({ alerts: z.array(AlertState) });
