/**
 * Two engines, one answer: every query module gives the same rows in native DuckDB (the exporter,
 * which precomputes first paint) and in DuckDB-WASM (the browser), on a real demo snapshot, under
 * the default filters and a few others; and the shipped precomputed rows are what WASM computes.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSnapshotDir, type UsageDataClient } from '@usage-analytics/data-client/node';
import { dimensionsOf } from '@usage-analytics/data-client';
import * as Q from '@usage-analytics/queries';
import { DEFAULT_FILTERS, DEFAULT_VIEW_QUERIES, defaultFilters, makeContext, type QueryModule, type UsageFilters } from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { NativeConnector } from '../src/native-connector.js';
import { precomputeDefaultView } from '../src/precompute.js';
import { cleanupTmp, tmp } from './helpers.js';
import { SAMPLE_SQL, benchParams, toSample, type Sample } from '../../../scripts/bench/cases.js';

type AnyModule = QueryModule<any, any>;
const modules = Object.values(Q).filter(
  (v): v is AnyModule => !!v && typeof v === 'object' && typeof (v as AnyModule).sql === 'function' && typeof (v as AnyModule).transform === 'function',
);

let dir: string;
let native: NativeConnector;
let wasm: UsageDataClient;
let sample: Sample;

beforeAll(async () => {
  dir = join(tmp('engines'), 'snap');
  await runDemo({ requests: 30_000, days: 75, seed: 11, end: Date.UTC(2026, 10, 1), outDir: dir, precompute: precomputeDefaultView });
  native = await NativeConnector.create();
  await native.loadSnapshot(dir);
  wasm = await openSnapshotDir(dir);
  await wasm.ready;
  sample = toSample((await native.query(SAMPLE_SQL))[0]);
}, 180_000);

afterAll(async () => {
  native?.close();
  await wasm?.close();
  cleanupTmp();
});

const paramsFor = (name: string): unknown => benchParams(name, sample);

/** Rounds doubles so last-bit differences between engines (sum order) do not count. */
function canonical(rows: unknown): unknown {
  return JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v)));
}

const scenarios: Record<string, UsageFilters> = {
  default: DEFAULT_FILTERS,
  all90: defaultFilters({ timeRange: { preset: '90d' }, agentStatuses: [], environments: [] }),
  custom: defaultFilters({ timeRange: { preset: 'custom', start: '2026-09-30T12:00:00Z', end: '2026-10-31' }, userSegments: ['power', 'new'] }),
  // Saved segments (A2.3): the union of two, AND the other filters; one with 'all' agents and the last-active bound.
  savedSegments: defaultFilters({
    timeRange: { preset: '90d' },
    savedSegments: [
      { id: 'busy', name: 'Busy', criteria: Q.normaliseSegmentCriteria({ requests: { min: 15, max: 400 }, engagement: ['power', 'regular'] }) },
      {
        id: 'recent',
        name: '<b>Recent</b>',
        criteria: Q.normaliseSegmentCriteria({ windowDays: 7, lastActiveWithinDays: 3, departments: ['engineering', 'support'] }),
      },
    ],
  }),
};

describe('native DuckDB and DuckDB-WASM agree', () => {
  it('finds the modules', () => {
    expect(modules.length).toBeGreaterThan(20);
  });

  for (const [scenario, filters] of Object.entries(scenarios)) {
    it(`every module, ${scenario} filters`, async () => {
      const ctx = makeContext(filters, wasm.anchor, wasm.dataStart);
      let compared = 0;
      for (const m of modules) {
        const sql = m.sql(ctx, paramsFor(m.name)).text;
        const [a, b] = await Promise.all([native.query(sql), wasm.connector.query(sql)]);
        expect(canonical(a), `${m.name} (${scenario})`).toEqual(canonical(b));
        compared++;
      }
      expect(compared).toBeGreaterThan(20);
    }, 120_000);
  }

  it('the saved-segment scenario selects some users, fewer than all', async () => {
    const k = await wasm.run(Q.kpis, scenarios.savedSegments, undefined);
    const plain = await wasm.run(Q.kpis, { ...scenarios.savedSegments, savedSegments: [] }, undefined);
    expect(k.uniqueUsers.value).toBeGreaterThan(0);
    expect(k.uniqueUsers.value).toBeLessThan(plain.uniqueUsers.value);
  });

  it('the time-zone paths (chart 2.16) agree too: DST, half-hour zones, UTC', async () => {
    const cases: [AnyModule, unknown][] = [
      [Q.hourWeekday, { timeZone: 'America/New_York' }],
      [Q.hourWeekday, { timeZone: 'Asia/Kolkata' }],
      [Q.hourWeekday, { timeZone: 'UTC' }],
      [Q.maintenanceWindows, { timeZone: 'Europe/Berlin', upcomingDays: 60 }],
      [Q.requestsInHourWeekday, { weekday: 7, hour: 1, timeZone: 'America/New_York', limit: 500 }],
      [Q.requestsInHourWeekday, { weekday: 2, hour: 9, timeZone: 'Asia/Kathmandu' }],
    ];
    for (const filters of Object.values(scenarios)) {
      const ctx = makeContext(filters, wasm.anchor, wasm.dataStart);
      for (const [m, p] of cases) {
        const sql = m.sql(ctx, p).text;
        const [a, b] = await Promise.all([native.query(sql), wasm.connector.query(sql)]);
        expect(canonical(m.transform(a, ctx, p)), `${m.name} ${JSON.stringify(p)}`).toEqual(canonical(m.transform(b, ctx, p)));
      }
    }
  }, 120_000);

  it('the precomputed first-paint rows are exactly what DuckDB-WASM computes', async () => {
    const pre = wasm.manifest.precomputed;
    expect(pre?.file).toMatch(/precomputed\.json$/);
    for (const { module, params } of DEFAULT_VIEW_QUERIES) {
      const shipped = wasm.precomputed(module, DEFAULT_FILTERS, params);
      expect(shipped, module.name).toBeDefined();
      const ctx = makeContext(DEFAULT_FILTERS, wasm.anchor, wasm.dataStart);
      const live = module.transform(await wasm.connector.query(module.sql(ctx, params).text), ctx, params);
      expect(canonical(shipped)).toEqual(canonical(live));
    }
  });

  it('the shipped dimensions are what DuckDB-WASM reads from the loaded tables', async () => {
    const shipped = await wasm.dimensions(); // served from precomputed.json, before any table query
    const live = await dimensionsOf(wasm.connector);
    expect(shipped).toEqual(live);
    expect(live.departments.length).toBeGreaterThan(5);
    expect(live.agentIds.length).toBeGreaterThan(10);
  });
});
