/** A2.4 Export user list (P1): the current filters' users as CSV or JSON, chosen fields, PII only for the roles that may see it. */
import { z } from 'zod';
import { Performed } from './common.js';

/** The tab's filters as the elements hold them (`UsageFilters`); the service checks their values against the snapshot. */
export const FiltersInput = z.object({
  timeRange: z.union([
    z.object({ preset: z.enum(['1h', '24h', '7d', '30d', '90d']) }),
    z.object({ preset: z.literal('custom'), start: z.string().max(40), end: z.string().max(40) }),
  ]),
  departments: z.array(z.string().max(200)).max(200).default([]),
  agentStatuses: z.array(z.string().max(40)).max(10).default([]),
  intents: z.array(z.string().max(200)).max(200).default([]),
  userSegments: z.array(z.string().max(40)).max(10).default([]),
  environments: z.array(z.string().max(40)).max(10).default([]),
  providers: z.array(z.string().max(200)).max(100).default([]),
  agentIds: z.array(z.string().max(200)).max(1000).default([]),
  userIds: z.array(z.string().max(200)).max(1000).default([]),
  requestStatuses: z.array(z.string().max(40)).max(10).default([]),
  modelFamilies: z.array(z.string().max(200)).max(100).default([]),
  /** Saved segments (A2.3) selected in the filter bar: their members only (criteria checked by the queries package). */
  savedSegments: z
    .array(z.object({ id: z.string().min(1).max(200), name: z.string().max(200), criteria: z.record(z.string(), z.unknown()) }))
    .max(20)
    .default([]),
});

export const EXPORT_FIELDS = [
  'user_id',
  'department',
  'segment',
  'requests',
  'active_days',
  'agents_used',
  'first_seen',
  'last_seen',
  'name',
  'email',
] as const;
export type ExportField = (typeof EXPORT_FIELDS)[number];
/** Fields that are personal data: exported only for roles in PII_ROLES, else left empty and listed in `redacted`. */
export const PII_FIELDS: readonly ExportField[] = ['name', 'email'];

export const ExportUsersInput = z.object({
  filters: FiltersInput,
  format: z.enum(['csv', 'json']),
  fields: z
    .array(z.enum(EXPORT_FIELDS))
    .min(1, 'at least one field')
    .refine((f) => new Set(f).size === f.length, 'each field once'),
});
export type ExportUsersInput = z.input<typeof ExportUsersInput>;

export const ExportUsersResult = Performed.extend({
  jobId: z.string(),
  totalRows: z.number(),
  format: z.enum(['csv', 'json']),
  fields: z.array(z.string()),
  /** PII fields the caller's roles may not see: present in the file, always empty. */
  redacted: z.array(z.string()),
  /** GET it (with the same token) to stream the file; progress at `progressUrl`. */
  downloadUrl: z.string(),
  progressUrl: z.string(),
});
export type ExportUsersResult = z.infer<typeof ExportUsersResult>;

export const ExportProgress = z.object({
  jobId: z.string(),
  status: z.enum(['ready', 'running', 'done', 'cancelled', 'failed']),
  rowsWritten: z.number(),
  totalRows: z.number(),
  error: z.string().nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;
