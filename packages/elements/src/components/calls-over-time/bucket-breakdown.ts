/**
 * The hover breakdown of chart 2.5: the top agents and departments of the bucket under the pointer
 * or the keyboard focus, two small `callsOverTime` queries run after a short pause; a newer bucket
 * cancels an older one (its timer and its queries), as does leaving the plot.
 */
import { callsOverTime, type UsageFilters } from '@usage-analytics/queries';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { BUCKET_MS, type TimeBucket } from '../../charts/time-axis.js';
import type { ChartClient } from '../../internal/context.js';
import { bucketFilters, topOf } from './calls-over-time.data.js';

/** The hover breakdown of one bucket (top 5 agents and departments). */
export interface BucketBreakdown {
  t: number;
  departments: { key: string; calls: number }[];
  agents: { key: string; calls: number }[];
}

const HOVER_DELAY = 120;

export class BucketBreakdownLoader implements ReactiveController {
  /** The last breakdown loaded. */
  breakdown?: BucketBreakdown;
  private timer?: ReturnType<typeof setTimeout>;
  private abort?: AbortController;
  /** The bucket being loaded (another hover of it does not start over). */
  private pending?: number;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly channel: string,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** The loaded breakdown of the bucket starting at `t`, if any. */
  of(t: number): BucketBreakdown | undefined {
    return this.breakdown?.t === t ? this.breakdown : undefined;
  }

  /**
   * Loads the breakdown of bucket `t` (local wall-clock ms in `timeZone`, as callsOverTime gives it)
   * after a pause; `loaded` runs when it arrives (not when cancelled).
   */
  load(client: ChartClient | undefined, filters: UsageFilters, t: number, bucket: TimeBucket, timeZone: string, loaded: (b: BucketBreakdown) => void): void {
    if (this.pending === t) return;
    this.cancel();
    if (!client) return;
    this.pending = t;
    const abort = (this.abort = new AbortController());
    this.timer = setTimeout(async () => {
      const f = bucketFilters(filters, t, t + BUCKET_MS[bucket], timeZone);
      const opts = { signal: abort.signal, timeZone };
      try {
        const [dept, agent] = await Promise.all([
          client.run(callsOverTime, f, { by: 'department', bucket }, { ...opts, channel: `${this.channel}-hover-department` }),
          client.run(callsOverTime, f, { by: 'agent', bucket }, { ...opts, channel: `${this.channel}-hover-agent` }),
        ]);
        if (abort.signal.aborted) return;
        this.pending = undefined;
        this.breakdown = { t, departments: topOf(dept), agents: topOf(agent) };
        this.host.requestUpdate();
        loaded(this.breakdown);
      } catch {
        /* a stale or failed hover: the tooltip keeps the bucket's totals */
      }
    }, HOVER_DELAY);
  }

  /** Stops a pending breakdown (its timer and its queries). */
  cancel(): void {
    this.pending = undefined;
    clearTimeout(this.timer);
    this.abort?.abort();
  }
}
