import { describe, expect, it } from 'vitest';
import { largestRemainder, literal, list, ident, timestamp, resolveTimeRange, FilterError, formatMicros } from '../src/index.js';

const tenths = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b * 10, 0));

describe('largestRemainder(values)', () => {
  it('sums to exactly 100.0 at one decimal', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let t = 0; t < 500; t++) {
      const xs = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => Math.floor(rnd() * 1000));
      if (xs.every((x) => x === 0)) continue;
      const s = largestRemainder(xs);
      expect(tenths(s)).toBe(1000);
      s.forEach((v) => expect(Math.round(v * 10)).toBeCloseTo(v * 10, 9));
    }
  });
  it('splits thirds deterministically (equal values, no keys: earlier first)', () => {
    expect(largestRemainder([1, 1, 1])).toEqual([33.4, 33.3, 33.3]);
  });
  it('handles empty and all-zero inputs', () => {
    expect(largestRemainder([])).toEqual([]);
    expect(largestRemainder([0, 0])).toEqual([0, 0]);
  });
});

describe('sql helpers', () => {
  it('literal quotes strings, rejects NUL and non-finite numbers', () => {
    expect(literal("o'brien").text).toBe("'o''brien'");
    expect(literal(null).text).toBe('NULL');
    expect(() => literal('a\u0000')).toThrow(TypeError);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(list(['a', "b'"]).text).toBe("('a', 'b''')");
    expect(() => list([])).toThrow(TypeError);
    expect(ident('we"ird').text).toBe('"we""ird"');
    expect(timestamp(new Date('2026-01-31T23:59:59.999Z')).text).toBe("TIMESTAMP '2026-01-31 23:59:59.999000'");
  });
});

describe('resolveTimeRange(range, anchor)', () => {
  const anchor = new Date('2026-03-10T12:00:00Z');
  it('anchors presets and computes the previous window', () => {
    const r = resolveTimeRange({ preset: '30d' }, anchor);
    expect(formatMicros(r.start)).toBe('2026-02-08T12:00:00Z');
    expect(formatMicros(r.prevStart)).toBe('2026-01-09T12:00:00Z');
    expect(r.bucket).toBe('day');
    expect(resolveTimeRange({ preset: '24h' }, anchor).bucket).toBe('hour');
  });
  it('rejects inverted and malformed custom ranges', () => {
    expect(() => resolveTimeRange({ preset: 'custom', start: '2026-02-02', end: '2026-02-01' }, anchor)).toThrow(FilterError);
    expect(() => resolveTimeRange({ preset: 'custom', start: "2026-02-01'; --", end: '2026-02-03' }, anchor)).toThrow(FilterError);
  });
});
