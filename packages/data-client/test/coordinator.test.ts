/** Coordinator: batching within a frame, cache by (sql, version), stale drop per channel. */
import { describe, expect, it } from 'vitest';
import { sql, type Row } from '@usage-analytics/queries';
import type { Connector } from '../src/connector.js';
import { Coordinator } from '../src/coordinator.js';
import { isStale } from '../src/errors.js';

/** A connector that records executions; each query resolves when `release()` is called (or at once). */
class FakeConnector implements Connector {
  readonly engine = 'fake';
  readonly executed: string[] = [];
  private gates: (() => void)[] = [];
  constructor(private readonly manual = false) {}
  async query(sql: string): Promise<Row[]> {
    this.executed.push(sql);
    if (this.manual) await new Promise<void>((r) => this.gates.push(r));
    if (sql.startsWith('FAIL')) throw new Error(`boom: ${sql}`);
    return [{ sql, n: this.executed.length }];
  }
  release(): void {
    this.gates.shift()?.();
  }
  get waiting(): number {
    return this.gates.length;
  }
  async insertArrowStream(): Promise<void> {}
  async close(): Promise<void> {}
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const settle = async () => {
  for (let i = 0; i < 5; i++) await tick();
};

describe('Coordinator', () => {
  it('runs N identical requests issued in one frame once', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1');
    const results = await Promise.all(Array.from({ length: 8 }, () => co.request(sql`SELECT 1`)));
    expect(c.executed).toEqual(['SELECT 1']);
    expect(new Set(results).size).toBe(1);
    expect(co.stats).toMatchObject({ requested: 8, executed: 1, consolidated: 7, batches: 1 });
  });

  it('batches distinct queries of one frame and runs each once', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1');
    await Promise.all([sql`A`, sql`B`, sql`A`, sql`C`, sql`B`].map((s) => co.request(s)));
    expect(c.executed).toEqual(['A', 'B', 'C']);
    expect(co.stats.batches).toBe(1);
  });

  it('caches by (sql, version): a repeat is a hit, a new version re-executes', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1');
    const first = await co.request(sql`SELECT x`);
    const again = await co.request(sql`SELECT x`);
    expect(again).toBe(first);
    expect(c.executed).toHaveLength(1);
    expect(co.stats.cacheHits).toBe(1);
    co.setVersion('v2');
    const fresh = await co.request(sql`SELECT x`);
    expect(fresh).not.toBe(first);
    expect(c.executed).toHaveLength(2);
    co.setVersion('v2'); // same version keeps the cache
    await co.request(sql`SELECT x`);
    expect(c.executed).toHaveLength(2);
  });

  it('drops a superseded request on the same channel before it runs (AbortError, never executed)', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1');
    const old = co.request(sql`SELECT old`, { channel: 'chart-1' });
    const other = co.request(sql`SELECT other`, { channel: 'chart-2' });
    const cur = co.request(sql`SELECT new`, { channel: 'chart-1' });
    await expect(old).rejects.toMatchObject({ name: 'AbortError' });
    await expect(old).rejects.toSatisfy(isStale);
    await expect(cur).resolves.toEqual([{ sql: 'SELECT new', n: 2 }]);
    await other;
    expect(c.executed).toEqual(['SELECT other', 'SELECT new']);
    expect(co.stats.dropped).toBe(1);
  });

  it('rejects a superseded request that already started, without delivering its rows', async () => {
    const c = new FakeConnector(true);
    const co = new Coordinator(c, 'v1');
    const old = co.request(sql`SELECT slow`, { channel: 'chart' });
    await settle();
    expect(c.executed).toEqual(['SELECT slow']);
    const cur = co.request(sql`SELECT fast`, { channel: 'chart' });
    await expect(old).rejects.toMatchObject({ name: 'AbortError' });
    c.release();
    await settle();
    c.release();
    await expect(cur).resolves.toEqual([{ sql: 'SELECT fast', n: 2 }]);
  });

  it('keeps serving a consolidated query to the live waiter when another waiter aborts', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1');
    const ctl = new AbortController();
    const a = co.request(sql`SELECT shared`, { signal: ctl.signal });
    const b = co.request(sql`SELECT shared`);
    ctl.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    await expect(b).resolves.toHaveLength(1);
    expect(c.executed).toEqual(['SELECT shared']);
  });

  it('rejects at once for an already aborted signal and never queues it', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1');
    const ctl = new AbortController();
    ctl.abort();
    await expect(co.request(sql`SELECT 1`, { signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await settle();
    expect(c.executed).toEqual([]);
  });

  it('propagates engine errors to every waiter and does not cache them', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1');
    const r = await Promise.allSettled([co.request(sql`FAIL 1`), co.request(sql`FAIL 1`)]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    await expect(co.request(sql`FAIL 1`)).rejects.toThrow(/boom/);
    expect(c.executed).toEqual(['FAIL 1', 'FAIL 1']);
  });

  it('evicts the least recently used entry beyond the cache limit', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1', 2);
    await co.request(sql`A`);
    await co.request(sql`B`);
    await co.request(sql`A`); // refresh A
    await co.request(sql`C`); // evicts B
    await co.request(sql`A`);
    await co.request(sql`B`);
    expect(c.executed).toEqual(['A', 'B', 'C', 'B']);
  });

  it('logs each executed query once (label, channels that waited, rows, time), not cache hits or dropped ones, and keeps the last 256', async () => {
    const c = new FakeConnector();
    const co = new Coordinator(c, 'v1');
    await Promise.all([co.request(sql`SELECT 1`, { label: 'kpis', channel: 'a' }), co.request(sql`SELECT 1`, { label: 'kpis', channel: 'b' })]);
    await co.request(sql`SELECT 1`, { label: 'kpis', channel: 'a' }); // cache hit: not run, not logged
    await co.request(sql`SELECT   2   FROM t`);
    await expect(co.request(sql`FAIL 3`, { label: 'bad' })).rejects.toThrow(/boom/);
    expect(co.log.map(({ label, rows, channels, failed }) => ({ label, rows, channels, failed }))).toEqual([
      { label: 'kpis', rows: 1, channels: ['a', 'b'], failed: undefined },
      { label: 'SELECT 2 FROM t', rows: 1, channels: [], failed: undefined },
      { label: 'bad', rows: 0, channels: [], failed: true },
    ]);
    for (const e of co.log) expect(e.ms).toBeGreaterThanOrEqual(0);
    expect(co.log[1].start).toBeGreaterThanOrEqual(co.log[0].start);

    const dropped = co.request(sql`SELECT 9`, { channel: 'x' });
    const kept = co.request(sql`SELECT 10`, { channel: 'x' });
    await expect(dropped).rejects.toSatisfy(isStale);
    await kept;
    expect(co.log.at(-1)!.label).toBe('SELECT 10');
    expect(co.log.some((e) => e.label === 'SELECT 9')).toBe(false);

    for (let i = 0; i < 300; i++) await co.request(sql`SELECT ${i} + 100`);
    expect(co.log.length).toBe(256);
    expect(co.log.at(-1)!.label).toBe('SELECT 299 + 100');
  });
});
