/** Stand-ins for chart tests: synthetic series and a query client answering per module. */
import type { CallsOverTime, UsageFilters, UsageForecast } from '@usage-analytics/queries';
import type { QueryClient } from '../../src/internal/context.js';

export const END = Date.UTC(2026, 10, 1); // 2026-11-01, the test snapshot's end
export const DAY = 86_400_000;

/** A day-bucketed CallsOverTime of `days` days ending at END; `value(dayIndex, key)` gives the counts. */
export function makeCalls(days: number, keys: string[], value: (i: number, key: string) => number, bucket: 'day' | 'hour' = 'day'): CallsOverTime {
  const step = bucket === 'day' ? DAY : 3_600_000;
  const start = END - days * step;
  const points = Array.from({ length: days }, (_, i) => {
    const t = start + i * step;
    const values: Record<string, number> = {};
    for (const k of keys) values[k] = value(i, k);
    const total = Object.values(values).reduce((a, b) => a + b, 0);
    const iso = new Date(t).toISOString();
    return { t, label: bucket === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 13)}:00Z`, total, previous: 0, values };
  });
  return { bucket, by: 'department', keys: [...keys], points, total: points.reduce((s, p) => s + p.total, 0), previousTotal: 0 };
}

/** A fleet forecast of `horizon` days after END, constant `level` ± 20 %. */
export function makeForecast(horizon: number, level: number, key = ''): UsageForecast {
  const history = Array.from({ length: 30 }, (_, i) => {
    const date = new Date(END - (30 - i) * DAY).toISOString().slice(0, 10);
    return { date, value: level, users: 1, partial: false, expected: level, score: 0, isAnomaly: false, direction: 'spike' as const };
  });
  const points = Array.from({ length: horizon }, (_, i) => ({
    date: new Date(END + i * DAY).toISOString().slice(0, 10),
    predicted: level,
    lower80: level * 0.8,
    upper80: level * 1.2,
    lower95: level * 0.7,
    upper95: level * 1.3,
    baseline: null,
    bands: [],
  }));
  return {
    horizon,
    series: [
      {
        key,
        history,
        cleanedDates: [],
        forecast: {
          model_type: 'ensemble',
          points,
          mape: 5,
          smape: 5,
          baseline_mape: 8,
          baseline_smape: 8,
          backtest_origins: 2,
          backtest_horizon: horizon,
          params: { period: 7, interval_method: 'empirical' },
          training_start: history[0].date,
          training_end: history[29].date,
          notes: [],
        },
      },
    ],
  };
}

export interface ChartClientCall {
  module: string;
  filters: UsageFilters;
  params: unknown;
  /** The run options' time zone (undefined = UTC). */
  timeZone?: string;
}

export type ChartClient = QueryClient & { runs: ChartClientCall[] };

/**
 * A client whose `run(module)` answers from `answers[module.name]` (a function of filters, params
 * and the call index for that module; missing = never settles) and whose `precomputed` answers
 * from `first[module.name]`.
 */
export function chartClient(
  answers: Record<string, (filters: UsageFilters, params: unknown, call: number) => unknown>,
  first: Record<string, unknown> = {},
  extras: { departments?: string[]; generatedAt?: string } = {},
): ChartClient {
  const runs: ChartClientCall[] = [];
  const counts = new Map<string, number>();
  const client = {
    runs,
    async run(module: { name: string }, filters: UsageFilters, params: unknown, options?: { timeZone?: string }) {
      runs.push({ module: module.name, filters, params, ...(options?.timeZone ? { timeZone: options.timeZone } : {}) });
      const n = counts.get(module.name) ?? 0;
      counts.set(module.name, n + 1);
      const answer = answers[module.name];
      if (!answer) return new Promise(() => undefined);
      return answer(filters, params, n);
    },
    precomputed(module: { name: string }) {
      return first[module.name];
    },
    ...(extras.departments
      ? { dimensions: async () => ({ departments: extras.departments, intents: [], providers: [], modelFamilies: [], agentIds: [] }) }
      : {}),
    ...(extras.generatedAt ? { manifest: { generated_at: extras.generatedAt } } : {}),
  };
  return client as unknown as ChartClient;
}

export const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
