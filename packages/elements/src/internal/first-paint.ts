/**
 * A chart's first paint from the snapshot's precomputed rows, written once: the precomputed answer
 * for the current (client, filters, params), memoised so it is looked up once per change, and the
 * rule for what a chart shows while its query runs.
 */
import { TaskStatus } from '@lit/task';
import type { QueryModule, UsageFilters } from '@usage-analytics/queries';
import type { QueryClient } from './context.js';

export class FirstPaint<P, R> {
  private memo?: { client: QueryClient; filters: UsageFilters; params: P; timeZone?: string; value: R | undefined };

  constructor(private readonly module: QueryModule<P, R>) {}

  /**
   * The precomputed answer for these inputs, or `undefined` (not shipped, no client, invalid filters:
   * the query reports it). The shipped rows are UTC: with another `timeZone` a zone-aware module's
   * SQL differs, so nothing is found and the chart waits for its live query.
   */
  value(client: QueryClient | undefined, filters: UsageFilters, params: P, timeZone?: string): R | undefined {
    if (!client) {
      this.memo = undefined;
      return undefined;
    }
    const m = this.memo;
    if (m?.client === client && m.filters === filters && m.params === params && m.timeZone === timeZone) return m.value;
    let value: R | undefined;
    try {
      value = client.precomputed(this.module, filters, params, timeZone) ?? undefined;
    } catch {
      value = undefined;
    }
    this.memo = { client, filters, params, timeZone, value };
    return value;
  }
}

/**
 * What a chart shows: its query's answer once complete; before that the precomputed first paint;
 * else, while a newer query runs, the previous answer (no flash of empty).
 */
export function shown<R>(task: { readonly status: TaskStatus; readonly value?: R }, first: R | undefined): R | undefined {
  if (task.status === TaskStatus.COMPLETE) return task.value;
  return first ?? (task.status === TaskStatus.PENDING ? task.value : undefined);
}
