/**
 * A2.10 Set agent request quota (P0): input, preview and result, and the gateway's quota check.
 * Windows are fixed and aligned to the period: minute / hour starts and UTC midnights, the same in
 * the preview (replayed over the snapshot) and in the limiter the gateway calls.
 */
import { z } from 'zod';
import { Id, Performed } from './common.js';

export const QUOTA_PERIODS = ['minute', 'hour', 'day'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];
export const PERIOD_MS: Record<QuotaPeriod, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Days of snapshot traffic the preview replays through the quota. */
export const QUOTA_PREVIEW_DAYS = 7;
/** A queued request waits at most this long (the gateway holds its HTTP call open meanwhile). */
export const MAX_QUEUE_WAIT_MS = 60_000;
export const DEFAULT_QUEUE_WAIT_MS = 1_000;

export const QuotaScope = z.enum(['agent', 'global'], { error: "'agent' or 'global'" });
export const QuotaPeriod = z.enum(QUOTA_PERIODS, { error: "'minute', 'hour' or 'day'" });
/** What happens to a request over the quota: wait in a FIFO queue, be refused, or be told when to retry. */
export const QuotaOverage = z.enum(['queue', 'reject', 'throttle'], { error: "'queue', 'reject' or 'throttle'" });

const QuotaFields = z.object({
  scope: QuotaScope,
  /** Required when scope is 'agent'; absent for 'global'. */
  agentId: Id.optional(),
  limit: z.number({ error: 'a whole number ≥ 1' }).int('a whole number').min(1, 'at least 1').max(1_000_000_000, 'at most 1,000,000,000'),
  period: QuotaPeriod,
  overage: QuotaOverage,
  /** Only with overage 'queue': how long a request may wait for the next window (ms). */
  maxQueueWaitMs: z.number().int('a whole number of ms').min(1, 'at least 1 ms').max(MAX_QUEUE_WAIT_MS, `at most ${MAX_QUEUE_WAIT_MS} ms`).optional(),
});

/** Field rules across fields, named by the field to blame. */
function quotaRefine(v: z.infer<typeof QuotaFields>, ctx: z.RefinementCtx) {
  if (v.scope === 'agent' && !v.agentId) ctx.addIssue({ code: 'custom', path: ['agentId'], message: "required when scope is 'agent'" });
  if (v.scope === 'global' && v.agentId) ctx.addIssue({ code: 'custom', path: ['agentId'], message: "leave empty when scope is 'global'" });
  if (v.overage !== 'queue' && v.maxQueueWaitMs !== undefined) ctx.addIssue({ code: 'custom', path: ['maxQueueWaitMs'], message: "only with overage 'queue'" });
}

export const RequestQuotaInput = QuotaFields.superRefine(quotaRefine);
export type RequestQuotaInput = z.input<typeof RequestQuotaInput>;
export const QuotaPreviewInput = RequestQuotaInput;

/** Last week's requests replayed through the quota (fixed windows aligned to the period). */
export const QuotaPreview = z.object({
  scope: QuotaScope,
  agentId: z.string().nullable(),
  department: z.string().nullable(),
  limit: z.number(),
  period: QuotaPeriod,
  overage: QuotaOverage,
  maxQueueWaitMs: z.number().nullable(),
  /** The 7 days before the snapshot's end. */
  window: z.object({ start: z.string(), end: z.string() }),
  requests: z.number(),
  /** Within the quota of their window. */
  admitted: z.number(),
  /** Over the quota but within maxQueueWaitMs of the next window (admitted late; not charged to the next window here). */
  queued: z.number(),
  throttled: z.number(),
  rejected: z.number(),
  /** Windows that had more requests than the limit, and the busiest window's count. */
  windowsOverLimit: z.number(),
  peakWindowRequests: z.number(),
  /** The current quota of this scope, if any. */
  current: z.object({ limit: z.number(), period: QuotaPeriod, overage: QuotaOverage, maxQueueWaitMs: z.number().nullable(), revision: z.number() }).nullable(),
});
export type QuotaPreview = z.infer<typeof QuotaPreview>;

export const RequestQuotaResult = Performed.extend({
  scope: QuotaScope,
  agentId: z.string().nullable(),
  limit: z.number(),
  period: QuotaPeriod,
  overage: QuotaOverage,
  maxQueueWaitMs: z.number().nullable(),
  revision: z.number(),
  /** The registry's max_requests_per_minute after the action: the limit (agent scope, period minute); null once an hour or day quota replaces it, or for global scope. */
  maxRequestsPerMinute: z.number().nullable(),
});
export type RequestQuotaResult = z.infer<typeof RequestQuotaResult>;

/** The gateway asks before forwarding one request of an agent. */
export const QuotaCheckRequest = z.object({ agentId: Id, requestId: z.string().max(200, 'at most 200 characters').optional() });
export type QuotaCheckRequest = z.infer<typeof QuotaCheckRequest>;

export const QuotaOutcome = z.enum(['admitted', 'queued', 'throttled', 'rejected']);
export type QuotaOutcome = z.infer<typeof QuotaOutcome>;

export const QuotaCheckResponse = z.object({
  /** Forward the request now (outcome admitted, or queued and then admitted). */
  admitted: z.boolean(),
  outcome: QuotaOutcome,
  /** Throttled: when the next window opens (ms). */
  retryAfterMs: z.number().optional(),
  /** Requests left in the current window of the tightest quota that applies; -1 when no quota applies. */
  remaining: z.number(),
  /** The start of the window this answer counts in (ISO), for audits and the load test. */
  windowStart: z.string().optional(),
});
export type QuotaCheckResponse = z.infer<typeof QuotaCheckResponse>;

/** The start (ms) of the fixed window holding `t`: minute / hour starts, UTC midnights. */
export function windowStartOf(t: number, period: QuotaPeriod): number {
  const p = PERIOD_MS[period];
  return Math.floor(t / p) * p;
}
