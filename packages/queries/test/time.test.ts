/**
 * Issue 7 A1/A2: instants are exact microseconds and strict. An impossible date is refused with
 * FilterError('invalid_range') on the field `timeRange` — never reread as another date (2025-02-30 is
 * not 2 March, T24:00 is not the next day) — and a NUL in any filter value is a FilterError too.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTERS,
  FilterError,
  defaultFilters,
  formatMicros,
  instantProblem,
  isUsageError,
  parseMicros,
  resolveTimeRange,
  timestamp,
  toMicros,
  validateFilters,
  type UsageFilters,
} from '../src/index.js';

const ANCHOR = '2026-03-10T09:30:00.123457Z';
/** Expected µs from calendar fields (Date.UTC is exact for whole milliseconds) plus the sub-ms part. */
const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, sub = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms) * 1000 + sub;

const custom = (start: string, end: string) => resolveTimeRange({ preset: 'custom', start, end }, ANCHOR);

/** The FilterError thrown by `fn` (fails the test if it throws nothing or something else). */
function filterError(fn: () => unknown): FilterError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    expect(isUsageError(e)).toBe(true);
    return e as FilterError;
  }
  throw new Error('expected a FilterError, nothing was thrown');
}

describe('parseMicros: exact microseconds', () => {
  it.each([
    ['2026-03-10T09:30:00.123457Z', at(2026, 3, 10, 9, 30, 0, 123, 457)],
    ['2026-03-10T09:30:00.1234Z', at(2026, 3, 10, 9, 30, 0, 123, 400)],
    ['2026-03-10T09:30:00.98765', at(2026, 3, 10, 9, 30, 0, 987, 650)],
    ['2026-03-10T09:30:00.000001Z', at(2026, 3, 10, 9, 30, 0, 0, 1)],
    ['2026-03-10 09:30:00.999999', at(2026, 3, 10, 9, 30, 0, 999, 999)],
    ['2026-03-10T09:30', at(2026, 3, 10, 9, 30)],
    ['2026-03-10', at(2026, 3, 10)],
    ['2024-02-29', at(2024, 2, 29)],
    ['2000-02-29T23:59:59.999999Z', at(2000, 2, 29, 23, 59, 59, 999, 999)],
    ['2026-03-01T01:02:03.000450+05:30', at(2026, 2, 28, 19, 32, 3, 0, 450)],
    ['2026-03-01T01:02:03.000450+0530', at(2026, 2, 28, 19, 32, 3, 0, 450)],
    ['2026-02-28T22:00:00.5-03:00', at(2026, 3, 1, 1, 0, 0, 500)],
  ])('%s → exact µs', (text, us) => {
    expect(parseMicros(text)).toBe(us);
    expect(toMicros(text)).toBe(us);
    expect(instantProblem(text)).toBeNull();
  });

  it('formats back with every microsecond and keeps it in SQL', () => {
    const us = parseMicros(ANCHOR)!;
    expect(formatMicros(us)).toBe(ANCHOR);
    expect(formatMicros(us - 457)).toBe('2026-03-10T09:30:00.123Z');
    expect(timestamp(us).text).toBe("TIMESTAMP '2026-03-10 09:30:00.123457'");
    expect(timestamp(us - 1).text).toBe("TIMESTAMP '2026-03-10 09:30:00.123456'");
    expect(timestamp(at(1969, 12, 31, 23, 59, 59, 999, 999)).text).toBe("TIMESTAMP '1969-12-31 23:59:59.999999'");
  });

  it('anchors every preset on the exact data end', () => {
    const a = parseMicros(ANCHOR)!;
    const spans = { '1h': 3_600e6, '24h': 86_400e6, '7d': 7 * 86_400e6, '30d': 30 * 86_400e6, '90d': 90 * 86_400e6 } as const;
    for (const [preset, span] of Object.entries(spans)) {
      const r = resolveTimeRange({ preset } as UsageFilters['timeRange'], ANCHOR);
      expect([r.start, r.end, r.prevStart, r.prevEnd], preset).toEqual([a - span, a, a - 2 * span, a - span]);
    }
  });
});

describe('impossible or malformed custom bounds: FilterError invalid_range on timeRange', () => {
  it.each([
    ['2025-02-30', 'a day February never has (not 2 March)'],
    ['2025-02-29', 'not a leap year'],
    ['1900-02-29', 'a century that is not a leap year'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-03-00', 'day 0'],
    ['2026-13-01', '13th month'],
    ['2026-00-10', 'month 0'],
    ['2026-03-01T24:00', 'hour 24 (not the next day)'],
    ['2026-03-01T24:00:00Z', 'hour 24 with seconds'],
    ['2026-03-01T23:60', 'minute 60'],
    ['2026-03-01T23:59:60Z', 'second 60 (leap seconds are not instants here)'],
    ['2026-03-01T12:00:00.1234567Z', '7 fractional digits'],
    ['2026-03-01T12:00:00.123456789', '9 fractional digits'],
    ['2026-03-01T12:00:00+19:00', 'UTC offset beyond 18 h'],
    ['2026-03-01T12:00:00+18:30', 'UTC offset beyond 18:00'],
    ['2026-03-01T12:00:00-18:01', 'UTC offset beyond −18:00'],
    ['2026-03-01T12:00:00+05:60', 'offset minute 60'],
    ['2026-03-01+01:00', 'a bare date with an offset'],
    ['2026-03-01T12:00:00 +01:00', 'a space before the offset'],
    ['2026-3-1', 'unpadded fields'],
    ['20260301', 'basic format'],
    ['2026-03-01T12', 'an hour without minutes'],
    ['1699-12-31', 'before the supported years'],
    ['2201-01-01', 'after the supported years'],
    ['2026-03-01\u0000', 'a NUL character'],
    ['', 'empty'],
    [' 2026-03-01', 'leading space'],
  ])('%s (%s)', (bad) => {
    for (const [start, end] of [
      [bad, '2026-03-05'],
      ['2020-01-01', bad],
    ]) {
      const e = filterError(() => custom(start, end));
      expect(e.code).toBe('invalid_range');
      expect(e.field).toBe('timeRange');
      expect(e.value).toBe(bad);
      expect(parseMicros(bad)).toBeNull();
      expect(instantProblem(bad)).toEqual(expect.any(String));
    }
  });

  it('says what is wrong in the message', () => {
    expect(filterError(() => custom('2025-02-30', '2025-03-05')).message).toMatch(/day 30 does not exist in 2025-02/);
    expect(filterError(() => custom('2026-03-01T24:00', '2026-03-05')).message).toMatch(/hour 24/);
    expect(filterError(() => custom('2026-13-01', '2027-01-05')).message).toMatch(/month 13/);
  });

  it('refuses a non-string bound and an end that is not after the start (also by 1 µs)', () => {
    expect(filterError(() => resolveTimeRange({ preset: 'custom', start: 20260301 as never, end: '2026-03-05' }, ANCHOR)).code).toBe('invalid_range');
    expect(filterError(() => custom('2026-03-01T00:00:00.000001', '2026-03-01T00:00:00.000001')).code).toBe('invalid_range');
    expect(filterError(() => custom('2026-03-01T00:00:00.000002', '2026-03-01T00:00:00.000001')).code).toBe('invalid_range');
    const r = custom('2026-03-01T00:00:00.000001', '2026-03-01T00:00:00.000002');
    expect(r.end - r.start).toBe(1);
  });

  it('refuses an unknown preset', () => {
    expect(filterError(() => resolveTimeRange({ preset: '2w' } as never, ANCHOR))).toMatchObject({ code: 'invalid_range', field: 'timeRange' });
  });
});

describe('NUL in any filter value: FilterError invalid_filter naming the field', () => {
  const LISTS = [
    'departments',
    'agentStatuses',
    'intents',
    'userSegments',
    'environments',
    'providers',
    'agentIds',
    'userIds',
    'requestStatuses',
    'modelFamilies',
  ] as const;
  it.each(LISTS)('%s', (field) => {
    for (const v of ['\u0000', 'a\u0000b', 'active\u0000']) {
      const f = defaultFilters({ [field]: ['ok', v] } as Partial<UsageFilters>);
      const e = filterError(() => validateFilters(f));
      expect(e).toMatchObject({ code: 'invalid_filter', field, value: v });
    }
  });

  it('validates the default filters and accepts quotes and unicode', () => {
    expect(() => validateFilters(DEFAULT_FILTERS)).not.toThrow();
    expect(() => validateFilters(defaultFilters({ departments: ["o'brien ops", '研究开发', 'a"b'] }))).not.toThrow();
  });
});
