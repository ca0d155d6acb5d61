import { describe, expect, it } from 'vitest';
import { addDays, formatDay, nextDates, parseDay, toDailySeries } from '../src/index.js';

describe('date helpers', () => {
  it('round-trips UTC days and crosses month, leap day and year ends', () => {
    expect(formatDay(parseDay('2024-02-28'))).toBe('2024-02-28');
    expect(nextDates('2024-02-28', 3)).toEqual(['2024-02-29', '2024-03-01', '2024-03-02']);
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(parseDay('1970-01-02')).toBe(1);
  });

  it('rejects malformed and impossible dates, naming them', () => {
    expect(() => parseDay('2024-2-1')).toThrow(/"2024-2-1"/);
    expect(() => parseDay('2023-02-29')).toThrow(/"2023-02-29".*no such calendar day/);
    expect(() => parseDay('2024-01-01T00:00:00Z')).toThrow(/YYYY-MM-DD/);
  });
});

describe('toDailySeries', () => {
  const s = (dates: string[], values?: number[]) => dates.map((date, i) => ({ date, value: values?.[i] ?? i + 1 }));

  it('returns parallel arrays for a consecutive series', () => {
    expect(toDailySeries(s(['2024-01-01', '2024-01-02']))).toEqual({ dates: ['2024-01-01', '2024-01-02'], values: [1, 2], filled: 0 });
    expect(toDailySeries([])).toEqual({ dates: [], values: [], filled: 0 });
  });

  it('throws on duplicate, unsorted and non-finite entries, naming the value', () => {
    expect(() => toDailySeries(s(['2024-01-01', '2024-01-01']))).toThrow('Duplicate date 2024-01-01 at series[1]');
    expect(() => toDailySeries(s(['2024-01-02', '2024-01-01']))).toThrow(/not sorted: 2024-01-01 at series\[1\] comes after 2024-01-02/);
    expect(() => toDailySeries(s(['2024-01-01', '2024-01-02'], [1, Number.NaN]))).toThrow(/Non-finite value NaN at series\[1\] \(2024-01-02\)/);
    expect(() => toDailySeries(s(['2024-01-01'], [Infinity]))).toThrow(/Infinity/);
    expect(() => toDailySeries([{ date: '2024-01-01', value: '3' as unknown as number }])).toThrow(/Non-finite value 3/);
  });

  it('names a gap, or fills it with 0 when fillMissing is set', () => {
    const gappy = s(['2024-01-01', '2024-01-02', '2024-01-06'], [5, 6, 7]);
    expect(() => toDailySeries(gappy)).toThrow('Missing 3 day(s) between 2024-01-02 and 2024-01-06 (2024-01-03..2024-01-05)');
    expect(() => toDailySeries(s(['2024-01-01', '2024-01-03']))).toThrow(/\(2024-01-02\); pass fillMissing/);
    const filled = toDailySeries(gappy, { fillMissing: true });
    expect(filled.values).toEqual([5, 6, 0, 0, 0, 7]);
    expect(filled.dates[2]).toBe('2024-01-03');
    expect(filled.filled).toBe(3);
  });
});
