/**
 * The service follows the published snapshot: a new version (the exporter writing to the same
 * `--out`) is synced into the registry, its alerts are evaluated, and only then does it answer;
 * calls running on the old version finish on it; a broken version is refused and the old one kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo } from '@usage-analytics/exporter';
import type { Manifest } from '@usage-analytics/queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedVersion } from '../src/live-usage.js';
import { startService, type RunningService } from '../src/service.js';
import { AUTH, ENGINES, arrowTable, cleanupTmp, tmp, token } from './helpers.js';

const DAY = 86_400_000;
const END1 = Date.UTC(2026, 9, 20);
const END2 = Date.UTC(2026, 10, 1);

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
const agentIds = (dir: string) =>
  arrowTable(dir, 'agents')
    .toArray()
    .map((r) => String((r as { agent_id: unknown }).agent_id))
    .sort();
const requestCount = (dir: string) => arrowTable(dir, 'requests').numRows;

afterAll(() => cleanupTmp());

describe.each(ENGINES)('a newly published snapshot on $name', (engine) => {
  let dir: string;
  let svc: RunningService;
  let drop: () => Promise<void>;
  let now = new Date(END1 + 9 * 3_600_000);
  let v1: string;
  let v1Requests: number;
  const refreshes: { changed: boolean; snapshotId: string; error?: Error }[] = [];

  beforeAll(async () => {
    dir = tmp('live');
    await runDemo({ requests: 4_000, days: 20, seed: 3, end: END1, outDir: dir, batchRows: 10_000, precompute: undefined });
    v1 = await publishedVersion(dir);
    v1Requests = requestCount(dir);
    const db = await engine.fresh();
    drop = db.drop;
    svc = await startService({
      databaseUrl: db.url,
      snapshotDir: dir,
      auth: AUTH,
      now: () => now,
      alertEvalMs: 0,
      snapshotPollMs: 0,
      outbox: false,
      onSnapshot: (r) => refreshes.push(r),
    });
  }, 180_000);
  afterAll(async () => {
    await svc?.close();
    await drop?.();
  });

  const get = async (url: string) => {
    const res = await svc.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await token({ roles: ['admin'], departments: ['*'] })}` } });
    expect(res.statusCode, url).toBe(200);
    return res.json() as unknown;
  };
  const rule = async () => {
    const { rows } = await svc.db.query<{ last_at: string | null; evaluated_at: string | null }>(
      `SELECT last_at::text AS last_at, evaluated_at::text AS evaluated_at FROM alert_rules WHERE resource_type = 'compute'`,
    );
    return rows[0];
  };

  it('nothing new published: the version stays', async () => {
    const r = await svc.refreshSnapshot();
    expect(r).toEqual({ changed: false, snapshotId: v1 });
    expect(svc.usage.snapshotId).toBe(v1);
    expect(svc.usage.swaps).toBe(0);
  });

  it('a new version is synced into the registry and its alerts evaluated before it answers; running calls finish on the old one', async () => {
    // A rule, evaluated on the first version.
    const res = await svc.app.inject({
      method: 'POST',
      url: '/v1/actions/capacity-alert',
      headers: { authorization: `Bearer ${await token({ userId: 'ops-1', roles: ['devops'], departments: ['*'] })}`, 'idempotency-key': 'live-rule-1' },
      payload: {
        resourceType: 'compute',
        environment: 'production',
        warning: { value: 60, unit: 'pct' },
        critical: { value: 85, unit: 'pct' },
        channels: { inApp: true },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    await svc.refreshSnapshot(); // nothing new: no evaluation
    const { rows: before } = await svc.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_events');

    // A stream on the first version, started before the swap and read after it.
    const stream = svc.usage.stream('SELECT ts FROM requests ORDER BY ts');
    const firstChunk = await stream.next();
    expect(firstChunk.done).toBe(false);
    let streamed = (firstChunk.value as unknown[]).length;

    await runDemo({ requests: 6_000, days: 30, seed: 4, end: END2, outDir: dir, batchRows: 10_000, precompute: undefined });
    const v2 = await publishedVersion(dir);
    expect(v2).not.toBe(v1);
    now = new Date(END2 + 9 * 3_600_000);
    const r = await svc.refreshSnapshot();
    expect(r).toEqual({ changed: true, snapshotId: v2 });
    expect(refreshes.at(-1)).toEqual(r);
    expect(svc.usage.snapshotId).toBe(v2);
    expect(svc.usage.timeRange).toEqual(manifest(dir).time_range);

    // The old stream still reads the first version to its end.
    for await (const chunk of { [Symbol.asyncIterator]: () => stream }) streamed += (chunk as unknown[]).length;
    expect(streamed).toBe(v1Requests);
    expect(requestCount(dir)).not.toBe(v1Requests);

    // New queries read the new version.
    const rows = await svc.usage.query('SELECT count(*)::INTEGER AS n FROM requests');
    expect(rows[0].n).toBe(requestCount(dir));

    // The registry holds the new version's agents.
    const registry = (await get('/v1/registry/agents')) as { agent_id: string }[];
    const ids = new Set(registry.map((a) => a.agent_id));
    for (const id of agentIds(dir)) expect(ids.has(id), id).toBe(true);

    // The rule was evaluated on the new version's samples (its last sample is after the first version's end).
    const after = await rule();
    expect(after.last_at).not.toBeNull();
    expect(Date.parse(after.last_at!)).toBeGreaterThanOrEqual(END1);
    expect(Date.parse(after.last_at!)).toBeLessThan(END2 + DAY);
    const { rows: events } = await svc.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_events');
    expect(events[0].n).toBeGreaterThanOrEqual(before[0].n);
  }, 180_000);

  it('a broken version is refused: the service keeps answering from the one it has', async () => {
    const good = svc.usage.snapshotId;
    const m = manifest(dir);
    const broken = { ...m, tables: { ...m.tables, requests: { ...m.tables.requests, file: 'v-missing/requests.arrow' } } };
    const saved = readFileSync(join(dir, 'manifest.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(broken));
    try {
      const r = await svc.refreshSnapshot();
      expect(r.changed).toBe(false);
      expect(r.snapshotId).toBe(good);
      expect(r.error?.message).toMatch(/snapshot v-missing was not taken/);
      const rows = await svc.usage.query('SELECT count(*)::INTEGER AS n FROM requests');
      writeFileSync(join(dir, 'manifest.json'), saved);
      expect(rows[0].n).toBe(requestCount(dir));
    } finally {
      writeFileSync(join(dir, 'manifest.json'), saved);
    }
  }, 60_000);
});
