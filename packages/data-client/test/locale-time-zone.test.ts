/**
 * Days, months and hours in a time zone (issue 11, part 5): dailySeries, callsOverTime (day buckets),
 * retentionCohorts (month of first use), hourWeekday and the custom range's day boundaries, run with
 * `timeZone` in real DuckDB-WASM, against a reference that places every request with
 * `Intl.DateTimeFormat` parts directly (no offsets, no segments) — America/New_York and
 * Europe/Berlin across the 2026 DST changes (US 2026-03-08 / 2026-11-01, EU 2026-03-29 / 2026-10-25),
 * with requests exactly at the transition instants and at local midnight ±1 µs. UTC compiles to the
 * same SQL as without a zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, isUsageError, makeContext, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { makeMainDataset, openDataset, us, type Dataset, type RequestRow } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refHourWeekdayLocal } from './reference/time-zone.js';

const ZONES = ['America/New_York', 'Europe/Berlin'] as const;
const US_DAY = 86_400_000_000;

// --- the reference: Intl parts only ------------------------------------------------------------

const partsFmt = new Map<string, Intl.DateTimeFormat>();
function parts(zone: string, u: number): Record<string, number> {
  let f = partsFmt.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFmt.set(zone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(Math.floor(u / 1000))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}
const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (zone: string, u: number): string => {
  const p = parts(zone, u);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
};
const localMonth = (zone: string, u: number): string => localDate(zone, u).slice(0, 7);
const isLocalMidnight = (zone: string, u: number): boolean => {
  const p = parts(zone, u);
  return u % 1000 === 0 && p.hour === 0 && p.minute === 0 && p.second === 0;
};
/** The first instant of the local date `date` (YYYY-MM-DD) in `zone`, by search over ±15 h in minutes. */
function localMidnight(zone: string, date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const base = Date.UTC(y, m - 1, d) * 1000;
  for (let min = -15 * 60; min <= 15 * 60; min++) {
    const u = base + min * 60_000_000;
    if (localDate(zone, u) === date) return u;
  }
  throw new Error(`no midnight for ${date} in ${zone}`);
}
const nextDate = (date: string): string => new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + 1)).toISOString().slice(0, 10);
const dateRange = (a: string, b: string): string[] => {
  const out: string[] = [];
  for (let d = a; d <= b; d = nextDate(d)) out.push(d);
  return out;
};

/** The window of a custom range whose bounds are local dates (or instants with Z). */
function windowOf(zone: string, f: UsageFilters): [number, number] {
  if (f.timeRange.preset !== 'custom') throw new Error('custom only');
  const bound = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? localMidnight(zone, s) : us(s));
  return [bound(f.timeRange.start), bound(f.timeRange.end)];
}

function refDaily(ds: Dataset, zone: string, f: UsageFilters) {
  const [start, end] = windowOf(zone, f);
  const rows = ds.requests.filter((r) => r.ts >= start && r.ts < end);
  const days = dateRange(localDate(zone, start), localDate(zone, end - 1));
  return {
    span: 'window',
    series: [
      {
        key: '',
        points: days.map((date, i) => {
          const rs = rows.filter((r) => localDate(zone, r.ts) === date);
          const partial = (i === 0 && !isLocalMidnight(zone, start)) || (i === days.length - 1 && !isLocalMidnight(zone, end));
          return { date, value: rs.length, users: new Set(rs.map((r) => r.user_id)).size, partial };
        }),
      },
    ],
  };
}

function refDailyCalls(ds: Dataset, zone: string, f: UsageFilters) {
  const [start, end] = windowOf(zone, f);
  const span = end - start;
  const days = dateRange(localDate(zone, start), localDate(zone, end - 1));
  const cur = ds.requests.filter((r) => r.ts >= start && r.ts < end);
  const prev = ds.requests.filter((r) => r.ts >= start - span && r.ts < start);
  return days.map((date) => ({
    t: Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)),
    label: date,
    total: cur.filter((r) => localDate(zone, r.ts) === date).length,
    previous: prev.filter((r) => localDate(zone, r.ts + span) === date).length,
  }));
}

const monthIdx = (m: string) => +m.slice(0, 4) * 12 + +m.slice(5, 7) - 1;
const monthOf = (i: number) => `${Math.floor(i / 12)}-${pad((i % 12) + 1)}`;

function refCohorts(ds: Dataset, zone: string) {
  const anchor = us(ds.anchor);
  const act = new Map<string, Set<number>>();
  for (const r of ds.requests) {
    if (r.ts >= anchor) continue;
    let s = act.get(r.user_id);
    if (!s) act.set(r.user_id, (s = new Set()));
    s.add(monthIdx(localMonth(zone, r.ts)));
  }
  const base = new Map<number, string[]>();
  for (const u of ds.users) {
    const cm = monthIdx(localMonth(zone, u.first_seen_at));
    if (!act.get(u.user_id)?.has(cm)) continue;
    base.set(cm, [...(base.get(cm) ?? []), u.user_id]);
  }
  const last = monthIdx(localMonth(zone, anchor - 1));
  const out: unknown[] = [];
  for (const cm of [...base.keys()].sort((a, b) => a - b)) {
    const members = base.get(cm)!;
    for (let k = 0; k <= last - cm; k++) {
      const retained = members.filter((m) => act.get(m)!.has(cm + k)).length;
      out.push({
        cohortMonth: monthOf(cm),
        monthOffset: k,
        cohortSize: members.length,
        retainedUsers: retained,
        retentionPct: (retained / members.length) * 100,
        incomplete: localMidnight(zone, `${monthOf(cm + k + 1)}-01`) > anchor,
      });
    }
  }
  return out;
}

// --- the data: 2026, every ~97 minutes, plus the edge instants ----------------------------------

/** The four 2026 DST instants and, per zone, the local midnights and month starts around them. */
const TRANSITIONS = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'].map(us);
const EDGE_DATES = [
  '2026-03-07',
  '2026-03-08',
  '2026-03-09',
  '2026-03-28',
  '2026-03-29',
  '2026-03-30',
  '2026-04-01',
  '2026-10-24',
  '2026-10-25',
  '2026-10-26',
  '2026-10-31',
  '2026-11-01',
  '2026-11-02',
  '2026-12-01',
];

function makeZoneDataset(): Dataset {
  const ds = makeMainDataset();
  const start = us('2026-01-01T00:00:00Z');
  const anchor = us('2026-11-20T12:34:56.789012Z');
  const edges: number[] = [...TRANSITIONS];
  for (const zone of ZONES) for (const d of EDGE_DATES) edges.push(localMidnight(zone, d));
  const instants: number[] = [];
  for (const e of edges) instants.push(e - 1, e, e + 1);
  for (let t = start + 17_000_000; t < anchor; t += 97 * 60_000_000 + 12_345) instants.push(t);
  instants.sort((a, b) => a - b);
  const users = ds.users.slice(0, 40);
  const template = ds.requests[0];
  const requests: RequestRow[] = instants.map((ts, i) => ({
    ...template,
    request_id: `z${i}`,
    ts,
    user_id: users[(i * 7) % users.length].user_id,
    environment: 'production',
  }));
  // first_seen_at: each user's first request, except a few set just before / at a local month start.
  const first = new Map<string, number>();
  for (const r of requests) if (!first.has(r.user_id)) first.set(r.user_id, r.ts);
  const special = [
    localMidnight('Europe/Berlin', '2026-04-01') - 1,
    localMidnight('America/New_York', '2026-11-01'),
    localMidnight('Europe/Berlin', '2026-11-01') - 1,
  ];
  users.forEach((u, i) => {
    u.first_seen_at = i < special.length ? special[i] : first.get(u.user_id)!;
  });
  // Give those users a request at their first_seen_at, so their cohort month has activity.
  special.forEach((ts, i) => requests.push({ ...template, request_id: `s${i}`, ts, user_id: users[i].user_id, environment: 'production' }));
  requests.sort((a, b) => a.ts - b.ts);
  return { ...ds, name: 'zones', start: '2026-01-01T00:00:00.000Z', anchor: '2026-11-20T12:34:56.789012Z', requests, users };
}

const ds = makeZoneDataset();
let conn: WasmNodeConnector;
let client: UsageDataClient;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 60_000);
afterAll(async () => conn?.close());

const custom = (start: string, end: string): UsageFilters =>
  defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: 'custom', start, end } });

const WINDOWS: [string, UsageFilters][] = [
  ['spring (local dates)', custom('2026-03-01', '2026-04-05')],
  ['autumn (local dates)', custom('2026-10-20', '2026-11-06')],
  ['autumn, instants with µs', custom('2026-10-24T21:59:59.999999Z', '2026-11-02T05:00:00.000001Z')],
];

describe.each(ZONES)('%s', (zone) => {
  it.each(WINDOWS)('dailySeries over %s matches the Intl reference', async (_n, f) => {
    const got = await client.run(Q.dailySeries, f, {}, { timeZone: zone });
    expectClose(got, refDaily(ds, zone, f));
  });

  it.each(WINDOWS)('callsOverTime day buckets over %s match the Intl reference', async (_n, f) => {
    const got = await client.run(Q.callsOverTime, f, { bucket: 'day' }, { timeZone: zone });
    expectClose(
      got.points.map((p) => ({ t: p.t, label: p.label, total: p.total, previous: p.previous })),
      refDailyCalls(ds, zone, f),
    );
  });

  it('retentionCohorts uses the local month of first use', async () => {
    const got = await client.run(Q.retentionCohorts, custom('2026-01-01', '2026-02-01'), {}, { timeZone: zone });
    expectClose(got, refCohorts(ds, zone));
  });

  it('hourWeekday takes the zone from the context', async () => {
    const f = custom('2026-10-19T00:00:00Z', '2026-11-09T00:00:00Z');
    const got = await client.run(Q.hourWeekday, f, undefined, { timeZone: zone });
    expectClose(got, refHourWeekdayLocal(ds, f, { timeZone: zone }));
  });
});

it('the zones differ on the edge rows (the test can fail) and UTC is the UTC reference', async () => {
  const f = custom('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z');
  const utc = await client.run(Q.dailySeries, f, {}, { timeZone: 'UTC' });
  const berlin = await client.run(Q.dailySeries, f, {}, { timeZone: 'Europe/Berlin' });
  expect(berlin.series[0].points.map((p) => p.value)).not.toEqual(utc.series[0].points.map((p) => p.value));
  expectClose(utc, refDaily(ds, 'UTC', f));
  // Local midnight ± 1 µs lands on two days: the row 1 µs before Berlin's 30 March is on the 29th.
  const m = localMidnight('Europe/Berlin', '2026-03-30');
  expect(localDate('Europe/Berlin', m - 1)).toBe('2026-03-29');
  expect(localDate('Europe/Berlin', m)).toBe('2026-03-30');
});

it('UTC compiles to exactly the SQL without a zone; other zones add a CASE of offsets', () => {
  const f = custom('2026-03-01', '2026-04-05');
  for (const m of [Q.dailySeries, Q.callsOverTime, Q.retentionCohorts, Q.hourWeekday] as Q.QueryModule<any, any>[]) {
    const plain = m.sql(makeContext(f, ds.anchor, ds.start), {}).text;
    expect(m.sql(makeContext(f, ds.anchor, ds.start, undefined, { timeZone: 'UTC' }), {}).text).toBe(plain);
    expect(m.sql(makeContext(f, ds.anchor, ds.start, undefined, { timeZone: 'Etc/UTC' }), {}).text).toBe(plain);
    expect(m.sql(makeContext(f, ds.anchor, ds.start, undefined, { timeZone: 'Europe/Berlin' }), {}).text).not.toBe(plain);
  }
  expect(Q.dailySeries.sql(makeContext(f, ds.anchor, ds.start, undefined, { timeZone: 'Europe/Berlin' }), {}).text).toContain('CASE WHEN ts < TIMESTAMP');
});

it('a custom range of bare dates starts and ends at local midnight', () => {
  const ctx = makeContext(custom('2026-03-29', '2026-03-30'), ds.anchor, ds.start, undefined, { timeZone: 'Europe/Berlin' });
  expect(ctx.range.start).toBe(us('2026-03-28T23:00:00Z'));
  expect(ctx.range.end).toBe(us('2026-03-29T22:00:00Z')); // a 23-hour day
  const ny = makeContext(custom('2026-11-01', '2026-11-02'), ds.anchor, ds.start, undefined, { timeZone: 'America/New_York' });
  expect(ny.range.end - ny.range.start).toBe(25 * 3_600_000_000);
  // A wall time in the spring-forward gap moves forward (02:30 → 03:30 CEST); explicit offsets stay instants.
  expect(makeContext(custom('2026-03-29T02:30', '2026-03-30'), ds.anchor, ds.start, undefined, { timeZone: 'Europe/Berlin' }).range.start).toBe(
    us('2026-03-29T01:30:00Z'),
  );
  expect(makeContext(custom('2026-03-29T02:30Z', '2026-03-30'), ds.anchor, ds.start, undefined, { timeZone: 'Europe/Berlin' }).range.start).toBe(
    us('2026-03-29T02:30:00Z'),
  );
  // 30 local days back from a local midnight are 30 local midnights.
  expect(US_DAY).toBe(86_400_000_000);
});

it('refuses an unknown time zone with a ParamError', async () => {
  const err = await client.run(Q.dailySeries, custom('2026-03-01', '2026-03-02'), {}, { timeZone: 'Mars/Olympus' }).catch((e: unknown) => e);
  expect(isUsageError(err)).toBe(true);
  expect(err).toMatchObject({ code: 'invalid_param', field: 'timeZone' });
});
