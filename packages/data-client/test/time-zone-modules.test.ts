/**
 * Issue 11 part 5, the remaining day-bucketed modules in a time zone: anomalyCauses, adoptionCurve,
 * versionAdoption, adoptionBenchmark, agentDaily and requestsInBucket, run with `timeZone` in real
 * DuckDB-WASM over a year of requests that crosses the 2026 US DST changes (8 March, 1 November)
 * with rows at local midnight ± 1 µs, against the plain UTC reference implementations run over the
 * same rows moved to their local wall-clock time with `Intl.DateTimeFormat` parts (no offsets, no
 * segments; a local day is then a UTC day of the moved rows). America/New_York and Asia/Kolkata
 * (+05:30, a half-hour zone). UTC compiles to exactly the SQL without a zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, makeContext, type QueryModule, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { Rand, isoOf, makeMainDataset, openDataset, us, type Dataset, type RequestRow } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refAdoptionBenchmark } from './reference/adoption.js';
import { refAdoptionCurve, refAgentDaily, refVersionAdoption } from './reference/agents.js';
import { refAnomalyCauses } from './reference/anomaly-causes.js';
import { refEngagement, refUsersByCallRange } from './reference/users.js';
import { logRow, refCapacitySeries, refRequestsInBucket } from './reference/usage.js';

const ZONES = ['America/New_York', 'Asia/Kolkata'] as const;
const US_HOUR = 3_600_000_000;

// --- local wall-clock time with Intl parts only ---------------------------------------------------

const fmts = new Map<string, Intl.DateTimeFormat>();
/** Wall-clock µs (counted as if UTC) of the instant `u` in `zone`, from Intl's date parts. */
function wall(zone: string, u: number): number {
  let f = fmts.get(zone);
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
    fmts.set(zone, f);
  }
  const sec = Math.floor(u / 1e6);
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(sec * 1000)) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) * 1000 + (u - sec * 1e6);
}
const localDate = (zone: string, u: number): string => isoOf(wall(zone, u)).slice(0, 10);
/** The first instant of the local date `date` in `zone` (search by minutes over ±15 h). */
function localMidnight(zone: string, date: string): number {
  const base = us(`${date}T00:00:00Z`);
  for (let m = -15 * 60; m <= 15 * 60; m++) {
    const u = base + m * 60_000_000;
    if (localDate(zone, u) === date) return u;
  }
  throw new Error(`no midnight for ${date} in ${zone}`);
}

/** The dataset with every instant moved to its wall-clock time in `zone` (what a UTC reference reads as local). */
function moved(ds: Dataset, zone: string): Dataset {
  const w = (u: number) => wall(zone, u);
  return {
    ...ds,
    start: isoOf(w(us(ds.start))),
    anchor: isoOf(w(us(ds.anchor))),
    requests: ds.requests.map((r) => ({ ...r, ts: w(r.ts) })),
    agents: ds.agents.map((a) => ({ ...a, created_at: w(a.created_at), last_deployed_at: a.last_deployed_at === null ? null : w(a.last_deployed_at) })),
    users: ds.users.map((u) => ({ ...u, first_seen_at: w(u.first_seen_at) })),
    capacity: ds.capacity.map((c) => ({ ...c, ts: w(c.ts) })),
  };
}

// --- the data --------------------------------------------------------------------------------------

const STATUSES = ['success', 'success', 'success', 'error', 'timeout'] as const;
const AGENTS = ['a01-support', 'a02-code', 'a03-analyst', 'a04-writer', "a05-o'reilly", 'a06-router'] as const;

function makeDataset(): Dataset {
  const base = makeMainDataset();
  const rnd = new Rand(11);
  const start = us('2026-01-01T00:00:00Z');
  const anchor = us('2026-11-20T12:34:56.789012Z');
  // Registry dates on local midnights and just before them (a different day in UTC and locally).
  const created: Record<string, number> = {
    'a01-support': us('2025-12-01T00:00:00Z'),
    'a02-code': localMidnight('America/New_York', '2026-02-01') - 1,
    'a03-analyst': localMidnight('Asia/Kolkata', '2026-02-10'),
    'a04-writer': localMidnight('America/New_York', '2026-03-08'),
    "a05-o'reilly": us('2026-01-20T23:00:00Z'),
    'a06-router': localMidnight('Asia/Kolkata', '2026-01-15') - 1,
  };
  const agents = base.agents.map((a) =>
    a.agent_id in created ? { ...a, created_at: created[a.agent_id], last_deployed_at: created[a.agent_id] + 40 * 86_400_000_000 } : a,
  );
  const edges: number[] = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'].map(us);
  for (const zone of ZONES) {
    for (const d of [
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
      '2026-03-08',
      '2026-03-09',
      '2026-03-16',
      '2026-10-25',
      '2026-11-01',
      '2026-11-02',
      '2026-11-08',
      '2026-11-09',
    ]) {
      edges.push(localMidnight(zone, d));
    }
  }
  const instants: number[] = [];
  for (const e of edges) instants.push(e - 1, e, e + 1);
  for (let t = start + 17_000_000; t < anchor; t += 53 * 60_000_000 + 12_345) instants.push(t);
  instants.sort((a, b) => a - b);
  const users = base.users.slice(0, 60);
  const template = base.requests[0];
  const requests: RequestRow[] = [];
  instants.forEach((ts, i) => {
    const live = AGENTS.filter((a) => created[a] <= ts);
    const agent = live[rnd.int(0, live.length - 1)];
    const def = agents.find((a) => a.agent_id === agent)!;
    requests.push({
      ...template,
      request_id: `t${String(i).padStart(5, '0')}`,
      ts,
      // Users join over time (new users each week), so first requests spread over the year.
      user_id: users[rnd.int(0, Math.min(users.length - 1, 5 + Math.floor((ts - start) / (7 * 86_400_000_000))))].user_id,
      agent_id: agent,
      agent_version: agent === 'a01-support' && i % 3 === 0 ? '1.9' : def.version,
      department_id: def.department_id,
      status: STATUSES[rnd.int(0, STATUSES.length - 1)],
      latency_ms: 100 + rnd.int(0, 900),
      environment: 'production',
    });
  });
  return { ...base, name: 'zone-modules', start: '2026-01-01T00:00:00.000Z', anchor: isoOf(anchor), agents, requests, users };
}

const ds = makeDataset();
const movedOf = new Map(ZONES.map((z) => [z, moved(ds, z)]));
let conn: WasmNodeConnector;
let client: UsageDataClient;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 60_000);
afterAll(async () => conn?.close());

const custom = (start: string, end: string): UsageFilters =>
  defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: 'custom', start, end } });

/** Local dates (midnight to midnight in the zone; UTC midnights in the moved dataset). */
const WINDOWS: [string, UsageFilters][] = [
  ['spring', custom('2026-02-20', '2026-03-20')],
  ['autumn', custom('2026-10-15', '2026-11-10')],
];

describe.each(ZONES)('%s', (zone) => {
  const m = movedOf.get(zone)!;

  it.each(['2026-03-08', '2026-03-09', '2026-11-01', '2026-11-02', '2026-01-10'])('anomalyCauses of the local day %s', async (date) => {
    const f = custom('2026-10-15', '2026-11-10');
    const got = await client.run(Q.anomalyCauses, f, { date }, { timeZone: zone });
    expect(got.actual).toBeGreaterThan(0);
    expectClose(got, refAnomalyCauses(m, f, { date }));
  });

  it.each(WINDOWS)('adoptionCurve per agent and per version over %s', async (_n, f) => {
    for (const p of [{}, { byVersion: true, limit: 4 }]) {
      const got = await client.run(Q.adoptionCurve, f, p, { timeZone: zone });
      expect(got.series.length).toBeGreaterThan(0);
      expectClose(got, refAdoptionCurve(m, f, p), '$', 1e-6);
    }
  });

  it.each(WINDOWS)('versionAdoption over %s', async (_n, f) => {
    const got = await client.run(Q.versionAdoption, f, {}, { timeZone: zone });
    expect(got.length).toBeGreaterThan(0);
    expectClose(got, refVersionAdoption(m, f));
  });

  it.each(WINDOWS)('adoptionBenchmark over %s', async (_n, f) => {
    const got = await client.run(Q.adoptionBenchmark, f, { days: 14 }, { timeZone: zone });
    expect(got.agentIds.length).toBeGreaterThan(1);
    expectClose(got, refAdoptionBenchmark(m, f, { days: 14 }));
  });

  it.each(WINDOWS)('agentDaily over %s', async (_n, f) => {
    for (const agentId of ['a01-support', 'a04-writer']) {
      const got = await client.run(Q.agentDaily, f, { agentId }, { timeZone: zone });
      expectClose(got, refAgentDaily(m, f, { agentId }));
    }
  });

  it('capacitySeries buckets samples by local hour and day', async () => {
    for (const [f, bucket] of [
      [custom('2026-03-06', '2026-03-10'), 'hour'],
      [custom('2026-02-20', '2026-03-10'), 'day'],
    ] as const) {
      const got = await client.run(Q.capacitySeries, f, { bucket }, { timeZone: zone });
      expect(got.length).toBeGreaterThan(10);
      expectClose(got, refCapacitySeries(m, f, { bucket }));
    }
  });

  it('requestsInBucket takes callsOverTime local buckets (hours over both DST changes, days)', async () => {
    const byId = new Map(ds.requests.map((r) => [r.request_id, r]));
    for (const [f, bucket] of [
      [custom('2026-03-07', '2026-03-10'), 'hour'],
      [custom('2026-10-31', '2026-11-03'), 'hour'],
      [custom('2026-10-25', '2026-11-08'), 'day'],
    ] as const) {
      const series = await client.run(Q.callsOverTime, f, { bucket }, { timeZone: zone });
      let seen = 0;
      for (const p of series.points) {
        const got = await client.run(Q.requestsInBucket, f, { bucketStart: p.t, bucket, limit: 500 }, { timeZone: zone });
        // The reference picks the moved rows; their log rows come from the original rows, oldest instant first.
        const ids = refRequestsInBucket(m, f, { bucketStart: p.t, bucket, limit: 500 }).map((r) => r.requestId);
        const want = ids
          .map((id) => byId.get(id)!)
          .sort((a, b) => a.ts - b.ts || (a.request_id < b.request_id ? -1 : 1))
          .map((r) => logRow(r, ids.length));
        expectClose(got, want, `${p.label}`);
        expect(want.length).toBe(p.total);
        seen += want.length;
      }
      expect(seen).toBeGreaterThan(0);
    }
    // New York's fall-back hour holds both of its occurrences (two UTC hours).
    if (zone === 'America/New_York') {
      const f = custom('2026-10-31', '2026-11-03');
      const rows = await client.run(Q.requestsInBucket, f, { bucketStart: Date.UTC(2026, 10, 1, 1), bucket: 'hour', limit: 500 }, { timeZone: zone });
      const utcHours = new Set(rows.map((r) => Math.floor((r.ts * 1000) / US_HOUR)));
      expect(utcHours.size).toBe(2);
    }
  });
});

it('requestsInBucket with bucketEnd (the instants of a drill-down): the 25-hour 1 November in New York is the local day bucket', async () => {
  const f = custom('2026-10-25', '2026-11-08');
  const [b0, b1] = [localMidnight('America/New_York', '2026-11-01'), localMidnight('America/New_York', '2026-11-02')];
  expect(b1 - b0).toBe(25 * US_HOUR);
  const inZone = await client.run(Q.requestsInBucket, f, { bucketStart: Date.UTC(2026, 10, 1), bucket: 'day', limit: 500 }, { timeZone: 'America/New_York' });
  const byInstants = await client.run(Q.requestsInBucket, f, { bucketStart: b0 / 1000, bucketEnd: b1 / 1000, bucket: 'day', limit: 500 });
  expect(byInstants.length).toBeGreaterThan(24);
  expect(byInstants).toEqual(inZone);
  expect(byInstants.map((r) => r.requestId)).toEqual(ds.requests.filter((r) => r.ts >= b0 && r.ts < b1).map((r) => r.request_id));
  const err = await client.run(Q.requestsInBucket, f, { bucketStart: b0 / 1000, bucketEnd: b0 / 1000 }).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'invalid_param', field: 'bucketEnd' });
});

it('the zones change these answers (the tests can fail)', async () => {
  const f = custom('2026-10-15', '2026-11-10');
  const utc = await client.run(Q.agentDaily, f, { agentId: 'a01-support' });
  const ny = await client.run(Q.agentDaily, f, { agentId: 'a01-support' }, { timeZone: 'America/New_York' });
  expect(ny.map((d) => d.requests)).not.toEqual(utc.map((d) => d.requests));
  const a = await client.run(Q.anomalyCauses, f, { date: '2026-11-01' });
  const b = await client.run(Q.anomalyCauses, f, { date: '2026-11-01' }, { timeZone: 'Asia/Kolkata' });
  expect(b).not.toEqual(a);
  // …and the UTC reference over the unmoved rows is not the zone's answer.
  expect(() => expectClose(b, refAnomalyCauses(ds, f, { date: '2026-11-01' }))).toThrow();
  expect(() => expectClose(ny, refAgentDaily(ds, f, { agentId: 'a01-support' }))).toThrow();
  // Launch days: a02-code was created 1 µs before New York's 1 February.
  const curve = await client.run(Q.adoptionCurve, custom('2026-02-20', '2026-03-20'), { agentIds: ['a02-code'] }, { timeZone: 'America/New_York' });
  expect(curve.series[0].launchDate).toBe('2026-01-31');
  const curveUtc = await client.run(Q.adoptionCurve, custom('2026-02-20', '2026-03-20'), { agentIds: ['a02-code'] });
  expect(curveUtc.series[0].launchDate).toBe('2026-02-01');
});

it('UTC compiles to exactly the SQL without a zone; other zones differ', () => {
  const f = custom('2026-10-15', '2026-11-10');
  const cases: [QueryModule<any, any>, unknown][] = [
    [Q.anomalyCauses, { date: '2026-11-01' }],
    [Q.adoptionCurve, {}],
    [Q.adoptionCurve, { byVersion: true }],
    [Q.versionAdoption, {}],
    [Q.adoptionBenchmark, { days: 14 }],
    [Q.agentDaily, { agentId: 'a01-support' }],
    [Q.capacitySeries, { bucket: 'day' }],
    [Q.requestsInBucket, { bucketStart: Date.UTC(2026, 10, 1), bucket: 'day' }],
    [Q.engagement, undefined],
    [Q.usersByCallRange, { min: 1, limit: 50 }],
  ];
  for (const [mod, p] of cases) {
    const plain = mod.sql(makeContext(f, ds.anchor, ds.start), p).text;
    expect(mod.sql(makeContext(f, ds.anchor, ds.start, undefined, { timeZone: 'UTC' }), p).text).toBe(plain);
    expect(mod.sql(makeContext(f, ds.anchor, ds.start, undefined, { timeZone: 'Etc/UTC' }), p).text).toBe(plain);
    for (const zone of ZONES)
      expect(mod.sql(makeContext(f, ds.anchor, ds.start, undefined, { timeZone: zone }), p).text, `${mod.name} ${zone}`).not.toBe(plain);
  }
});

/**
 * Engagement's "days active" and its denominator in a zone. The window is relative (anchored at the
 * data end, the same instant in every zone), so the reference runs on the unmoved rows with local
 * calendar dates from Intl (recency stays a ratio of instants); 30 and 90 days cover New York's
 * 1 November change, Kolkata's days start at 18:30 UTC.
 */
describe('engagement in a time zone', () => {
  const rel = (preset: '30d' | '90d'): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset } });
  it.each(ZONES.flatMap((z) => (['30d', '90d'] as const).map((p) => [z, p] as const)))('%s, last %s: engagement and usersByCallRange', async (zone, preset) => {
    const f = rel(preset);
    const got = await client.run(Q.engagement, f, undefined, { timeZone: zone });
    expect(got.users).toBeGreaterThan(10);
    expectClose(got, refEngagement(ds, f, undefined, zone));
    const list = await client.run(Q.usersByCallRange, f, { min: 1, limit: 100 }, { timeZone: zone });
    expect(list.length).toBeGreaterThan(10);
    expectClose(list, refUsersByCallRange(ds, f, { min: 1, limit: 100 }, zone));
  });

  it('the zone changes the answer: days in the window and the score histogram differ from UTC', async () => {
    const f = rel('30d');
    const utc = await client.run(Q.engagement, f, undefined);
    expectClose(utc, refEngagement(ds, f));
    const kolkata = await client.run(Q.engagement, f, undefined, { timeZone: 'Asia/Kolkata' });
    // The window ends at 12:34 UTC = 18:04 in Kolkata: 30 days touch 31 UTC dates and 31 local dates,
    // but the users' distinct active days move with the offset.
    const differs =
      utc.daysInWindow !== kolkata.daysInWindow ||
      JSON.stringify(utc.scoreHistogram) !== JSON.stringify(kolkata.scoreHistogram) ||
      utc.meanScore !== kolkata.meanScore;
    expect(differs).toBe(true);
    expect(() => expectClose(kolkata, refEngagement(ds, f))).toThrow();
  });
});
