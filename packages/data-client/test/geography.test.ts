/**
 * Chart 2.15's modules on a hand-built dataset in real DuckDB-WASM: a user in two countries counts in
 * both (and once in `usersInPlace` of each), rows without a country form the 'Unknown' place, a city
 * drill-down lists only that city's users, and an empty range gives nothing. Each answer is also
 * compared with the plain-TypeScript reference (test/reference).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { openDataset, req, smallDataset, us, user, type Dataset } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refUsersInPlace } from './reference/users.js';
import { refGeography } from './reference/usage.js';

const ANCHOR = '2026-03-10T12:00:00.000Z';
const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });
const t = (day: number, hour = 10) => us(`2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`);
const PARIS = { country: 'FR', region: 'Île-de-France', city: 'Paris', latitude: 48.8566, longitude: 2.3522 };
const LYON = { country: 'FR', region: 'Auvergne-Rhône-Alpes', city: 'Lyon', latitude: 45.764, longitude: 4.8357 };
const NOWHERE = { country: null, region: null, city: null, latitude: null, longitude: null };

function dataset(): Dataset {
  const first = us('2026-01-01T00:00:00Z');
  return smallDataset(
    'geo',
    ANCHOR,
    '2026-02-01T00:00:00.000Z',
    [
      // traveller: 3 in New York, 2 in Paris, 1 without geography
      req({ ts: t(1), user_id: 'traveller' }),
      req({ ts: t(2), user_id: 'traveller' }),
      req({ ts: t(3), user_id: 'traveller', latency_ms: 900 }),
      req({ ts: t(4), user_id: 'traveller', ...PARIS }),
      req({ ts: t(5), user_id: 'traveller', ...PARIS }),
      req({ ts: t(6), user_id: 'traveller', ...NOWHERE }),
      // paris-only and lyon-only users, a tie on requests in FR with the traveller
      req({ ts: t(2, 11), user_id: 'parisian', ...PARIS }),
      req({ ts: t(7, 11), user_id: 'parisian', ...PARIS }),
      req({ ts: t(8, 11), user_id: 'lyonnais', ...LYON }),
      // a user known only without geography
      req({ ts: t(9), user_id: 'ghost', ...NOWHERE }),
      req({ ts: t(9, 12), user_id: 'ghost', ...NOWHERE }),
    ],
    ['traveller', 'parisian', 'lyonnais', 'ghost'].map((id) => user(id, first)),
  );
}

let conn: WasmNodeConnector;
let client: UsageDataClient;
let ds: Dataset;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  ds = dataset();
  client = await openDataset(conn, ds);
}, 30_000);
afterAll(async () => conn?.close());

describe('usersInPlace', () => {
  it('counts a user in two countries in each, once', async () => {
    const us_ = await client.run(Q.usersInPlace, all(), { country: 'US' });
    const fr = await client.run(Q.usersInPlace, all(), { country: 'FR' });
    expect(us_.map((u) => [u.userId, u.requests])).toEqual([['traveller', 3]]);
    // tie at 2 requests: by user id
    expect(fr.map((u) => [u.userId, u.requests, u.total])).toEqual([
      ['parisian', 2, 3],
      ['traveller', 2, 3],
      ['lyonnais', 1, 3],
    ]);
    expect(fr[1].lastSeen).toBe(Date.parse('2026-03-05T10:00:00Z'));
    expect(fr[0].userName).toBe('User parisian');
  });

  it("lists the users of rows without a country under 'Unknown'", async () => {
    const unknown = await client.run(Q.usersInPlace, all(), { country: 'Unknown' });
    expect(unknown.map((u) => [u.userId, u.requests])).toEqual([
      ['ghost', 2],
      ['traveller', 1],
    ]);
  });

  it('narrows to a city, and its total equals the geography users of that city', async () => {
    const paris = await client.run(Q.usersInPlace, all(), { country: 'FR', region: PARIS.region, city: 'Paris' });
    expect(paris.map((u) => u.userId)).toEqual(['parisian', 'traveller']);
    const geo = await client.run(Q.geography, all(), undefined);
    const city = geo.cities.find((c) => c.city === 'Paris')!;
    expect(paris[0].total).toBe(city.users);
    for (const c of geo.countries) {
      const listed = await client.run(Q.usersInPlace, all(), { country: c.country, limit: 100 });
      expect(listed.length, c.country).toBe(c.users);
      expect(
        listed.reduce((s, u) => s + u.requests, 0),
        c.country,
      ).toBe(c.requests);
    }
  });

  it('gives nothing for an empty range or a country without rows', async () => {
    const empty = all({ timeRange: { preset: 'custom', start: '2024-01-01', end: '2024-02-01' } });
    expect(await client.run(Q.usersInPlace, empty, { country: 'FR' })).toEqual([]);
    expect(await client.run(Q.usersInPlace, all(), { country: 'JP' })).toEqual([]);
    const geo = await client.run(Q.geography, empty, undefined);
    expect(geo).toEqual({ countries: [], cities: [] });
  });

  it.each([
    ['FR', {}],
    ['Unknown', {}],
    ['US', { userIds: ['traveller'] }],
    ['FR', { timeRange: { preset: 'custom' as const, start: '2026-03-04', end: '2026-03-07' } }],
  ])('%s under %j matches the reference', async (country, over) => {
    const f = all(over);
    expectClose(await client.run(Q.usersInPlace, f, { country }), refUsersInPlace(ds, f, { country }));
  });
});

describe('geography', () => {
  it('counts the traveller in US, FR and Unknown; Unknown has the null-country rows', async () => {
    const geo = await client.run(Q.geography, all(), undefined);
    expectClose(geo, refGeography(ds, all()));
    const by = Object.fromEntries(geo.countries.map((c) => [c.country, [c.requests, c.users]]));
    expect(by).toEqual({ FR: [5, 3], US: [3, 1], Unknown: [3, 2] });
    expect(geo.countries.find((c) => c.country === 'US')!.avgLatencyMs).toBeCloseTo((500 + 500 + 900) / 3, 9);
  });
});
