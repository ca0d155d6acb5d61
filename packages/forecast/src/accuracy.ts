/** Accuracy of paired forecasts and actuals. */
export interface Accuracy {
  /** Mean absolute percentage error in percent, over pairs with a non-zero actual; null if none. */
  mape: number | null;
  /** Symmetric MAPE in percent (0..200); a pair with actual = forecast = 0 counts as 0 error. Null if no pairs. */
  smape: number | null;
  /** Pairs skipped by MAPE because the actual was 0. */
  skippedZeroActuals: number;
}

/**
 * MAPE and sMAPE (percent) over flattened pairs. MAPE skips zero actuals (the ratio is
 * undefined); sMAPE = mean of 200·|a−f|/(|a|+|f|) with 0/0 treated as 0.
 */
export function accuracy(actuals: readonly number[], forecasts: readonly number[]): Accuracy {
  let ape = 0;
  let nApe = 0;
  let sape = 0;
  let skippedZeroActuals = 0;
  const n = Math.min(actuals.length, forecasts.length);
  for (let i = 0; i < n; i++) {
    const a = actuals[i];
    const f = forecasts[i];
    const err = Math.abs(a - f);
    if (a === 0) skippedZeroActuals++;
    else {
      ape += err / Math.abs(a);
      nApe++;
    }
    const d = Math.abs(a) + Math.abs(f);
    sape += d === 0 ? 0 : (2 * err) / d;
  }
  return {
    mape: nApe > 0 ? (100 * ape) / nApe : null,
    smape: n > 0 ? (100 * sape) / n : null,
    skippedZeroActuals,
  };
}
