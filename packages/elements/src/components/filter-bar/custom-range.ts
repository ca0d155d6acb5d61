/** Validation of the filter bar's custom date range (pure). */
import type { TimeRange } from '@usage-analytics/queries';
import { parseIsoInstant } from '../../internal/url-state.js';

export type CustomRangeResult = { ok: true; range: Extract<TimeRange, { preset: 'custom' }> } | { ok: false; field: 'start' | 'end'; error: string };

/**
 * Checks two `<input type="date">` values (`YYYY-MM-DD`, UTC midnight; the end is exclusive):
 * both set, valid, and the end after the start.
 */
export function validateCustomRange(start: string, end: string): CustomRangeResult {
  if (!start) return { ok: false, field: 'start', error: 'Choose a start date.' };
  if (!end) return { ok: false, field: 'end', error: 'Choose an end date.' };
  const s = parseIsoInstant(start);
  if (!Number.isFinite(s)) return { ok: false, field: 'start', error: `The start date "${start}" is not a valid date.` };
  const e = parseIsoInstant(end);
  if (!Number.isFinite(e)) return { ok: false, field: 'end', error: `The end date "${end}" is not a valid date.` };
  if (e <= s) return { ok: false, field: 'end', error: 'The end date must be after the start date.' };
  return { ok: true, range: { preset: 'custom', start, end } };
}

/** `YYYY-MM-DD` of a range bound for a date input (empty if it is not a date). */
export function toDateInput(value: string | undefined): string {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : '';
}
