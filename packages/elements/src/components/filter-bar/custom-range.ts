/** Validation of the filter bar's custom date range (pure). */
import { instantProblem, parseMicros, type Micros, type TimeRange } from '@usage-analytics/queries';
import { fitRange, rangeLimits } from '../../internal/url-check.js';

export type CustomRangeResult = { ok: true; range: Extract<TimeRange, { preset: 'custom' }> } | { ok: false; field: 'start' | 'end'; error: string };

/** The snapshot's data bounds (exact µs), when known: a range far from the data is refused. */
export interface DataBounds {
  dataStart: Micros;
  anchor: Micros;
}

/**
 * Checks two `<input type="date">` values (`YYYY-MM-DD`, UTC midnight; the end is exclusive):
 * both set, real dates as the queries read them (years 1700–2200), the end after the start, and —
 * given the data's bounds — not far from the data (the rule a link's range is held to on load, so
 * a range chosen here survives a reload unchanged).
 */
export function validateCustomRange(start: string, end: string, data?: DataBounds): CustomRangeResult {
  if (!start) return { ok: false, field: 'start', error: 'Choose a start date.' };
  if (!end) return { ok: false, field: 'end', error: 'Choose an end date.' };
  const s = parseMicros(start);
  if (s === null) return { ok: false, field: 'start', error: `The start date "${start}" is not a valid date: ${instantProblem(start) ?? 'out of range'}.` };
  const e = parseMicros(end);
  if (e === null) return { ok: false, field: 'end', error: `The end date "${end}" is not a valid date: ${instantProblem(end) ?? 'out of range'}.` };
  if (e <= s) return { ok: false, field: 'end', error: 'The end date must be after the start date.' };
  const range = { preset: 'custom' as const, start, end };
  if (data && fitRange(range, data.dataStart, data.anchor).kind !== 'inside') {
    const l = rangeLimits(data.dataStart, data.anchor);
    const field = s < parseMicros(l.min)! ? 'start' : 'end';
    return { ok: false, field, error: `The data runs from ${l.first} to ${l.end}: choose dates between ${l.min} and ${l.max}.` };
  }
  return { ok: true, range };
}

/** `YYYY-MM-DD` of a range bound for a date input (empty if it is not a date). */
export function toDateInput(value: string | undefined): string {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : '';
}
