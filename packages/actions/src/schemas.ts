/**
 * Request and response schemas of the actions API (zod 4). The service validates every request
 * with them and publishes them as OpenAPI; the dialogs validate the same fields with the same
 * schemas before they send. Rules that need the clock or the registry (a date 30 days ahead, an
 * active replacement) are functions here too, run on both sides with the caller's clock and data.
 */
import { z } from 'zod';
import { ROLES } from './catalogue.js';

// ---- shared pieces

/** An id as the snapshot stores it: printable, no control characters, 1–200 characters. */
export const Id = z
  .string()
  .trim()
  .min(1, 'required')
  .max(200, 'at most 200 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');

/** Free text shown to people (always rendered as text). */
export const Text = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'no control characters');

/** An http(s) link (no `javascript:` or `data:`), at most 2,000 characters. */
export const Link = z
  .string()
  .trim()
  .max(2000, 'at most 2000 characters')
  .pipe(z.url({ protocol: /^https?$/, error: 'an http:// or https:// address' }));

/** A calendar day, `YYYY-MM-DD` (UTC). */
export const Day = z.iso.date({ error: 'a date as YYYY-MM-DD' });

export const ErrorCode = z.enum(['validation', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'unavailable', 'internal']);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Every 4xx/5xx body: what went wrong, in words, and the field when one is to blame. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    field: z.string().optional(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Who the token names, and what they may do. */
export const Me = z.object({
  userId: z.string(),
  name: z.string().nullable(),
  roles: z.array(z.enum(ROLES)),
  departments: z.array(z.string()),
  actions: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;

/** What every performed action returns beside its own result. */
export const Performed = z.object({
  action: z.string(),
  auditId: z.string(),
  /** True when this Idempotency-Key was seen before: nothing was done again, this is the first answer. */
  replayed: z.boolean(),
});

// ---- A2.2 Deprecate agent

export const DEPRECATION_NOTICE_DAYS = 30;

export const NotificationTemplate = z.object({
  subject: Text(200).min(1, 'required'),
  body: Text(5000).min(1, 'required'),
});

export const DeprecateAgentInput = z.object({
  agentId: Id,
  /** The sunset day: at least 30 days ahead (AS2.4). */
  sunsetDate: Day,
  /** The agent users are moved to: active, not the agent itself. */
  replacementAgentId: Id,
  migrationGuideUrl: Link,
  notification: NotificationTemplate,
  /** Share of the agent's traffic routed to the replacement each week until the sunset (5–100 %). */
  weeklySharePct: z.number().int().min(5, 'at least 5 %').max(100, 'at most 100 %').default(25),
});
export type DeprecateAgentInput = z.input<typeof DeprecateAgentInput>;

export const DeprecatePreviewInput = z.object({ agentId: Id });

export const DeprecatePreview = z.object({
  agentId: z.string(),
  agentStatus: z.string().nullable(),
  department: z.string().nullable(),
  /** The 30 days before the snapshot's end. */
  window: z.object({ start: z.string(), end: z.string() }),
  requests: z.number(),
  usersAffected: z.number(),
  departments: z.array(z.object({ department: z.string(), users: z.number(), requests: z.number() })),
  topUsers: z.array(z.object({ userId: z.string(), department: z.string().nullable(), requests: z.number(), lastSeen: z.string() })),
});
export type DeprecatePreview = z.infer<typeof DeprecatePreview>;

export const RoutingStep = z.object({ from: Day, sharePct: z.number() });

export const DeprecateAgentResult = Performed.extend({
  agentId: z.string(),
  status: z.literal('deprecated'),
  sunsetDate: Day,
  replacementAgentId: z.string(),
  /** The gradual routing rule: from each day, this share of the agent's traffic goes to the replacement. */
  routing: z.array(RoutingStep),
  notificationsQueued: z.number(),
});
export type DeprecateAgentResult = z.infer<typeof DeprecateAgentResult>;

/** Cross-field rules of A2.2 that need the clock: the sunset at least 30 days after `today`; the replacement not the agent. */
export function deprecationIssues(
  input: { agentId: string; sunsetDate: string; replacementAgentId: string },
  today: Date,
): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  const min = addDays(utcDay(today), DEPRECATION_NOTICE_DAYS);
  if (/^\d{4}-\d{2}-\d{2}$/.test(input.sunsetDate) && input.sunsetDate < min) {
    issues.push({ field: 'sunsetDate', message: `at least ${DEPRECATION_NOTICE_DAYS} days ahead: ${min} or later` });
  }
  if (input.replacementAgentId.trim() === input.agentId.trim()) issues.push({ field: 'replacementAgentId', message: 'another agent than the one deprecated' });
  return issues;
}

/**
 * The gradual sunset: from the day after `today`, `weeklySharePct` more of the traffic moves to the
 * replacement each week, capped at 100 %; on the sunset day all of it.
 */
export function routingSchedule(today: Date, sunsetDate: string, weeklySharePct: number): { from: string; sharePct: number }[] {
  const out: { from: string; sharePct: number }[] = [];
  let day = addDays(utcDay(today), 1);
  for (let share = weeklySharePct; share < 100 && day < sunsetDate; share += weeklySharePct) {
    out.push({ from: day, sharePct: share });
    day = addDays(day, 7);
  }
  out.push({ from: sunsetDate, sharePct: 100 });
  return out;
}

/** `YYYY-MM-DD` of a date in UTC. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus `n` days. */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** zod issues as `{ field, message }` (field = the dotted path). */
export function fieldIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}
