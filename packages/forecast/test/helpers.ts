import { addDays, type SeriesPoint } from '../src/index.js';

/** Seeded PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller) from a uniform PRNG. */
export function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Attach consecutive dates from `start` to values. */
export function toSeries(values: readonly number[], start = '2024-01-01'): SeriesPoint[] {
  return values.map((value, i) => ({ date: addDays(start, i), value }));
}

/** Day of week of index t for a series starting Monday 2024-01-01: 5 and 6 are Saturday/Sunday. */
export const isWeekend = (t: number): boolean => t % 7 >= 5;

export interface UsageOptions {
  days?: number;
  seed?: number;
  base?: number;
  /** Relative growth per quarter (91 days), linear in time. */
  growthPerQuarter?: number;
  /** Weekend level as a share of weekdays. */
  weekendFactor?: number;
  /** Relative Gaussian noise (sd). */
  noise?: number;
}

/**
 * Realistic daily API requests: linear growth of `growthPerQuarter` per quarter, weekends at
 * `weekendFactor` of weekdays, multiplicative noise of sd `noise`, rounded to integers.
 * Starts on Monday 2024-01-01.
 */
export function usageValues({ days = 180, seed = 1, base = 10_000, growthPerQuarter = 0.4, weekendFactor = 0.35, noise = 0.05 }: UsageOptions = {}): {
  values: number[];
  expected: number[];
} {
  const rng = mulberry32(seed);
  const expected = Array.from({ length: days }, (_, t) => base * (1 + (growthPerQuarter * t) / 91) * (isWeekend(t) ? weekendFactor : 1));
  const values = expected.map((m) => Math.max(0, Math.round(m * (1 + noise * gaussian(rng)))));
  return { values, expected };
}

/** Poisson draw (Knuth's product method below 30, else a rounded normal approximation). */
export function poisson(rng: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rng)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

/**
 * Low-count daily series: Poisson counts around `level` a weekday, weekends at `weekendFactor`,
 * starting Monday 2024-01-01. Returns the counts and their means.
 */
export function poissonCounts({ days = 180, seed = 1, level = 40, weekendFactor = 0.5 } = {}): { values: number[]; expected: number[] } {
  const rng = mulberry32(seed);
  const expected = Array.from({ length: days }, (_, t) => level * (isWeekend(t) ? weekendFactor : 1));
  return { values: expected.map((m) => poisson(rng, m)), expected };
}
