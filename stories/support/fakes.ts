/** Deterministic stand-ins for stories that must not depend on a snapshot or on DuckDB. */
import type { Kpis } from '../../packages/queries/src/index.js';
import type { QueryClient } from '../../packages/elements/src/index.js';

const kpi = (value: number, previous: number) => ({ value, previous, delta: previous === 0 ? null : (100 * (value - previous)) / previous });

export const SAMPLE_KPIS: Kpis = {
  totalCalls: kpi(1_284_912, 1_143_220),
  uniqueUsers: kpi(48_231, 49_870),
  activeAgents: kpi(64, 64),
  avgCallsPerUser: kpi(1_284_912 / 48_231, 1_143_220 / 49_870),
};

export const NEW_KPIS: Kpis = {
  totalCalls: kpi(8_412, 0),
  uniqueUsers: kpi(312, 0),
  activeAgents: kpi(3, 0),
  avgCallsPerUser: kpi(8_412 / 312, 0),
};

export const EMPTY_KPIS: Kpis = {
  totalCalls: kpi(0, 0),
  uniqueUsers: kpi(0, 0),
  activeAgents: kpi(0, 0),
  avgCallsPerUser: kpi(0, 0),
};

type Answer = () => Promise<Kpis>;

/** A client whose every query answers with `answer()`; `first` is the precomputed first paint. */
export function storyClient(answer: Answer, first?: Kpis): QueryClient {
  const client = {
    run: () => answer(),
    precomputed: () => first,
  };
  return client as unknown as QueryClient;
}

export const resolves =
  (k: Kpis, delayMs = 300): Answer =>
  () =>
    new Promise((r) => setTimeout(() => r(k), delayMs));
export const never: Answer = () => new Promise<Kpis>(() => undefined);
export const fails =
  (message: string, code = 'query_failed'): Answer =>
  () =>
    Promise.reject(Object.assign(new Error(message), { code }));
