/** Arithmetic mean (NaN for an empty array). */
export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Quantile with linear interpolation between order statistics (type 7, as R's default). */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort(); // typed arrays sort numerically, without a comparator call per pair
  const pos = (s.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Median (NaN for an empty array). */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: readonly number[], center = median(xs)): number {
  return median(xs.map((x) => Math.abs(x - center)));
}

/** Ordinary least-squares line y = intercept + slope·x over x = 0..n-1. */
export function linearFit(ys: readonly number[]): { intercept: number; slope: number } {
  const n = ys.length;
  if (n === 0) return { intercept: Number.NaN, slope: 0 };
  if (n === 1) return { intercept: ys[0], slope: 0 };
  const xbar = (n - 1) / 2;
  const ybar = mean(ys);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - xbar) * (ys[i] - ybar);
    sxx += (i - xbar) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: ybar - slope * xbar, slope };
}

/**
 * Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Logistic function mapping ℝ to (lo, hi). */
export function logistic(x: number, lo = 0, hi = 1): number {
  return lo + (hi - lo) / (1 + Math.exp(-x));
}

/** Inverse of {@link logistic}. */
export function logit(y: number, lo = 0, hi = 1): number {
  const p = (y - lo) / (hi - lo);
  return Math.log(p / (1 - p));
}
