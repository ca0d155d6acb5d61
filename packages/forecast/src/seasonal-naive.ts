/**
 * Seasonal-naive forecast: each future day repeats the value of the same position (weekday for
 * period 7) in the last observed period, i.e. ŷ(n+i) = y(n − period + ((i−1) mod period)).
 * Returns null when the series is shorter than one period.
 */
export function seasonalNaive(y: readonly number[], horizon: number, period = 7): number[] | null {
  const n = y.length;
  if (n < period || period < 1) return null;
  return Array.from({ length: horizon }, (_, i) => y[n - period + (i % period)]);
}
