/**
 * Largest-remainder rounding (Hamilton's method): rounds shares so they sum to exactly `total`
 * (100 for percentages) at the given number of decimals (PRD DA2.2).
 *
 * The remainders are compared exactly, in integers: with integer inputs v and U units (1,000 for
 * 100.0 at one decimal) item i gets ⌊v·U / Σv⌋ units and remainder (v·U) mod Σv, all over the same
 * denominator. In floating point, remainders that are equal (1/12, 7/12 and 4/12 all leave 1/3 of a
 * unit) differ in their last bits and noise picked the winner. Non-integer inputs (costs) are taken
 * as the exact binary fractions they are, scaled to integers by a common power of two, so they are
 * exact too (0.1 + 0.2 is not 0.3, and is not treated as equal to it).
 *
 * Exact ties are broken by a stated rule: the **larger value** first, then the **key** that sorts
 * first (UTF-16 code-unit order, as `<`), then the **earlier index**. Pass `keys` (the items' names)
 * wherever items have names, so the answer does not depend on the order rows arrive in.
 */
export interface LargestRemainderOptions {
  /** What the shares sum to (default 100). */
  total?: number;
  /** Decimals of the shares (default 1). */
  decimals?: number;
  /** A name per value for the tie rule (same length as `values`). */
  keys?: readonly string[];
}

/** Exact integers in the same proportions as `values` (finite, ≥ 0). */
function exactIntegers(values: readonly number[]): bigint[] {
  if (values.every(Number.isSafeInteger)) return values.map((v) => BigInt(v));
  // Every finite double is m·2^e exactly; shift all mantissas to the smallest exponent.
  const view = new DataView(new ArrayBuffer(8));
  const parts = values.map((v) => {
    view.setFloat64(0, v);
    const hi = view.getUint32(0);
    const biased = (hi >>> 20) & 0x7ff;
    const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
    return biased === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: biased - 1075 };
  });
  const minE = Math.min(...parts.map((p) => (p.m === 0n ? Infinity : p.e)));
  return parts.map((p) => (p.m === 0n ? 0n : p.m << BigInt(p.e - minE)));
}

export function largestRemainder(values: readonly number[], { total = 100, decimals = 1, keys }: LargestRemainderOptions = {}): number[] {
  if (values.length === 0) return [];
  if (keys !== undefined && keys.length !== values.length) throw new RangeError(`largestRemainder: ${keys.length} keys for ${values.length} values`);
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`largestRemainder: values must be finite numbers ≥ 0, got ${v}`);
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12)
    throw new RangeError(`largestRemainder: decimals must be an integer in [0, 12], got ${decimals}`);
  const scale = 10 ** decimals;
  const units = Math.round(total * scale);
  if (!Number.isSafeInteger(units) || units < 0) throw new RangeError(`largestRemainder: total × 10^decimals must be a safe integer ≥ 0, got ${total}`);
  const ints = exactIntegers(values);
  const sum = ints.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return values.map(() => 0);
  const u = BigInt(units);
  const floors = ints.map((v) => (v * u) / sum);
  const rems = ints.map((v) => (v * u) % sum);
  let rest = units - Number(floors.reduce((a, b) => a + b, 0n));
  const cmp = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);
  const order = values.map((_, i) => i).sort((a, b) => cmp(rems[b], rems[a]) || cmp(ints[b], ints[a]) || (keys ? cmp(keys[a], keys[b]) : 0) || a - b);
  const out = floors.map(Number);
  for (let k = 0; rest > 0 && k < order.length; k++, rest--) out[order[k]] += 1;
  return out.map((f) => f / scale);
}
