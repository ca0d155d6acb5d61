/**
 * Issue 7 A4: the 24 × 7 grid works for any range (it threw "too many hour buckets" past ~417 days),
 * in real DuckDB-WASM against the reference (which lists every hour of the window), with multi-year
 * ranges, partial first/last hours and sub-millisecond bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { makeMainDataset, openDataset, us } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refHourWeekday } from './reference/usage.js';

const custom = (start: string, end: string): UsageFilters =>
  defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: 'custom', start, end } });

const ds = makeMainDataset();
let conn: WasmNodeConnector;
let client: UsageDataClient;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 30_000);
afterAll(async () => conn?.close());

describe.each([
  ['the whole data and then some (eight years)', custom('2018-01-01', '2026-03-10T12:00:00Z')],
  ['two years, sub-hour edges', custom('2024-03-10T11:59:59.999999', '2026-03-10T00:00:00.000001')],
  ['425 days (just past the old limit)', custom('2025-01-10T07:30', '2026-03-11T07:30')],
  ['a century', custom('1950-01-01T00:30:00Z', '2050-06-01T23:45:00.5Z')],
  ['one partial hour', custom('2026-02-27T10:15:00', '2026-02-27T10:45:00')],
  ['two partial hours around 11:00', custom('2026-02-27T10:59:59.999999', '2026-02-27T11:00:00.000001')],
  ['90d preset', defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: '90d' } })],
  ['one department over three years', { ...custom('2023-03-01', '2026-03-10T12:00:00Z'), departments: ['sales'] }],
])('%s', (_name, f) => {
  it('matches the reference', async () => {
    const cells = await client.run(Q.hourWeekday, f, undefined);
    expect(cells).toHaveLength(168);
    expectClose(cells, refHourWeekday(ds, f));
  });
});

it('counts every request of a multi-year range once', async () => {
  const cells = await client.run(Q.hourWeekday, custom('2018-01-01', '2026-03-10T12:00:00Z'), undefined);
  const end = us('2026-03-10T12:00:00Z');
  expect(cells.reduce((a, c) => a + c.requests, 0)).toBe(ds.requests.filter((r) => r.ts < end).length);
  // 2018-01-01 (a Monday) .. 2026-03-10 12:00 (a Tuesday): 8 × 365 + 2 leap days + 68 = 2,990 days
  // = 427 weeks + 1 day, then 12 hours: Mondays and Tuesday 00–11 h occur 428 times, the rest 427.
  const weeks = 427;
  for (const c of cells) expect(c.occurrences, `${c.weekday} ${c.hour}`).toBe(weeks + (c.weekday === 1 || (c.weekday === 2 && c.hour < 12) ? 1 : 0));
});
