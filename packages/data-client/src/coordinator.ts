/**
 * The coordinator: every query goes through it. It
 * - batches the queries issued in one frame (requestAnimationFrame, or a macrotask in Node),
 *   running each distinct SQL text once per batch;
 * - caches results by (snapshot version, SQL text) — the SQL text holds the query and its filters;
 * - drops stale results: a new request on a channel (one per chart) aborts the previous one, and
 *   aborted requests that have not started are never sent to the engine;
 * - materialises shared relations (queries' shared-relation.ts, e.g. the user segments of a time
 *   range that a segment filter reads): the first query that embeds one creates it as a TEMP table,
 *   and every query embedding the same body (the text holds its parameters) reads that table instead
 *   of computing it again. The last {@link SHARED_TABLES} are kept (LRU); older ones are dropped;
 * - keeps the last {@link QUERY_LOG_SIZE} executed queries with their time in the engine
 *   ({@link Coordinator.log}: what `pnpm bench` reads to say which queries a filter change waited for).
 */
import { replaceShared, sharedBodies, sqlText, type Row, type Sql } from '@usage-analytics/queries';
import type { Connector } from './connector.js';
import { StaleQueryError } from './errors.js';

interface Pending {
  sql: string;
  label: string;
  waiters: { resolve: (rows: Row[]) => void; reject: (e: unknown) => void; signal?: AbortSignal; channel?: string }[];
}

export interface CoordinatorStats {
  requested: number;
  executed: number;
  cacheHits: number;
  consolidated: number;
  dropped: number;
  batches: number;
  /** Shared relations materialised (TEMP tables created) / read from an existing table, and ms spent creating them. */
  sharedBuilt: number;
  sharedReused: number;
  sharedMs: number;
}

/** Shared relations kept materialised (e.g. the segments of the last few time ranges: ~40k rows each at 1M requests). */
export const SHARED_TABLES = 8;

export interface RequestOptions {
  signal?: AbortSignal;
  /** Requests on the same channel supersede each other (e.g. one chart). */
  channel?: string;
  /** What the query is, for {@link Coordinator.log} (a query module's name). */
  label?: string;
}

/** One executed query in {@link Coordinator.log}. */
export interface QueryLogEntry {
  /** The request's label (a query module's name), else the SQL text's first 60 characters. */
  label: string;
  /** `performance.now()` when the engine started it, and its time there (ms; queue wait excluded). */
  start: number;
  ms: number;
  rows: number;
  /** The channels (charts) that waited for it. */
  channels: string[];
  failed?: boolean;
}

export const QUERY_LOG_SIZE = 256;
const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

const nextFrame = (fn: () => void): void => {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState === 'visible') {
    requestAnimationFrame(() => fn());
  } else {
    setTimeout(fn, 0);
  }
};

export class Coordinator {
  readonly stats: CoordinatorStats = {
    requested: 0,
    executed: 0,
    cacheHits: 0,
    consolidated: 0,
    dropped: 0,
    batches: 0,
    sharedBuilt: 0,
    sharedReused: 0,
    sharedMs: 0,
  };
  /** Snapshot version + shared body text → its TEMP table, in LRU order. */
  private shared = new Map<string, string>();
  private sharedSeq = 0;
  private cache = new Map<string, Row[]>();
  private queue = new Map<string, Pending>();
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  private channels = new Map<string, AbortController>();
  /** The last {@link QUERY_LOG_SIZE} queries the engine ran, oldest first. */
  readonly log: QueryLogEntry[] = [];

  constructor(
    private readonly connector: Connector,
    private version: string,
    private readonly cacheLimit = 500,
  ) {}

  /** A new snapshot version invalidates the cache. */
  setVersion(version: string): void {
    if (version !== this.version) {
      this.version = version;
      this.cache.clear();
      this.running = this.running.then(() => this.dropShared());
    }
  }

  /** Queues `statement`; resolves with its rows unless superseded or aborted (then rejects with an AbortError). */
  request(statement: Sql, { signal, channel, label }: RequestOptions = {}): Promise<Row[]> {
    const sql = sqlText(statement);
    this.stats.requested++;
    if (channel !== undefined) {
      this.channels.get(channel)?.abort();
      const ctl = new AbortController();
      this.channels.set(channel, ctl);
      signal = signal ? anySignal([signal, ctl.signal]) : ctl.signal;
    }
    if (signal?.aborted) return Promise.reject(new StaleQueryError());
    const key = `${this.version}\n${sql}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      this.cache.delete(key);
      this.cache.set(key, hit); // LRU refresh
      return Promise.resolve(hit);
    }
    return new Promise<Row[]>((resolve, reject) => {
      let p = this.queue.get(key);
      if (p) this.stats.consolidated++;
      else this.queue.set(key, (p = { sql, label: label ?? sql.replace(/\s+/g, ' ').trim().slice(0, 60), waiters: [] }));
      const waiter = { resolve, reject, signal, channel };
      p.waiters.push(waiter);
      signal?.addEventListener('abort', () => reject(new StaleQueryError()), { once: true });
      if (!this.scheduled) {
        this.scheduled = true;
        nextFrame(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = [...this.queue.entries()];
    this.queue.clear();
    if (batch.length === 0) return;
    this.stats.batches++;
    const version = this.version;
    this.running = this.running.then(async () => {
      for (const [key, p] of batch) {
        const live = p.waiters.filter((w) => !w.signal?.aborted);
        if (live.length === 0) {
          this.stats.dropped++;
          continue;
        }
        const start = now();
        const channels = [...new Set(live.flatMap((w) => (w.channel === undefined ? [] : [w.channel])))];
        try {
          const rows = await this.connector.query(await this.withShared(p.sql, version));
          this.record({ label: p.label, start, ms: now() - start, rows: rows.length, channels });
          this.stats.executed++;
          if (version === this.version) this.remember(key, rows);
          for (const w of live) if (!w.signal?.aborted) w.resolve(rows);
        } catch (e) {
          this.record({ label: p.label, start, ms: now() - start, rows: 0, channels, failed: true });
          for (const w of live) w.reject(e);
        }
      }
    });
  }

  private record(entry: QueryLogEntry): void {
    this.log.push(entry);
    if (this.log.length > QUERY_LOG_SIZE) this.log.splice(0, this.log.length - QUERY_LOG_SIZE);
  }

  private remember(key: string, rows: Row[]): void {
    this.cache.set(key, rows);
    while (this.cache.size > this.cacheLimit) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** Forgets every cached result and drops the shared tables. */
  clearCache(): void {
    this.cache.clear();
    this.running = this.running.then(() => this.dropShared());
  }

  /**
   * `sql` with each shared sub-query replaced by its TEMP table, creating the missing ones (their
   * time counts in the query's). Runs inside the serial `running` chain, so no statement of ours
   * sees a table dropped under it.
   */
  private async withShared(sql: string, version: string): Promise<string> {
    const bodies = sharedBodies(sql);
    if (bodies.length === 0) return sql;
    const names = new Map<string, string>();
    for (const body of bodies) {
      const key = `${version}\n${body}`;
      let name = this.shared.get(key);
      if (name !== undefined) {
        this.stats.sharedReused++;
        this.shared.delete(key);
        this.shared.set(key, name); // LRU refresh
      } else {
        name = `__shared_${++this.sharedSeq}`;
        const t = now();
        await this.connector.query(`CREATE OR REPLACE TEMP TABLE ${name} AS ${body}`);
        this.stats.sharedMs += now() - t;
        this.stats.sharedBuilt++;
        this.shared.set(key, name);
        await this.evictShared([...names.values(), name]);
      }
      names.set(body, name);
    }
    return replaceShared(sql, names);
  }

  private async evictShared(keep: string[]): Promise<void> {
    for (const [key, name] of this.shared) {
      if (this.shared.size <= SHARED_TABLES) return;
      if (keep.includes(name)) continue;
      this.shared.delete(key);
      await this.connector.query(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
    }
  }

  private async dropShared(): Promise<void> {
    const names = [...this.shared.values()];
    this.shared.clear();
    for (const name of names) await this.connector.query(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
  }
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  const ctl = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      ctl.abort();
      break;
    }
    s.addEventListener('abort', () => ctl.abort(), { once: true });
  }
  return ctl.signal;
}
