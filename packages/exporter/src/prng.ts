/**
 * Small, fast, seeded pseudo-random numbers (sfc32) and the distributions the demo generator needs.
 * Deterministic across platforms: only 32-bit integer arithmetic and Math.log/exp/sqrt/cos.
 * Never use Math.random in the exporter.
 */

/** Mixes a 32-bit value into a well-distributed 32-bit hash (murmur3 finalizer). */
export function hash32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Hashes a string to 32 bits (FNV-1a + finalizer). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return hash32(h);
}

/**
 * A keyed bijection on 32-bit integers (a 4-round Feistel network on 16-bit halves): distinct inputs
 * give distinct outputs, so it turns a counter into unique, random-looking ids.
 */
export function permute32(x: number, key: number): number {
  let l = (x >>> 16) & 0xffff;
  let r = x & 0xffff;
  for (let round = 0; round < 4; round++) {
    const f = hash32((r ^ Math.imul(key, round + 1)) >>> 0) & 0xffff;
    const t = l ^ f;
    l = r;
    r = t;
  }
  return ((l << 16) | r) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = hash32(seed ^ 0x9e3779b9);
    this.b = hash32(seed + 0x7f4a7c15 + stream * 0x632be5ab);
    this.c = hash32(stream ^ 0x3c6ef372);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer (sfc32). */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Standard normal (Box–Muller, one value per call). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Lognormal with the given median and log-scale sigma. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Pareto with minimum xm and shape alpha (heavy tail for small alpha). */
  pareto(xm: number, alpha: number): number {
    return xm / Math.pow(1 - this.next(), 1 / alpha);
  }

  /** Derives an independent generator (for a sub-task) from this one. */
  fork(stream: number): Rng {
    return new Rng(this.u32(), stream);
  }
}

/** Cumulative weights for O(log n) weighted sampling. */
export class WeightedPicker {
  readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += Math.max(0, weights[i]);
      this.cumulative[i] = sum;
    }
    this.total = sum;
  }

  /** Index drawn with probability proportional to its weight (-1 when all weights are zero). */
  pick(rng: Rng): number {
    if (this.total <= 0) return -1;
    const target = rng.next() * this.total;
    const cum = this.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Picks from a small weighted list by linear scan (fast for < ~16 items). */
export function pickWeighted(rng: Rng, weights: readonly number[], total?: number): number {
  let sum = total;
  if (sum === undefined) {
    sum = 0;
    for (const w of weights) sum += w;
  }
  let target = rng.next() * sum;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  return weights.length - 1;
}
