import type { SeriesPoint } from './types.js';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parse a `YYYY-MM-DD` UTC date into a day number (days since 1970-01-01).
 * @throws Error naming the value when it is not a valid calendar date.
 */
export function parseDay(date: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!m) throw new Error(`Invalid date ${JSON.stringify(date)}: expected YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new Error(`Invalid date ${JSON.stringify(date)}: no such calendar day`);
  }
  return Math.round(ms / DAY_MS);
}

/** Format a day number (days since 1970-01-01) as `YYYY-MM-DD`. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days, in UTC. */
export function addDays(date: string, days: number): string {
  return formatDay(parseDay(date) + days);
}

/** The `count` consecutive dates following `last`. */
export function nextDates(last: string, count: number): string[] {
  const start = parseDay(last);
  return Array.from({ length: count }, (_, i) => formatDay(start + i + 1));
}

/** A validated daily series: consecutive UTC days and finite values. */
export interface DailySeries {
  dates: string[];
  values: number[];
  /** Number of days that were missing and filled with 0 (only with `fillMissing`). */
  filled: number;
}

/**
 * Validate a daily series and return it as parallel arrays.
 * Checks dates (valid `YYYY-MM-DD`, strictly increasing, no duplicates), values (finite numbers)
 * and gaps: a missing day throws an error naming the gap unless `fillMissing` is true, in which
 * case missing days are filled with 0.
 * @throws Error whose message names the offending date, value or gap.
 */
export function toDailySeries(series: readonly SeriesPoint[], { fillMissing = false } = {}): DailySeries {
  if (!Array.isArray(series)) throw new Error(`series must be an array of {date, value}, got ${typeof series}`);
  const dates: string[] = [];
  const values: number[] = [];
  let filled = 0;
  let prev = Number.NaN;
  series.forEach((p, i) => {
    if (p === null || typeof p !== 'object') throw new Error(`series[${i}] must be {date, value}, got ${String(p)}`);
    const day = parseDay(p.date);
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
      throw new Error(`Non-finite value ${String(p.value)} at series[${i}] (${p.date})`);
    }
    if (i > 0) {
      if (day === prev) throw new Error(`Duplicate date ${p.date} at series[${i}]`);
      if (day < prev) throw new Error(`Dates not sorted: ${p.date} at series[${i}] comes after ${formatDay(prev)}`);
      const gap = day - prev - 1;
      if (gap > 0) {
        if (!fillMissing) {
          const range = gap === 1 ? formatDay(prev + 1) : `${formatDay(prev + 1)}..${formatDay(day - 1)}`;
          throw new Error(`Missing ${gap} day(s) between ${formatDay(prev)} and ${p.date} (${range}); pass fillMissing: true to fill with 0`);
        }
        for (let d = prev + 1; d < day; d++) {
          dates.push(formatDay(d));
          values.push(0);
          filled++;
        }
      }
    }
    dates.push(p.date);
    values.push(p.value);
    prev = day;
  });
  return { dates, values, filled };
}
