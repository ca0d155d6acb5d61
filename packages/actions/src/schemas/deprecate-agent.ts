/** A2.2 Deprecate agent (P0): input, preview and result, and the rules that need the clock. */
import { z } from 'zod';
import { Day, Id, Link, Performed, Text, addDays, utcDay } from './common.js';

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
