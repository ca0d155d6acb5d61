/**
 * `dailySeries` with `span: 'all', days` — 2.1's forecast input (the last 30 full days) without
 * scanning all history: equal to the independent reference, and its last 30 full days equal those
 * of the whole-history series (what `<usage-api-calls>` fits on), in UTC and in zones with a DST
 * change or a half-hour offset, with a non-midnight anchor, and for data shorter than the span.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { API_CALLS_FORECAST_DAYS, defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { makeMainDataset, openDataset, singleUserDataset } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refDailySeries } from './reference/usage.js';

let conn: WasmNodeConnector;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
}, 30_000);
afterAll(async () => conn?.close());

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });
const lastFull = (s: Q.DailySeriesResult, n: number) => s.series.map(({ key, points }) => ({ key, points: points.filter((p) => !p.partial).slice(-n) }));

describe('dailySeries over the last days of the data (2.1 forecast input)', () => {
  let client: UsageDataClient;
  const ds = makeMainDataset();
  beforeAll(async () => {
    client = await openDataset(conn, ds);
  }, 30_000);

  for (const filters of [
    all(),
    all({ departments: ['sales', 'engineering'], userSegments: ['power', 'regular'] }),
    all({ intents: ['code_gen'], requestStatuses: ['error'] }),
  ]) {
    it(`equals the reference, and its last 30 full days equal the whole history's (${JSON.stringify(filters).length} chars of filters)`, async () => {
      const recent = await client.run(Q.dailySeries, filters, { span: 'all', days: API_CALLS_FORECAST_DAYS });
      expectClose(recent, refDailySeries(ds, filters, { span: 'all', days: API_CALLS_FORECAST_DAYS }));
      const whole = await client.run(Q.dailySeries, filters, { span: 'all' });
      expect(lastFull(recent, 30)).toEqual(lastFull(whole, 30));
      expect(lastFull(recent, 30)[0].points).toHaveLength(30);
      // The anchor is at noon: the last day is partial; 32 × 24 h back starts at noon too, so the first is partial as well.
      expect(recent.series[0].points.at(-1)!.partial).toBe(true);
      expect(recent.series[0].points[0].partial).toBe(true);
    });
  }

  for (const timeZone of ['America/New_York', 'Asia/Kolkata']) {
    it(`in ${timeZone}: the last 30 full local days equal the whole history's`, async () => {
      const recent = await client.run(Q.dailySeries, all(), { span: 'all', days: API_CALLS_FORECAST_DAYS }, { timeZone });
      const whole = await client.run(Q.dailySeries, all(), { span: 'all' }, { timeZone });
      expect(lastFull(recent, 30)).toEqual(lastFull(whole, 30));
      expect(lastFull(recent, 30)[0].points).toHaveLength(30);
    });
  }

  it('rejects a bad days value', () => {
    expect(() => Q.dailySeries.sql(client.context(all()), { span: 'all', days: 0 })).toThrow(/days/);
    expect(() => Q.dailySeries.sql(client.context(all()), { span: 'all', days: 1.5 })).toThrow(/days/);
  });
});

it('data shorter than the span: the same series as the whole history', async () => {
  const ds = singleUserDataset();
  const client = await openDataset(conn, ds);
  const recent = await client.run(Q.dailySeries, all(), { span: 'all', days: 400 });
  expect(recent).toEqual(await client.run(Q.dailySeries, all(), { span: 'all' }));
  expectClose(recent, refDailySeries(ds, all(), { span: 'all' }));
});
