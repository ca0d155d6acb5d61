/**
 * Issue 7 A1: time bounds stay exact to the microsecond, end to end, on a snapshot whose data end is
 * not on a millisecond boundary (sub-ms-fixture.ts). Every module is compared with the reference
 * (which parses instants with its own exact parser) under every preset and custom bounds with 4–6
 * fractional digits, each boundary request is checked to land in the right window, and the
 * precomputed first-paint rows are checked against the same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { DEFAULT_FILTERS, DEFAULT_VIEW_QUERIES, TIME_PRESETS, defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { sha256Hex } from '../src/checksum.js';
import { UsageDataClient } from '../src/client.js';
import { precompute } from '../src/precompute.js';
import { WasmNodeConnector } from '../src/node.js';
import { ALL_MODULES } from './all-modules.js';
import { MemorySource, buildSnapshot, openDataset, shared, us } from './fixtures.js';
import { expectClose } from './helpers.js';
import { rangeOf } from './reference/common.js';
import { refKpis } from './reference/usage.js';
import { SUBMS_ANCHOR, SUBMS_CUSTOM, SUBMS_START, boundaryUser, subMsBoundaries, subMsDataset } from './sub-ms-fixture.js';

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });
const custom = (start: string, end: string, over: Partial<UsageFilters> = {}) => all({ timeRange: { preset: 'custom', start, end }, ...over });

const ds = subMsDataset();
const boundaries = Object.entries(subMsBoundaries());
const boundaryUsers = boundaries.map(([label]) => boundaryUser(label));

let conn: WasmNodeConnector;
let client: UsageDataClient;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 30_000);
afterAll(async () => conn?.close());

const SCENARIOS: [string, UsageFilters][] = [
  ...TIME_PRESETS.map((p): [string, UsageFilters] => [p, all({ timeRange: { preset: p } })]),
  ...SUBMS_CUSTOM.map((c): [string, UsageFilters] => [`custom, ${c.name}`, custom(c.start, c.end)]),
  ['PRD defaults', defaultFilters()],
];

it('anchors the presets at the exact data end, not at its millisecond', () => {
  expect(ds.requests.at(-1)!.ts).toBe(us(SUBMS_ANCHOR) - 1);
  expect(client.anchor).toBe(us(SUBMS_ANCHOR));
  expect(client.dataStart).toBe(us(SUBMS_START));
  const r = client.context(all({ timeRange: { preset: '30d' } })).range;
  expect([r.start, r.end, r.prevStart, r.prevEnd]).toEqual([
    us('2026-02-08T09:30:00.123457Z'),
    us(SUBMS_ANCHOR),
    us('2026-01-09T09:30:00.123457Z'),
    us('2026-02-08T09:30:00.123457Z'),
  ]);
});

it('keeps 4, 5 and 6 fractional digits of custom bounds', () => {
  const r = client.context(custom('2026-02-14T08:00:00.1234', '2026-02-20T17:45:10.98765')).range;
  expect(r.start).toBe(us('2026-02-14T08:00:00.123400Z'));
  expect(r.end).toBe(us('2026-02-20T17:45:10.987650Z'));
  const o = client.context(custom('2026-03-01T01:02:03.000450+05:30', '2026-03-03T23:59:59.999999+05:30')).range;
  expect(o.start).toBe(us('2026-02-28T19:32:03.000450Z'));
  expect(o.end).toBe(us('2026-03-03T18:29:59.999999Z'));
});

it('counts the 1h window exactly (hand-checked)', async () => {
  // Window [09:30:00.123457 − 1 h, 09:30:00.123457): the last µs, the old millisecond anchor .123000 and
  // .122999, and the request exactly at the window start; the one 1 µs before the start is the previous
  // window's, as is the previous window's start; 1 µs before that is in neither.
  const f = all({ timeRange: { preset: '1h' }, userIds: boundaryUsers });
  const top = await client.run(Q.topUsers, f, { limit: 100 });
  expect(top.map((u) => u.userId).sort()).toEqual(['b:1h start', 'b:before old ms anchor', 'b:last µs', 'b:old ms anchor'].sort());
  const k = await client.run(Q.kpis, f, undefined);
  expect(k.totalCalls.value).toBe(4);
  expect(k.totalCalls.previous).toBe(2); // '1h start −1µs' and '1h prev start'
  expect(k.uniqueUsers).toMatchObject({ value: 4, previous: 2 });
});

describe.each(SCENARIOS)('%s', (_name, filters) => {
  it('puts every boundary request in its window (current, previous or neither)', async () => {
    const r = rangeOf(ds, filters);
    const current = boundaries.filter(([, t]) => t >= r.start && t < r.end).map(([l]) => boundaryUser(l));
    const previous = boundaries.filter(([, t]) => t >= r.prevStart && t < r.prevEnd).map(([l]) => boundaryUser(l));
    expect(current.length).toBeGreaterThan(0);
    const f = { ...filters, userIds: boundaryUsers };
    const top = await client.run(Q.topUsers, f, { limit: 1000 });
    expect(top.map((u) => u.userId).sort()).toEqual(current.sort());
    const k = await client.run(Q.kpis, f, undefined);
    expect([k.totalCalls.value, k.totalCalls.previous]).toEqual([current.length, previous.length]);
  });

  it.each(ALL_MODULES)('$name matches the reference', async ({ module, params, ref }) => {
    expectClose(await client.run(module, filters, params), ref(ds, filters, params));
  });
});

// (no capacity samples in this fixture either)
const MAY_BE_EMPTY = new Set(['adoptionBenchmark', 'maintenanceWindows', 'forecastHistory', 'capacityUtilisation', 'agentCallGraph']);

describe('precomputed first paint on a sub-millisecond data end', () => {
  let pre: Q.Row[][];
  let firstPaint: UsageDataClient;
  beforeAll(async () => {
    const snap = await buildSnapshot(ds);
    const payload = await precompute(shared(conn), snap.manifest, DEFAULT_VIEW_QUERIES);
    pre = payload.entries.map((e) => e.rows);
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    snap.files.set('precomputed.json', bytes);
    const manifest = { ...snap.manifest, precomputed: { file: 'precomputed.json', bytes: bytes.length, sha256: await sha256Hex(bytes) } };
    // A client whose engine never starts: anything it answers comes from the precomputed rows.
    const never = {
      engine: 'none',
      query: () => new Promise<never>(() => undefined),
      insertArrowStream: () => new Promise<never>(() => undefined),
      close: async () => undefined,
    };
    firstPaint = await UsageDataClient.open({ source: new MemorySource(manifest, snap.files), connector: never as never });
  }, 30_000);

  it('answers the default KPIs from the precomputed rows, equal to the reference', () => {
    const k = firstPaint.precomputed(Q.kpis, DEFAULT_FILTERS, undefined);
    expect(k).toBeDefined();
    expectClose(k, refKpis(ds, DEFAULT_FILTERS));
  });

  it('gives every default-view query the rows the client computes', async () => {
    expect(pre).toHaveLength(DEFAULT_VIEW_QUERIES.length);
    for (const [i, { module, params }] of DEFAULT_VIEW_QUERIES.entries()) {
      const fromPre = firstPaint.precomputed(module, DEFAULT_FILTERS, params);
      expect(fromPre, module.name).toBeDefined();
      expectClose(fromPre, await client.run(module, DEFAULT_FILTERS, params), module.name);
      // This small dataset has no past launch old enough for the 2.10 benchmark, no maintenance windows, no kept forecasts,
      // no capacity samples and no agent-to-agent calls.
      if (!MAY_BE_EMPTY.has(module.name)) expect(pre[i].length, module.name).toBeGreaterThan(0);
    }
  });
});

describe('strict inputs end to end (issue 7 A2)', () => {
  it.each([
    ['2025-02-30', '2025-03-05'],
    ['2026-03-01T24:00', '2026-03-05'],
    ['2026-02-01', '2026-02-28T23:60'],
    ['2026-02-01', '2026-02-03T00:00:00.1234567Z'],
  ])('refuses the custom range %s .. %s with FilterError(invalid_range) on timeRange', async (start, end) => {
    const err = await client.run(Q.kpis, custom(start, end), undefined).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Q.FilterError);
    expect(err).toMatchObject({ code: 'invalid_range', field: 'timeRange' });
  });

  it('refuses a NUL in a filter value with FilterError(invalid_filter) naming the field', async () => {
    await expect(client.run(Q.kpis, all({ departments: ['sales\u0000'] }), undefined)).rejects.toMatchObject({
      name: 'FilterError',
      code: 'invalid_filter',
      field: 'departments',
    });
    await expect(client.run(Q.topUsers, all({ userIds: ['\u0000'] }), {})).rejects.toMatchObject({
      name: 'FilterError',
      code: 'invalid_filter',
      field: 'userIds',
    });
  });

  it('accepts a real leap day (2024-02-29) as the instant it is', async () => {
    expect(client.context(custom('2024-02-29', '2024-03-01')).range).toMatchObject({ start: us('2024-02-29T00:00:00Z'), end: us('2024-03-01T00:00:00Z') });
    expect((await client.run(Q.kpis, custom('2024-02-29', '2024-03-01'), undefined)).totalCalls.value).toBe(0); // before the data
  });
});
