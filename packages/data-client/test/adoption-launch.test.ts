/**
 * Chart 2.10's launch days, lifecycle stages, forecast and benchmark band (adoptionCurve, adoptionBenchmark)
 * on a dataset built for them, in real DuckDB-WASM, against the independent references — plus hand-counted
 * expectations for the cases that define the terms: a launch before the data, before the window, inside
 * the window, a request before the registry date, one user, no requests at all, an empty window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { Rand, US_DAY, openDataset, req, smallDataset, us, user, type Dataset, type RequestRow } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refAdoptionCurve } from './reference/agents.js';
import { refAdoptionBenchmark } from './reference/adoption.js';

const ANCHOR = '2026-03-01T00:00:00.000Z';
const A = us(ANCHOR);
const START = A - 120 * US_DAY;

/**
 * Launches (days before the anchor; the window "30d" is the 30 days before it):
 * a01-support created −200 (before the data), a02-code −100 (inside the data, before the window),
 * a03-analyst −10 (inside the window), a06-router created −50 but first request −60 (log before registry),
 * a05-o'reilly (beta) one user at −5, a04-writer only staging traffic from −80, a10-idle no requests.
 * a01-support serves 1.9 until −25 and 2.0 (the registry's current version, deployed −25) from then.
 */
function launchDataset(): Dataset {
  const rnd = new Rand(11);
  const requests: RequestRow[] = [];
  const users = new Set<string>();
  const adopt = (agent: string, launchDay: number, count: number, over: Partial<RequestRow> = {}, version?: (t: number) => string) => {
    for (let i = 0; i < count; i++) {
      const id = `${agent.slice(0, 3)}-u${i}`;
      users.add(id);
      // S-shaped arrival: most users arrive in the middle of the agent's life so far.
      const life = (A - launchDay) / US_DAY;
      const first = launchDay + Math.floor(life * (0.5 + 0.5 * Math.tanh(3 * (rnd.next() - 0.5)))) * US_DAY;
      for (let t = first + rnd.int(0, 86_399) * 1_000_000; t < A; t += rnd.int(1, 9) * US_DAY) {
        requests.push(req({ ts: t, user_id: id, agent_id: agent, agent_version: version ? version(t) : '1.0', ...over }));
      }
    }
  };
  adopt('a01-support', START, 12, {}, (t) => (t < A - 25 * US_DAY ? '1.9' : '2.0'));
  adopt('a02-code', A - 100 * US_DAY, 9, { agent_version: '3.1' });
  adopt('a03-analyst', A - 10 * US_DAY, 6, { agent_version: '1.1' });
  adopt('a06-router', A - 60 * US_DAY, 5);
  adopt('a04-writer', A - 80 * US_DAY, 3, { environment: 'staging', agent_version: '0.9' });
  // One user of a beta agent, two requests on one day.
  requests.push(req({ ts: A - 5 * US_DAY + 3_600_000_000, user_id: 'solo', agent_id: "a05-o'reilly", agent_version: '0.1' }));
  requests.push(req({ ts: A - 5 * US_DAY + 7_200_000_000, user_id: 'solo', agent_id: "a05-o'reilly", agent_version: '0.1' }));
  users.add('solo');
  // The first request of a06-router exactly at the day boundary 60 days back.
  requests.push(req({ ts: A - 60 * US_DAY, user_id: 'a06-u0', agent_id: 'a06-router', agent_version: '1.0' }));
  const ds = smallDataset(
    'launch',
    ANCHOR,
    new Date(START / 1000).toISOString(),
    requests,
    [...users].sort().map((u) => user(u, START)),
  );
  const set = (id: string, over: Partial<Dataset['agents'][number]>) =>
    Object.assign(
      ds.agents.find((a) => a.agent_id === id)!,
      over,
    );
  set('a01-support', { created_at: A - 200 * US_DAY, last_deployed_at: A - 25 * US_DAY + 5_000_000 });
  set('a02-code', { created_at: A - 100 * US_DAY + 3_600_000_000 });
  set('a03-analyst', { created_at: A - 10 * US_DAY });
  set('a06-router', { created_at: A - 50 * US_DAY });
  set('a04-writer', { created_at: A - 80 * US_DAY });
  set("a05-o'reilly", { created_at: A - 5 * US_DAY });
  return ds;
}

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });
const iso = (u: number) => new Date(u / 1000).toISOString().slice(0, 10);

let conn: WasmNodeConnector;
let client: UsageDataClient;
const ds = launchDataset();
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 30_000);
afterAll(async () => conn?.close());

const SCENARIOS: [string, UsageFilters][] = [
  ['all filters off, 30d', all()],
  ['PRD defaults (active, production)', defaultFilters()],
  ['90d, production only', all({ timeRange: { preset: '90d' }, environments: ['production'] })],
  ['custom window ending before a03 launched', all({ timeRange: { preset: 'custom', start: '2025-12-01', end: '2026-02-15' } })],
  ['empty window (before the data)', all({ timeRange: { preset: 'custom', start: '2024-01-01', end: '2024-02-01' } })],
];

describe.each(SCENARIOS)('%s', (_name, filters) => {
  it('adoptionCurve (launch, stage, 30-day forecast) matches the reference', async () => {
    const p = { forecastDays: 30 };
    expectClose(await client.run(Q.adoptionCurve, filters, p), refAdoptionCurve(ds, filters, p), '$', 1e-6);
  });
  it('adoptionCurve by version matches the reference', async () => {
    const p = { byVersion: true, forecastDays: 10 };
    expectClose(await client.run(Q.adoptionCurve, filters, p), refAdoptionCurve(ds, filters, p), '$', 1e-6);
  });
  it.each([7, 14, 30])('adoptionBenchmark (N = %i) matches the reference', async (days) => {
    expectClose(await client.run(Q.adoptionBenchmark, filters, { days }), refAdoptionBenchmark(ds, filters, { days }));
  });
});

describe('hand-counted definitions', () => {
  it('launch day: registry unless a request came first; stage from the registry', async () => {
    const r = await client.run(Q.adoptionCurve, all(), {});
    const by = new Map(r.series.map((s) => [s.agentId, s]));
    expect(by.get('a01-support')).toMatchObject({ launchDate: iso(A - 200 * US_DAY), launchSource: 'registry', stage: 'active' });
    expect(by.get('a02-code')).toMatchObject({ launchDate: iso(A - 100 * US_DAY), launchSource: 'registry' });
    expect(by.get('a03-analyst')).toMatchObject({ launchDate: iso(A - 10 * US_DAY), launchSource: 'registry' });
    expect(by.get('a06-router')).toMatchObject({ launchDate: iso(A - 60 * US_DAY), launchSource: 'first_request' });
    expect(by.get("a05-o'reilly")).toMatchObject({ launchDate: iso(A - 5 * US_DAY), stage: 'beta' });
    // One user: one new user on the day, two requests, cumulative 1 from then on.
    const solo = by.get("a05-o'reilly")!;
    const day = solo.points.findIndex((p) => p.date === iso(A - 5 * US_DAY));
    expect(solo.points[day]).toMatchObject({ newUsers: 1, requests: 2, cumulativeUsers: 1, cumulativeRequests: 2 });
    expect(solo.points[day - 1]).toMatchObject({ cumulativeUsers: 0, cumulativeRequests: 0 });
    expect(solo.points.at(-1)).toMatchObject({ cumulativeUsers: 1 });
    // No forecast unless asked.
    expect(solo.forecast).toEqual([]);
  });

  it('launch per version: the current version deployed date, other versions their first request', async () => {
    const r = await client.run(Q.adoptionCurve, all({ timeRange: { preset: '90d' } }), { byVersion: true, agentIds: ['a01-support'] });
    const v = new Map(r.series.map((s) => [s.version, s]));
    expect(v.get('2.0')).toMatchObject({ launchDate: iso(A - 25 * US_DAY), launchSource: 'registry' });
    expect(v.get('2.0')).toMatchObject({ stage: 'active' });
    expect(v.get('1.9')).toMatchObject({ launchSource: 'first_request', stage: 'superseded' });
    expect(v.get('1.9')!.launchDate >= iso(START)).toBe(true);
  });

  it('forecast: 30 dated days after the window, the fit starts at the launch day', async () => {
    const r = await client.run(Q.adoptionCurve, all(), { agentIds: ['a03-analyst'], forecastDays: 30 });
    const s = r.series[0];
    expect(s.forecast).toHaveLength(30);
    expect(s.forecast[0].date).toBe(iso(A));
    expect(s.forecast[29].date).toBe(iso(A + 29 * US_DAY));
    expect(s.fit.users!.capacity).toBeGreaterThanOrEqual(s.points.at(-1)!.cumulativeUsers);
    // Launched 10 days ago: 10 fitted days ≥ 5, so a fit; a window of 4 days after launch has none.
    const short = await client.run(Q.adoptionCurve, all({ timeRange: { preset: 'custom', start: '2026-02-01', end: '2026-02-23' } }), {
      agentIds: ['a03-analyst'],
      forecastDays: 30,
    });
    expect(short.series[0].fit).toEqual({ users: null, requests: null });
    expect(short.series[0].forecast).toEqual([]);
  });

  it('benchmark: which launches count', async () => {
    // 30d window: a02 (−100) and a06 (−60) are old enough for N = 30; a03 (−10) only for N = 7;
    // a04 (−80) too while staging counts; a01 launched before the data; a05 is beta.
    expect((await client.run(Q.adoptionBenchmark, all(), { days: 30 })).agentIds).toEqual(['a02-code', 'a04-writer', 'a06-router']);
    // a04 has only staging traffic: out under the PRD defaults (production).
    expect((await client.run(Q.adoptionBenchmark, defaultFilters(), { days: 30 })).agentIds).toEqual(['a02-code', 'a06-router']);
    expect((await client.run(Q.adoptionBenchmark, all(), { days: 7 })).agentIds).toEqual(['a02-code', 'a03-analyst', 'a04-writer', 'a06-router']);
    expect((await client.run(Q.adoptionBenchmark, defaultFilters(), { days: 7 })).agentIds).toEqual(['a02-code', 'a03-analyst', 'a06-router']);
    const none = await client.run(Q.adoptionBenchmark, all({ timeRange: { preset: 'custom', start: '2024-01-01', end: '2024-02-01' } }), {});
    expect(none).toEqual({ days: 30, agentIds: [], points: [] });
  });

  it('benchmark: two launches → the median is their mean, P25/P75 interpolate', async () => {
    const b = await client.run(Q.adoptionBenchmark, defaultFilters(), { days: 30 });
    const a = refAdoptionBenchmark(ds, defaultFilters(), { days: 30 });
    expect(b.agentIds).toHaveLength(2);
    expect(b.points).toHaveLength(30);
    const last = b.points[29].users;
    expect(last.median).toBeCloseTo((last.p25 + last.p75) / 2, 9);
    expect(b.points[0].day).toBe(0);
    // Cumulative: never decreasing.
    for (let k = 1; k < 30; k++) expect(b.points[k].users.median).toBeGreaterThanOrEqual(b.points[k - 1].users.median);
    expectClose(b, a);
  });

  it('refuses bad parameters with a typed error', async () => {
    await expect(client.run(Q.adoptionBenchmark, all(), { days: 3 })).rejects.toThrow(/days/);
    await expect(client.run(Q.adoptionBenchmark, all(), { days: 10.5 })).rejects.toThrow(/days/);
    await expect(client.run(Q.adoptionCurve, all(), { forecastDays: 91 })).rejects.toThrow(/forecastDays/);
  });
});
