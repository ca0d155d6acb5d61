/**
 * Issue 7 A1, the first-paint path: real log files (NDJSON and CSV) whose last request has six
 * fractional digits are exported with the default precompute; the manifest's data end keeps every
 * microsecond, and the precomputed default KPIs equal both an independent count over the log rows
 * and what DuckDB-WASM computes for the same query in the browser client.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSnapshotDir } from '@usage-analytics/data-client/node';
import { DEFAULT_FILTERS, DEFAULT_VIEW_QUERIES, kpis, makeContext } from '@usage-analytics/queries';
import { isoToMicros, microsToIso } from '../../data-client/test/reference/instant.js';
import { runLogsSnapshot } from '../src/logs-snapshot.js';
import { precomputeDefaultView } from '../src/precompute.js';
import { cleanupTmp, micros, readSnapshot, tmp } from './helpers.js';

afterAll(cleanupTmp);

const US_DAY = 86_400_000_000;
/** The data end the export must record: one µs after the last request. */
const END = '2026-03-10T09:30:00.123457Z';
const E = isoToMicros(END);

interface LogRow {
  request_id: string;
  ts: number;
  user_id: string;
  agent_id: string;
  environment: 'production' | 'staging';
}

/** mulberry32, so the rows are the same on every run. */
function rnd(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function logRows(): LogRow[] {
  const r = rnd(3);
  const rows: LogRow[] = [];
  for (let i = 0; i < 400; i++) {
    const ts = E - 1 - Math.floor(r() * 75 * US_DAY);
    rows.push({ request_id: `r${i}`, ts, user_id: `u${i % 23}`, agent_id: `a${i % 5}`, environment: r() < 0.8 ? 'production' : 'staging' });
  }
  // Each boundary request has its own user and agent, so calls, users and agents all show a move.
  const edges: Record<string, number> = {
    last: E - 1, // the last request: …:00.123456
    oldMsAnchor: E - 457, // …:00.123000, excluded by a millisecond anchor
    start30d: E - 30 * US_DAY,
    beforeStart30d: E - 30 * US_DAY - 1, // previous window; a millisecond anchor counts it as current
    prevStart30d: E - 60 * US_DAY,
    beforePrevStart30d: E - 60 * US_DAY - 1,
  };
  for (const [name, ts] of Object.entries(edges))
    rows.push({ request_id: `edge-${name}`, ts, user_id: `edge-${name}`, agent_id: `edge-${name}`, environment: 'production' });
  return rows;
}

/** Independent default-view KPIs (30 d before the data end, Production; log agents are all Active). */
function expectedKpis(rows: LogRow[]) {
  const stat = (from: number, to: number) => {
    const w = rows.filter((x) => x.environment === 'production' && x.ts >= from && x.ts < to);
    return { calls: w.length, users: new Set(w.map((x) => x.user_id)).size, agents: new Set(w.map((x) => x.agent_id)).size };
  };
  return { cur: stat(E - 30 * US_DAY, E), prev: stat(E - 60 * US_DAY, E - 30 * US_DAY) };
}

const FIELDS = ['request_id', 'ts', 'user_id', 'agent_id', 'status', 'latency_ms', 'input_tokens', 'output_tokens', 'cost_usd', 'environment'] as const;
const record = (x: LogRow): Record<(typeof FIELDS)[number], string | number> => ({
  ...x,
  ts: microsToIso(x.ts), // always six fractional digits
  status: 'success',
  latency_ms: 200,
  input_tokens: 10,
  output_tokens: 5,
  cost_usd: 0.001,
});

const WRITERS: Record<string, (path: string, rows: LogRow[]) => void> = {
  ndjson: (path, rows) => writeFileSync(path, rows.map((x) => JSON.stringify(record(x))).join('\n') + '\n'),
  csv: (path, rows) => writeFileSync(path, [FIELDS.join(','), ...rows.map((x) => FIELDS.map((f) => record(x)[f]).join(','))].join('\n') + '\n'),
};

/** Rounds doubles so last-bit differences between engines (sum order) do not count. */
const canonical = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isInteger(x) ? Number(x.toPrecision(10)) : x)));

describe.each(Object.keys(WRITERS))('%s log whose last request is sub-millisecond', (format) => {
  it('records the exact data end and precomputes the default KPIs on it', async () => {
    const dir = tmp(`subms-${format}`);
    const rows = logRows();
    const src = join(dir, `logs.${format}`);
    WRITERS[format](src, rows);
    const out = join(dir, 'out');
    const r = await runLogsSnapshot({ sources: [src], outDir: out, precompute: precomputeDefaultView });
    expect(r.validation.quarantined).toBe(0);

    const { manifest, tables } = readSnapshot(out);
    expect(manifest.time_range.end).toBe(END);
    expect(isoToMicros(manifest.time_range.start)).toBe(Math.min(...rows.map((x) => x.ts)));
    expect(Math.max(...(micros(tables.requests, 'ts') as number[]))).toBe(E - 1);

    const { cur, prev } = expectedKpis(rows);
    const client = await openSnapshotDir(out);
    try {
      const shipped = client.precomputed(kpis, DEFAULT_FILTERS, undefined);
      expect(shipped).toBeDefined();
      expect(shipped!.totalCalls).toMatchObject({ value: cur.calls, previous: prev.calls });
      expect(shipped!.uniqueUsers).toMatchObject({ value: cur.users, previous: prev.users });
      expect(shipped!.activeAgents).toMatchObject({ value: cur.agents, previous: prev.agents });

      // Every shipped first-paint answer is what DuckDB-WASM computes in the client.
      await client.ready;
      const ctx = makeContext(DEFAULT_FILTERS, client.anchor, client.dataStart);
      for (const { module, params } of DEFAULT_VIEW_QUERIES) {
        const pre = client.precomputed(module, DEFAULT_FILTERS, params);
        expect(pre, module.name).toBeDefined();
        const live = module.transform(await client.connector.query(String(module.sql(ctx, params))), ctx, params);
        expect(canonical(pre), module.name).toEqual(canonical(live));
      }
    } finally {
      await client.close();
    }
  }, 120_000);
});
