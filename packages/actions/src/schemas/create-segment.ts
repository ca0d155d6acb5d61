/** A2.3 Create user segment (P1): criteria over the snapshot's users, a live count while editing, saved and shared. */
import { z } from 'zod';
import { Id, Performed, Text } from './common.js';

export const SEGMENT_WINDOWS = [7, 30, 90] as const;
export const SEGMENT_SHARING = ['private', 'department', 'fleet'] as const;

export const SegmentCriteria = z
  .object({
    /** The window the criteria look at: the last 7, 30 or 90 days of the snapshot. */
    windowDays: z.union([z.literal(7), z.literal(30), z.literal(90)]).default(30),
    /** Requests in the window, inclusive bounds. */
    requests: z
      .object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
      .default({}),
    /** Agents used in the window: any of them, or all of them. */
    agents: z.object({ ids: z.array(Id).max(100).default([]), mode: z.enum(['any', 'all']).default('any') }).default({ ids: [], mode: 'any' }),
    /** The user's department at their last request in the window; empty = any. */
    departments: z.array(Id).max(100).default([]),
    /** Engagement segments (2.2's power / regular / new / dormant, as of the window's end); empty = any. */
    engagement: z
      .array(z.enum(['power', 'regular', 'new', 'dormant']))
      .max(4)
      .default([]),
    /** Last request no longer ago than this many days before the snapshot's end. */
    lastActiveWithinDays: z.number().int().min(1).max(366).optional(),
  })
  .strict();
export type SegmentCriteria = z.input<typeof SegmentCriteria>;

export const CreateSegmentInput = z.object({
  name: Text(120).trim().min(1, 'required'),
  description: Text(1000).optional(),
  criteria: SegmentCriteria,
  /** Who sees it in the filter bar: only its author, the author's department(s), or everyone (needs every department). */
  sharing: z.enum(SEGMENT_SHARING).default('private'),
});
export type CreateSegmentInput = z.input<typeof CreateSegmentInput>;

export const SegmentCountInput = z.object({ criteria: SegmentCriteria });

export const SegmentCount = z.object({
  users: z.number(),
  window: z.object({ start: z.string(), end: z.string() }),
  departments: z.array(z.object({ department: z.string(), users: z.number() })),
  /** The busiest 20 users in it (by requests in the window). */
  sample: z.array(z.object({ userId: z.string(), department: z.string().nullable(), requests: z.number() })),
});
export type SegmentCount = z.infer<typeof SegmentCount>;

export const SavedSegment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  criteria: z.record(z.string(), z.unknown()),
  sharing: z.enum(SEGMENT_SHARING),
  departments: z.array(z.string()),
  owner: z.string(),
  usersAtSave: z.number(),
  createdAt: z.string(),
});
export type SavedSegment = z.infer<typeof SavedSegment>;

export const CreateSegmentResult = Performed.extend({ segment: SavedSegment });
export type CreateSegmentResult = z.infer<typeof CreateSegmentResult>;
