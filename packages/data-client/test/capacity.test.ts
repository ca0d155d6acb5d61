/**
 * Capacity (chart 2.13) in real DuckDB-WASM on a hand-made capacity table: the latest sample and the
 * window's peak per resource × environment (`capacityUtilisation`) and the bucketed series
 * (`capacitySeries`), against the independent reference and against figures written out by hand —
 * no samples in the window, max_capacity 0, ties on time, ties on the peak, window boundaries,
 * usage above capacity, the environment filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { US_DAY, US_HOUR, emptyDataset, openDataset, us, type CapacityRow, type Dataset } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refCapacitySeries, refCapacityUtilisation } from './reference/usage.js';

const ANCHOR = '2026-03-01T00:00:00.000Z';
const A = us(ANCHOR);
const W7 = A - 7 * US_DAY; // start of the 7-day window
const ms = (u: number) => Math.floor(u / 1000);

const UNITS: Record<string, string> = { api_rate_limit: 'req/min', compute: 'vCPU', memory: 'GiB', tokens_per_min: 'tokens/min' };
const row = (
  resource_type: string,
  environment: string,
  ts: number,
  current_usage: number,
  max_capacity: number,
  over: Partial<CapacityRow> = {},
): CapacityRow => ({
  ts,
  resource_type,
  environment,
  current_usage,
  max_capacity,
  warning_threshold: 0.75,
  critical_threshold: 0.9,
  unit: UNITS[resource_type],
  ...over,
});

function capacityDataset(): Dataset {
  const ds = emptyDataset();
  ds.name = 'capacity';
  ds.anchor = ANCHOR;
  ds.start = '2026-01-01T00:00:00.000Z';
  ds.capacity = [
    // api_rate_limit/production: two samples at the latest time (the higher usage is current); the
    // peak 90 % is reached three times: once early, twice at one later time (900 of 1000 and 1800 of
    // 2000 share time and utilisation: the higher usage is the peak).
    row('api_rate_limit', 'production', W7 + 1 * US_HOUR, 900, 1000),
    row('api_rate_limit', 'production', W7 + 5 * US_HOUR, 900, 1000),
    row('api_rate_limit', 'production', W7 + 5 * US_HOUR, 1800, 2000),
    row('api_rate_limit', 'production', W7 + 6 * US_HOUR, 700, 1000),
    row('api_rate_limit', 'production', A - US_HOUR, 500, 1000),
    row('api_rate_limit', 'production', A - US_HOUR, 650, 1000),
    // compute/production: samples only before the 7-day window (current from 20 days ago, no peak).
    row('compute', 'production', A - 21 * US_DAY, 40, 64),
    row('compute', 'production', A - 20 * US_DAY, 60, 64),
    // memory/production: the latest sample has max_capacity 0 (unknown); the peak comes from earlier ones.
    row('memory', 'production', W7 + 2 * US_HOUR, 100, 256),
    row('memory', 'production', W7 + 3 * US_HOUR, 200, 256),
    row('memory', 'production', A - 2 * US_HOUR, 50, 0),
    // memory/staging: only max_capacity 0 in the window: no peak, unknown.
    row('memory', 'staging', W7 + 4 * US_HOUR, 10, 0),
    // tokens_per_min/staging: one sample exactly at the window start (in), one exactly at the end
    // (out), one above capacity (110 %), thresholds of their own.
    row('tokens_per_min', 'staging', W7, 800, 1000, { warning_threshold: 0.5, critical_threshold: 0.8 }),
    row('tokens_per_min', 'staging', W7 + 30 * US_HOUR, 1100, 1000, { warning_threshold: 0.5, critical_threshold: 0.8 }),
    row('tokens_per_min', 'staging', W7 + 31 * US_HOUR, 100, 1000, { warning_threshold: 0.5, critical_threshold: 0.8 }),
    row('tokens_per_min', 'staging', A, 2000, 1000, { warning_threshold: 0.5, critical_threshold: 0.8 }),
    // development: before the window too, filtered away by the environment filter.
    row('compute', 'development', W7 + 10 * US_HOUR, 63, 64),
  ];
  return ds;
}

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: '7d' }, ...over });

let conn: WasmNodeConnector;
let client: UsageDataClient;
const ds = capacityDataset();
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 30_000);
afterAll(async () => conn?.close());

const SCENARIOS: [string, UsageFilters][] = [
  ['7 days, every environment', all()],
  ['7 days, production', all({ environments: ['production'] })],
  ['30 days, staging and development', all({ timeRange: { preset: '30d' }, environments: ['staging', 'development'] })],
  ['custom range with no samples at all', all({ timeRange: { preset: 'custom', start: '2025-06-01', end: '2025-07-01' } })],
  ['custom range over the first week only', all({ timeRange: { preset: 'custom', start: '2026-02-01', end: '2026-02-23' } })],
];

describe.each(SCENARIOS)('%s', (_name, filters) => {
  it('capacityUtilisation matches the reference', async () => {
    expectClose(await client.run(Q.capacityUtilisation, filters, undefined), refCapacityUtilisation(ds, filters));
  });
  it('capacitySeries (hour and day) matches the reference', async () => {
    for (const bucket of ['hour', 'day'] as const) {
      expectClose(await client.run(Q.capacitySeries, filters, { bucket }), refCapacitySeries(ds, filters, { bucket }));
    }
  });
});

describe('capacityUtilisation, figures written out', () => {
  const gauges = () => client.run(Q.capacityUtilisation, all(), undefined);
  const find = async (r: string, e: string) => (await gauges()).find((g) => g.resourceType === r && g.environment === e)!;

  it('ties on time: the higher usage is current; ties on the peak: the latest, then the higher usage; all tied samples counted', async () => {
    const g = await find('api_rate_limit', 'production');
    expect(g).toMatchObject({ at: ms(A - US_HOUR), currentUsage: 650, utilisation: 65, status: 'ok', unit: 'req/min' });
    expect(g).toMatchObject({ peakUtilisation: 90, peakAt: ms(W7 + 5 * US_HOUR), peakUsage: 1800, peakCapacity: 2000, peakStatus: 'critical', peakSamples: 3 });
    expect(g).toMatchObject({ samples: 6, warningSamples: 3, criticalSamples: 3 });
  });

  it('no samples in the window: the latest sample before it stays current, no peak', async () => {
    const g = await find('compute', 'production');
    expect(g).toMatchObject({
      at: ms(A - 20 * US_DAY),
      currentUsage: 60,
      status: 'critical',
      samples: 0,
      warningSamples: 0,
      criticalSamples: 0,
      peakSamples: 0,
    });
    expect([g.peakUtilisation, g.peakAt, g.peakUsage, g.peakCapacity, g.peakStatus]).toEqual([null, null, null, null, null]);
  });

  it('max_capacity 0: unknown and no utilisation; such samples never make the peak', async () => {
    const m = await find('memory', 'production');
    expect(m).toMatchObject({
      utilisation: null,
      status: 'unknown',
      samples: 2,
      peakUsage: 200,
      peakCapacity: 256,
      peakAt: ms(W7 + 3 * US_HOUR),
      peakStatus: 'warning',
    });
    expect(m.peakUtilisation).toBeCloseTo(78.125, 9);
    const s = await find('memory', 'staging');
    expect(s).toMatchObject({ utilisation: null, status: 'unknown', samples: 0, peakUtilisation: null, peakStatus: null });
  });

  it('window start is in, window end is out; above capacity counts; each sample against its own thresholds', async () => {
    const g = await find('tokens_per_min', 'staging');
    expect(g).toMatchObject({ at: ms(W7 + 31 * US_HOUR), currentUsage: 100, status: 'ok', warningThreshold: 50, criticalThreshold: 80 });
    expect(g).toMatchObject({ peakUsage: 1100, peakAt: ms(W7 + 30 * US_HOUR), peakStatus: 'critical', samples: 3, warningSamples: 2, criticalSamples: 2 });
    expect(g.peakUtilisation).toBeCloseTo(110, 9);
  });

  it('the environment filter keeps only those environments; an empty window still lists the latest samples', async () => {
    expect((await client.run(Q.capacityUtilisation, all({ environments: ['production'] }), undefined)).map((g) => g.environment)).toEqual([
      'production',
      'production',
      'production',
    ]);
    const none = await client.run(Q.capacityUtilisation, all({ timeRange: { preset: 'custom', start: '2025-06-01', end: '2025-07-01' } }), undefined);
    expect(none).toEqual([]);
  });

  it('capacitySeries counts warning and critical breaches per bucket', async () => {
    const s = await client.run(Q.capacitySeries, all({ environments: ['staging'] }), { bucket: 'day', resourceType: 'tokens_per_min' });
    expect(s.map((p) => [p.samples, p.breaches, p.criticalBreaches])).toEqual([
      [1, 1, 1],
      [2, 1, 1],
    ]);
  });
});
