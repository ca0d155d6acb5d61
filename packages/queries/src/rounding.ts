/**
 * Largest-remainder rounding (Hamilton's method): rounds shares so they sum to exactly `total`
 * (100 for percentages) at the given number of decimals (PRD DA2.2).
 */
export function largestRemainder(values: readonly number[], { total = 100, decimals = 1 }: { total?: number; decimals?: number } = {}): number[] {
  const sum = values.reduce((a, b) => a + b, 0);
  if (values.length === 0) return [];
  if (sum <= 0) return values.map(() => 0);
  const scale = 10 ** decimals;
  const units = Math.round(total * scale);
  const exact = values.map((v) => (v / sum) * units);
  const floors = exact.map(Math.floor);
  let rest = units - floors.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; rest > 0 && k < order.length; k++, rest--) floors[order[k].i] += 1;
  return floors.map((f) => f / scale);
}
