/**
 * The query modules the benchmark times, with the parameters each needs. Shared by the browser
 * page (DuckDB-WASM), the native run (DuckDB) and the Arquero comparison, so all three time the
 * same work under the default filters.
 */
import * as Q from '@usage-analytics/queries';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Q.QueryModule<any, any>;

/** Params for modules that need them; the rest run with `undefined`. */
export function benchParams(name: string, sample: { agentId: string; userId: string }): unknown {
  switch (name) {
    case 'agentDetail':
      return { agentId: sample.agentId };
    case 'userJourney':
      return { userId: sample.userId };
    default:
      return undefined;
  }
}

export function allModules(): AnyModule[] {
  return Object.values(Q).filter(
    (v): v is AnyModule => !!v && typeof v === 'object' && typeof (v as AnyModule).sql === 'function' && typeof (v as AnyModule).transform === 'function' && typeof (v as AnyModule).name === 'string',
  );
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
