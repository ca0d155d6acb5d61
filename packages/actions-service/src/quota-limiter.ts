/**
 * The A2.10 limiter the gateway calls (`POST /quota/check`). Counting is rate-limiter-flexible's
 * `RateLimiterPostgres` on the service's own database (table `quota_counters`, migration 3): one
 * atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING points` per check, so every service instance
 * and a restart see the same counts. Once the database says a window is full, this instance refuses
 * the rest of that window from memory, without a round trip (`full`): only refusals come from
 * memory, every admission is still counted by the database, so the bound holds across instances.
 * A point given back (the global quota refused) or a raised limit lifts the mark.
 *
 * Window semantics: fixed windows aligned to the period (minute / hour starts, UTC midnights, by the
 * service's clock at the moment the database counts the check). The library's key is
 * `<scope>:<period>:<window start ms>`, so a key lives in exactly one window and its counter is the
 * number of checks counted in that window; a check is admitted only when the counter it got back is
 * ≤ the limit. Hence: admitted checks per aligned window ≤ limit, whatever the concurrency.
 *
 * Queue (overage 'queue'): per quota, in this process, FIFO in the order checks joined the queue
 * (a check over the limit, or any check arriving while others wait; `queueSeq` in the answer).
 * At the next window start the queue is drained head first, one consume at a time; a check not
 * admitted within maxQueueWaitMs is answered 'rejected'. Why not the library's RateLimiterQueue:
 * its deadlines are whole Unix seconds, swept only when the queue is processed (an HTTP call could
 * wait until the window resets), it cannot say whether a request waited, and it takes the head out
 * of the queue while the head's consume is in flight, so a newcomer can pass it.
 */
import { PERIOD_MS, type QuotaCheckResponse, type QuotaOutcome, type QuotaPeriod } from '@usage-analytics/actions';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from './db.js';

export interface QuotaRow {
  scope_key: string;
  scope: 'agent' | 'global';
  agent_id: string | null;
  limit_per_period: number;
  period: QuotaPeriod;
  overage: 'queue' | 'reject' | 'throttle';
  max_queue_wait_ms: number | null;
  revision: number;
}

export const QUOTA_COLUMNS = 'scope_key, scope, agent_id, limit_per_period, period, overage, max_queue_wait_ms, revision';
export const GLOBAL_KEY = '*';
const DEFAULT_WAIT_MS = 1_000;

interface Taken {
  admitted: boolean;
  outcome: QuotaOutcome;
  key?: string;
  remaining: number;
  windowStart: number;
  retryAfterMs?: number;
  /** The counter value the database gave this check in its window (its place in that window). */
  ticket?: number;
  /** For a queued check: its place in the order checks joined this process's queues. */
  queueSeq?: number;
}

interface Waiter {
  seq: number;
  deadline: number;
  done: boolean;
  timer?: NodeJS.Timeout;
  resolve(t: Taken): void;
}

interface FifoState {
  items: Waiter[];
  draining: boolean;
  timer?: NodeJS.Timeout;
}

export class QuotaLimiter {
  private readonly limiters = new Map<number, RateLimiterPostgres>();
  private readonly fifos = new Map<string, FifoState>();
  /** Windows this instance saw full: counter key → the window's end and the limit it was full at. */
  private readonly full = new Map<string, { until: number; limit: number }>();
  private fullSweep = 0;
  private cache?: { at: number; rows: Promise<Map<string, QuotaRow>> };
  private seq = 0;
  private closed = false;
  /**
   * The library's store client. RateLimiterPostgres calls `query({ name, text, values })` and reads
   * `rows` and `rowCount`, and recognises a client only by its constructor name (pg's Client / Pool).
   * PGlite's `query(text, params)` takes no query object and returns no `rowCount`, so it cannot be
   * passed as is; this adapter over our Db (pg pool or PGlite) with `storeType: 'client'` serves both.
   */
  private readonly store: { query(q: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[]; rowCount: number }> };

  /**
   * @param clock the limiter's clock (ms); tests shift it to just before a window's end. The library's
   *   own clock only sets when a counter row may be deleted (a day after its window), never a count.
   */
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
    private readonly cacheMs = 1_000,
  ) {
    this.store = {
      query: async (q) => {
        const r = q.name ? await db.prepared(q.name, q.text, q.values) : await db.query(q.text, q.values);
        return { rows: r.rows, rowCount: r.rows.length };
      },
    };
  }

  /** Forget cached quotas (after this service changed one); other instances see a change within `cacheMs`. */
  invalidate(): void {
    this.cache = undefined;
  }

  private quotas(): Promise<Map<string, QuotaRow>> {
    if (!this.cache || this.clock() - this.cache.at > this.cacheMs) {
      const rows = this.db.query<QuotaRow>(`SELECT ${QUOTA_COLUMNS} FROM quotas`).then((r) => new Map(r.rows.map((q) => [q.scope_key, q])));
      this.cache = { at: this.clock(), rows };
      rows.catch(() => (this.cache = undefined));
    }
    return this.cache.rows;
  }

  private limiter(points: number): RateLimiterPostgres {
    let l = this.limiters.get(points);
    if (!l) {
      // duration only sets when the library may delete a row (1 h after expiry); windows come from the key.
      l = new RateLimiterPostgres({
        storeClient: this.store,
        storeType: 'client',
        tableName: 'quota_counters',
        tableCreated: true,
        keyPrefix: 'quota',
        points,
        duration: 86_400,
      });
      this.limiters.set(points, l);
    }
    return l;
  }

  /** One atomic count in the window holding now; admitted when the count is within the limit. */
  private async consume(q: QuotaRow): Promise<Taken> {
    const p = PERIOD_MS[q.period];
    const now = this.clock();
    const windowStart = Math.floor(now / p) * p;
    const key = `${q.scope_key}:${q.period}:${windowStart}`;
    const windowEnd = windowStart + p;
    const mark = this.full.get(key);
    if (mark && mark.limit >= q.limit_per_period) {
      // Full at this limit or a higher one: no round trip (the counter only grows within a window).
      return { admitted: false, outcome: 'rejected', remaining: 0, windowStart, retryAfterMs: Math.max(1, windowEnd - this.clock()) };
    }
    try {
      const res = await this.limiter(q.limit_per_period).consume(key, 1);
      if (res.consumedPoints >= q.limit_per_period) this.markFull(key, windowEnd, q.limit_per_period);
      return { admitted: true, outcome: 'admitted', key, remaining: res.remainingPoints, windowStart, ticket: res.consumedPoints };
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      this.markFull(key, windowEnd, q.limit_per_period);
      return { admitted: false, outcome: 'rejected', remaining: 0, windowStart, retryAfterMs: Math.max(1, windowEnd - this.clock()), ticket: e.consumedPoints };
    }
  }

  private markFull(key: string, until: number, limit: number): void {
    this.full.set(key, { until, limit });
    const now = this.clock();
    if (now - this.fullSweep > 60_000) {
      this.fullSweep = now;
      for (const [k, v] of this.full) if (v.until <= now) this.full.delete(k);
    }
  }

  /**
   * Gives a point back to a window and lifts this instance's full mark on it. (A check of the same
   * window whose answer crosses the give-back can set the mark again: that window then refuses one
   * check the database would have admitted, never the other way round.)
   */
  private async giveBack(q: QuotaRow, key: string): Promise<void> {
    await this.limiter(q.limit_per_period).reward(key, 1);
    this.full.delete(key);
  }

  /** The checks of one request against one quota, with its overage behaviour. */
  private async take(q: QuotaRow): Promise<Taken> {
    if (q.overage !== 'queue') {
      const t = await this.consume(q);
      if (t.admitted) return t;
      return q.overage === 'throttle' ? { ...t, outcome: 'throttled' } : { ...t, outcome: 'rejected', retryAfterMs: undefined };
    }
    const fifo = this.fifos.get(q.scope_key) ?? { items: [], draining: false };
    this.fifos.set(q.scope_key, fifo);
    const wait = q.max_queue_wait_ms ?? DEFAULT_WAIT_MS;
    const arrived = this.clock();
    if (!fifo.items.length && !fifo.draining) {
      const t = await this.consume(q);
      if (t.admitted) return t;
    }
    return new Promise<Taken>((resolve) => {
      const w: Waiter = { seq: this.seq++, deadline: arrived + wait, done: false, resolve };
      fifo.items.push(w);
      w.timer = setTimeout(
        () => {
          if (w.done) return;
          w.done = true;
          fifo.items.splice(fifo.items.indexOf(w), 1);
          resolve({ admitted: false, outcome: 'rejected', remaining: 0, windowStart: Math.floor(this.clock() / PERIOD_MS[q.period]) * PERIOD_MS[q.period] });
        },
        Math.max(0, w.deadline - this.clock()),
      );
      this.schedule(q, fifo);
    });
  }

  /** Drains at the next window start (or now, if the window already turned). */
  private schedule(q: QuotaRow, fifo: FifoState): void {
    if (fifo.timer || fifo.draining || !fifo.items.length || this.closed) return;
    const p = PERIOD_MS[q.period];
    const next = Math.floor(this.clock() / p) * p + p;
    fifo.timer = setTimeout(() => {
      fifo.timer = undefined;
      void this.drain(q.scope_key, fifo);
    }, next - this.clock());
  }

  private async drain(scopeKey: string, fifo: FifoState): Promise<void> {
    fifo.draining = true;
    try {
      while (fifo.items.length && !this.closed) {
        const q = (await this.quotas()).get(scopeKey);
        const head = fifo.items[0];
        if (!q) {
          // The quota was removed: nothing limits the queued checks any more.
          for (const w of fifo.items.splice(0)) this.settle(w, { admitted: true, outcome: 'queued', remaining: -1, windowStart: this.clock() });
          break;
        }
        const t = await this.consume(q);
        if (head.done) {
          // Timed out while its consume was in flight: give the slot back.
          if (t.admitted && t.key) await this.giveBack(q, t.key);
          continue;
        }
        if (!t.admitted) {
          fifo.draining = false;
          this.schedule(q, fifo);
          return;
        }
        fifo.items.shift();
        this.settle(head, { ...t, outcome: 'queued', queueSeq: head.seq });
      }
    } catch {
      for (const w of fifo.items.splice(0)) this.settle(w, { admitted: false, outcome: 'rejected', remaining: 0, windowStart: this.clock() });
    }
    fifo.draining = false;
  }

  private settle(w: Waiter, t: Taken): void {
    if (w.done) return;
    w.done = true;
    clearTimeout(w.timer);
    w.resolve(t);
  }

  /**
   * Checks one request of `agentId` against its agent quota and the global quota (both must admit;
   * a point taken from the agent's quota is given back when the global one refuses).
   */
  async check(agentId: string): Promise<QuotaCheckResponse & { ticket?: number; queueSeq?: number }> {
    const all = await this.quotas();
    const applies = [all.get(agentId), all.get(GLOBAL_KEY)].filter((q): q is QuotaRow => !!q && (q.scope === 'global' || q.agent_id === agentId));
    if (!applies.length) return { admitted: true, outcome: 'admitted', remaining: -1 };
    const taken: { q: QuotaRow; t: Taken }[] = [];
    for (const q of applies) {
      const t = await this.take(q);
      if (!t.admitted) {
        for (const x of taken) if (x.t.key) await this.giveBack(x.q, x.t.key);
        return {
          admitted: false,
          outcome: t.outcome,
          ...(t.retryAfterMs !== undefined ? { retryAfterMs: t.retryAfterMs } : {}),
          remaining: 0,
          windowStart: new Date(t.windowStart).toISOString(),
          ...(t.ticket !== undefined ? { ticket: t.ticket } : {}),
        };
      }
      taken.push({ q, t });
    }
    const first = taken[0].t;
    const queued = taken.find((x) => x.t.outcome === 'queued')?.t;
    return {
      admitted: true,
      outcome: queued ? 'queued' : 'admitted',
      remaining: Math.min(...taken.map((x) => x.t.remaining)),
      windowStart: new Date(first.windowStart).toISOString(),
      ...(first.ticket !== undefined ? { ticket: first.ticket } : {}),
      ...(queued?.queueSeq !== undefined ? { queueSeq: queued.queueSeq } : {}),
    };
  }

  /** Stops the timers; checks still waiting are answered 'rejected'. */
  close(): void {
    this.closed = true;
    for (const fifo of this.fifos.values()) {
      clearTimeout(fifo.timer);
      for (const w of fifo.items.splice(0)) this.settle(w, { admitted: false, outcome: 'rejected', remaining: 0, windowStart: this.clock() });
    }
  }
}
