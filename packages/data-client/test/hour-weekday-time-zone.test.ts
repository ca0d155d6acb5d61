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
import { refHourWeekdayLocal, refMaintenanceWindows, refRequestsInHourWeekday } from './reference/time-zone.js';

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

describe('maintenanceWindows', () => {
  it.each([
    ['UTC, all agents, whole data', { ...custom('2025-10-01', '2026-03-10T12:00:00Z') }, { timeZone: 'UTC' }],
    ['New York, 90d', defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: '90d' } }), { timeZone: 'America/New_York' }],
    ['Kolkata, PRD defaults (active agents)', defaultFilters(), { timeZone: 'Asia/Kolkata', upcomingDays: 14 }],
    ['one agent, Berlin, no upcoming', { ...custom('2025-10-20', '2025-11-10'), agentIds: ['a02-code'] }, { timeZone: 'Europe/Berlin', upcomingDays: 0 }],
    ['a day without windows', custom('2026-03-03', '2026-03-04'), { upcomingDays: 0 }],
  ])('%s matches the reference', async (_n, f, p) => {
    expectClose(await client.run(Q.maintenanceWindows, f, p), refMaintenanceWindows(ds, f, p));
  });

  it('expands weekly windows, clips to the window, keeps user text as given', async () => {
    const w = await client.run(Q.maintenanceWindows, custom('2025-10-01', '2026-03-10T12:00:00Z'), { timeZone: 'UTC' });
    const byId = new Map(w.map((x) => [x.windowId, x]));
    expect([...byId.keys()].sort()).to.deep.equal(['mw-1', 'mw-2', 'mw-3', 'mw-4', 'mw-5']);
    // mw-1: Sundays 02:00–05:00 UTC from 2025-10-05 to the end of the data (2026-03-08 is the 23rd Sunday).
    expect(byId.get('mw-1')!.occurrences).toHaveLength(23);
    expect(byId.get('mw-1')!.slots).toEqual([6 * 24 + 2, 6 * 24 + 3, 6 * 24 + 4]);
    // mw-4: Wednesdays 23:30 → Thursday 00:30, until 2026-02-01: 13 occurrences, two cells.
    expect(byId.get('mw-4')!.occurrences).toHaveLength(13);
    expect(byId.get('mw-4')!.slots).toEqual([2 * 24 + 23, 3 * 24]);
    expect(byId.get('mw-2')!.title).toBe('Platform upgrade <img src=x onerror=alert(1)>');
    expect(byId.get('mw-2')!.agentId).toBe(null);
    // mw-5 starts ten days after the end: upcoming only.
    expect(byId.get('mw-5')!.occurrences).toEqual([]);
    expect(byId.get('mw-5')!.upcoming).toHaveLength(1);
    // In New York the weekly Sunday window moves by an hour across DST: EDT 22:00–01:00, EST 21:00–00:00.
    const ny = await client.run(Q.maintenanceWindows, custom('2025-10-01', '2026-03-10T12:00:00Z'), { timeZone: 'America/New_York' });
    expect(ny.find((x) => x.windowId === 'mw-1')!.slots).toEqual([5 * 24 + 21, 5 * 24 + 22, 5 * 24 + 23, 6 * 24]);
  });

  it('refuses bad params', async () => {
    for (const p of [{ timeZone: 'Nowhere/Else' }, { upcomingDays: -1 }, { upcomingDays: 1.5 }]) {
      const err = await client.run(Q.maintenanceWindows, custom('2026-03-01', '2026-03-02'), p).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'invalid_param' });
    }
  });
});

describe('requestsInHourWeekday', () => {
  it.each([
    ['UTC Wednesday 14:00', custom('2025-10-01', '2026-03-10T12:00:00Z'), { weekday: 3, hour: 14, timeZone: undefined as string | undefined }],
    ['New York Sunday 01:00 over fall-back (twice that day)', custom('2025-10-20', '2025-11-20'), { weekday: 7, hour: 1, timeZone: 'America/New_York' }],
    ['Kolkata Monday 19:00, page 2', custom('2025-12-01', '2026-03-01'), { weekday: 1, hour: 19, timeZone: 'Asia/Kolkata', limit: 5, offset: 5 }],
    [
      'Berlin, 90d preset',
      defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: '90d' } }),
      { weekday: 5, hour: 10, timeZone: 'Europe/Berlin' },
    ],
  ])('%s matches the reference and the cell count', async (_n, f, p) => {
    const rows = await client.run(Q.requestsInHourWeekday, f, p);
    expectClose(rows, refRequestsInHourWeekday(ds, f, p));
    const cells = await client.run(Q.hourWeekday, f, { timeZone: p.timeZone });
    const cell = cells.find((c) => c.weekday === p.weekday && c.hour === p.hour)!;
    expect(rows[0]?.total ?? 0).toBe(cell.requests);
  });

  it('refuses a missing or out-of-range weekday/hour', async () => {
    for (const p of [{ weekday: 0, hour: 1 }, { weekday: 8, hour: 1 }, { weekday: 1, hour: 24 }, { hour: 3 }, { weekday: 2 }]) {
      const err = await client.run(Q.requestsInHourWeekday, custom('2026-03-01', '2026-03-02'), p as never).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'invalid_param' });
    }
  });
});
