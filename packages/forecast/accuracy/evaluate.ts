/**
 * Rolling-origin evaluation on real series: each method is fitted on a fixed-length training window
 * ending at each origin and scored on the following days. MASE scale = in-sample MAE of the weekly
 * seasonal-naive forecast (y[t] vs y[t−7]) over the training window.
 */
import type { SeriesPoint } from '../src/index.js';

/** A point forecast with optional 80 % / 95 % bounds. */
export interface MethodForecast {
  predicted: number[];
  lower80?: number[];
  upper80?: number[];
  lower95?: number[];
  upper95?: number[];
}

export type Method = (train: SeriesPoint[], horizon: number) => MethodForecast;

export interface EvalOptions {
  /** Number of rolling origins. */
  origins: number;
  /** Days between origins. */
  step: number;
  /** Training window length (days). */
  train: number;
  horizons: readonly number[];
  /** Days left after the last origin (≥ the largest horizon). Default: the largest horizon. */
  tail?: number;
}

export interface Score {
  /** Mean over origins of the MASE over steps 1..h. */
  mase: number;
  /** Share of actual days inside the 80 % / 95 % band (null when the method has none). */
  cover80: number | null;
  cover95: number | null;
  /** Mean CPU milliseconds per fit (process CPU time, not wall time: the machine may be shared). */
  ms: number;
  /** MASE per origin (for inspection). */
  perOrigin: number[];
}

/** Origin indices: `origins` origins `step` days apart, the last one `tail` days before the end. */
export function originIndices(n: number, { origins, step, train, horizons, tail }: EvalOptions): number[] {
  const last = n - (tail ?? Math.max(...horizons));
  const out: number[] = [];
  for (let k = origins - 1; k >= 0; k--) out.push(last - k * step);
  if (out[0] < train) throw new Error(`series of ${n} days too short for ${origins} origins with ${train} training days`);
  return out;
}

export function weeklyNaiveMae(y: readonly number[]): number {
  let s = 0;
  for (let t = 7; t < y.length; t++) s += Math.abs(y[t] - y[t - 7]);
  return s / (y.length - 7);
}

/** Score one method on one series at every horizon. */
export function evaluate(points: readonly SeriesPoint[], method: Method, options: EvalOptions): Map<number, Score> {
  const y = points.map((p) => p.value);
  const result = new Map<number, Score>();
  for (const h of options.horizons) {
    const perOrigin: number[] = [];
    let in80 = 0;
    let in95 = 0;
    let count = 0;
    let banded = true;
    let ms = 0;
    for (const o of originIndices(y.length, options)) {
      const train = points.slice(o - options.train, o);
      const scale = weeklyNaiveMae(y.slice(o - options.train, o));
      const c0 = process.cpuUsage();
      const f = method([...train], h);
      const c = process.cpuUsage(c0);
      ms += (c.user + c.system) / 1000;
      let abs = 0;
      for (let s = 0; s < h; s++) {
        const a = y[o + s];
        abs += Math.abs(a - f.predicted[s]);
        if (f.lower80 && f.upper80 && f.lower95 && f.upper95) {
          if (a >= f.lower80[s] && a <= f.upper80[s]) in80++;
          if (a >= f.lower95[s] && a <= f.upper95[s]) in95++;
        } else banded = false;
        count++;
      }
      perOrigin.push(abs / h / scale);
    }
    result.set(h, {
      mase: perOrigin.reduce((a, b) => a + b, 0) / perOrigin.length,
      cover80: banded ? in80 / count : null,
      cover95: banded ? in95 / count : null,
      ms: ms / perOrigin.length,
      perOrigin,
    });
  }
  return result;
}
