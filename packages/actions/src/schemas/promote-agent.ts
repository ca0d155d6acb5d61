/** A2.1 Promote agent (P1): channels, target audience, message; a stored campaign whose reach is measured later. */
import { z } from 'zod';
import { Day, Id, Performed, Text } from './common.js';

export const PROMOTION_CHANNELS = ['email', 'in_app', 'docs'] as const;
export const AUDIENCE_SEGMENTS = ['power', 'regular', 'new', 'dormant'] as const;

export const PromotionAudience = z.object({
  /** Users' current departments; empty = every department the caller acts for. */
  departments: z.array(Id).max(100).default([]),
  /** Engagement segments as of the snapshot's end (2.2's definitions); empty = all four. */
  segments: z.array(z.enum(AUDIENCE_SEGMENTS)).max(4).default([]),
  /** Leave out users who already used the agent in the last 30 days (default true: promotion is for new users). */
  excludeCurrentUsers: z.boolean().default(true),
});

export const PromoteAgentInput = z.object({
  agentId: Id,
  channels: z
    .array(z.enum(PROMOTION_CHANNELS))
    .min(1, 'at least one channel')
    .max(3)
    .refine((c) => new Set(c).size === c.length, 'each channel once'),
  audience: PromotionAudience,
  message: z.object({ subject: Text(200).min(1, 'required'), body: Text(5000).min(1, 'required') }),
  /** A banner on the agent's docs page (channel `docs`). */
  docsBanner: Text(500).optional(),
  /** The campaign's last day (UTC); reach is measured from its start to this day. */
  endsOn: Day.optional(),
});
export type PromoteAgentInput = z.input<typeof PromoteAgentInput>;

export const PromotePreviewInput = PromoteAgentInput.pick({ agentId: true, audience: true });

export const PromotePreview = z.object({
  agentId: z.string(),
  /** Users the campaign would reach. */
  audienceSize: z.number(),
  /** Users in the departments and segments who already use the agent (left out unless excludeCurrentUsers is false). */
  currentUsers: z.number(),
  departments: z.array(z.object({ department: z.string(), users: z.number() })),
  segments: z.array(z.object({ segment: z.string(), users: z.number() })),
  /** The agent's usage over the 30 days before the snapshot's end: the baseline the campaign is measured against. */
  baseline: z.object({ users: z.number(), requests: z.number(), window: z.object({ start: z.string(), end: z.string() }) }),
});
export type PromotePreview = z.infer<typeof PromotePreview>;

export const PromoteAgentResult = Performed.extend({
  campaignId: z.string(),
  agentId: z.string(),
  channels: z.array(z.string()),
  audienceSize: z.number(),
  notificationsQueued: z.number(),
  startsOn: Day,
  endsOn: Day.nullable(),
});
export type PromoteAgentResult = z.infer<typeof PromoteAgentResult>;
