/**
 * hourWeekday in a time zone (chart 2.16): in real DuckDB-WASM against a reference that places every
 * request and every minute of the window with Intl directly — DST weeks in America/New_York,
 * Europe/Berlin and Australia/Lord_Howe (a 30-minute DST shift), half- and quarter-hour zones
 * (Asia/Kolkata, Asia/Kathmandu), partial edges, filters; UTC unchanged; unknown zones refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, isUsageError, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { makeMainDataset, openDataset } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refHourWeekday } from './reference/usage.js';
import { refHourWeekdayLocal } from './reference/time-zone.js';

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
  ['America/New_York', 'fall-back week', custom('2025-10-29T13:30', '2025-11-05T13:30')],
  ['America/New_York', 'spring-forward days to the end of the data', custom('2026-03-06', '2026-03-10T12:00:00Z')],
  ['America/New_York', '90d preset', defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: '90d' } })],
  ['Europe/Berlin', 'fall-back week, sub-ms edges', custom('2025-10-22T00:00:00.000001', '2025-10-29T23:59:59.999999')],
  ['Europe/Berlin', 'the whole data, one department', { ...custom('2025-09-01', '2026-04-01'), departments: ['sales'] }],
  ['Asia/Kolkata', '30 days from a half hour', custom('2026-01-10T10:30', '2026-02-09T10:30')],
  ['Asia/Kathmandu', 'a week from a quarter hour', custom('2026-02-01T08:15', '2026-02-08T08:15')],
  ['Australia/Lord_Howe', 'its 30-minute DST shift', custom('2025-10-01', '2025-10-10')],
  ['Pacific/Chatham', '12:45 / 13:45 over its DST change', custom('2026-03-01', '2026-03-10T12:00:00Z')],
  ['America/New_York', 'one partial hour', custom('2026-02-27T10:15:00', '2026-02-27T10:45:00')],
])('%s, %s', (timeZone, _name, f) => {
  it('matches the reference', async () => {
    const cells = await client.run(Q.hourWeekday, f, { timeZone });
    expect(cells).toHaveLength(168);
    expectClose(cells, refHourWeekdayLocal(ds, f, { timeZone }));
  });
});

it('UTC (default, explicit, Etc/UTC) is the unchanged SQL path', async () => {
  const f = custom('2025-10-29T13:30', '2026-01-05T07:45');
  const utc = await client.run(Q.hourWeekday, f, undefined);
  expectClose(utc, refHourWeekday(ds, f));
  expectClose(await client.run(Q.hourWeekday, f, { timeZone: 'UTC' }), utc);
  expectClose(await client.run(Q.hourWeekday, f, { timeZone: 'Etc/UTC' }), utc);
  expectClose(refHourWeekdayLocal(ds, f, { timeZone: 'UTC' }), utc);
  // A non-UTC zone that is UTC all year (Africa/Abidjan, +00:00) goes through the local path and agrees too.
  expectClose(await client.run(Q.hourWeekday, f, { timeZone: 'Africa/Abidjan' }), utc);
});

it('counts the DST hours: New York’s Sunday 01:00 twice on fall-back day, 02:00 never on spring-forward day', async () => {
  // Sunday 2025-11-02 00:00 EDT (04:00Z) to Monday 00:00 EST (05:00Z): 25 hours.
  const fall = await client.run(Q.hourWeekday, custom('2025-11-02T04:00Z', '2025-11-03T05:00Z'), { timeZone: 'America/New_York' });
  const sunday = fall.filter((c) => c.weekday === 7);
  expect(sunday.map((c) => c.occurrences)).toEqual(Array.from({ length: 24 }, (_, h) => (h === 1 ? 2 : 1)));
  expect(fall.reduce((a, c) => a + c.occurrences, 0)).toBe(25);
  // Sunday 2026-03-08 00:00 EST (05:00Z) to Monday 00:00 EDT (04:00Z): 23 hours.
  const spring = await client.run(Q.hourWeekday, custom('2026-03-08T05:00Z', '2026-03-09T04:00Z'), { timeZone: 'America/New_York' });
  expect(spring.filter((c) => c.weekday === 7).map((c) => c.occurrences)).toEqual(Array.from({ length: 24 }, (_, h) => (h === 2 ? 0 : 1)));
  // Every request of the window is counted once.
  const f = custom('2026-03-01', '2026-03-10T12:00:00Z');
  const local = await client.run(Q.hourWeekday, f, { timeZone: 'America/New_York' });
  const utc = await client.run(Q.hourWeekday, f, undefined);
  expect(local.reduce((a, c) => a + c.requests, 0)).toBe(utc.reduce((a, c) => a + c.requests, 0));
  expect(local.reduce((a, c) => a + c.occurrences, 0)).toBeCloseTo(
    utc.reduce((a, c) => a + c.occurrences, 0),
    9,
  );
});

it('refuses an unknown time zone with a ParamError', async () => {
  for (const timeZone of ['Mars/Olympus_Mons', '', 42, '<img src=x onerror=alert(1)>']) {
    const err = await client.run(Q.hourWeekday, custom('2026-03-01', '2026-03-02'), { timeZone } as never).catch((e: unknown) => e);
    expect(isUsageError(err), String(timeZone)).toBe(true);
    expect(err).toMatchObject({ code: 'invalid_param', field: 'timeZone' });
  }
});
