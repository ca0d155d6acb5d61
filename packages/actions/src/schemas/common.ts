/**
 * The pieces every action's schemas share (zod 4). The service validates every request
 * with them and publishes them as OpenAPI; the dialogs validate the same fields with the same
 * schemas before they send. Rules that need the clock or the registry (a date 30 days ahead, an
 * active replacement) are functions here too, run on both sides with the caller's clock and data.
 */
import { z } from 'zod';
import { ROLES } from '../catalogue.js';

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
