/**
 * `anomalyCauses` in real DuckDB-WASM against its TypeScript reference: every filter scenario of the
 * main dataset, a day without history (expected 0), a partial history, the empty snapshot and a
 * planted department spike that must rank first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { US_DAY, US_HOUR, emptyDataset, makeMainDataset, openDataset, req, smallDataset, us, user, type Dataset, type RequestRow } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refAnomalyCauses } from './reference/anomaly-causes.js';
import { SCENARIOS } from './scenarios.js';

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });

let conn: WasmNodeConnector;
beforeAll(async () => {
  conn = await WasmNodeConnector.create();
}, 30_000);
afterAll(async () => conn?.close());

function useDataset(make: () => Dataset): () => { ds: Dataset; client: UsageDataClient } {
  let state: { ds: Dataset; client: UsageDataClient } | undefined;
  beforeAll(async () => {
    const ds = make();
    state = { ds, client: await openDataset(conn, ds) };
  }, 30_000);
  return () => state!;
}

describe('main dataset', () => {
  const get = useDataset(makeMainDataset);
  // 2025-10-01 is the data's first day (no history), 2025-10-15 has two weeks, the others four.
  const DATES = ['2026-02-26', '2026-03-09', '2026-01-01', '2025-10-15', '2025-10-01'];
  describe.each(SCENARIOS)('%s', (_name, filters) => {
    it.each(DATES)('anomalyCauses(%s) matches the reference', async (date) => {
      const { ds, client } = get();
      expectClose(await client.run(Q.anomalyCauses, filters, { date }), refAnomalyCauses(ds, filters, { date }));
    });
  });

  it('gives expected 0 and contributions = actual share on a day without history', async () => {
    const { client } = get();
    const r = await client.run(Q.anomalyCauses, all(), { date: '2025-10-01' });
    expect(r.weeks).toBe(0);
    expect(r.expected).toBe(0);
    expect(r.actual).toBeGreaterThan(0);
    for (const c of [...r.departments, ...r.agents, ...r.statuses]) {
      expect(c.expected).toBe(0);
      expect(c.contribution).toBeCloseTo((100 * c.actual) / r.actual, 10);
    }
    expect(r.departments.length).toBeLessThanOrEqual(5);
  });

  it('rejects a malformed date, naming it', async () => {
    const { client } = get();
    await expect(client.run(Q.anomalyCauses, all(), { date: '2026-02-30' })).rejects.toThrow(/2026-02-30/);
    expect(() => Q.anomalyCauses.sql({} as never, { date: "x'; DROP TABLE requests" })).toThrow(/date must be/);
  });
});

describe('empty snapshot', () => {
  const get = useDataset(emptyDataset);
  it('has no causes and zero totals', async () => {
    const { ds, client } = get();
    const r = await client.run(Q.anomalyCauses, all(), { date: '2026-02-26' });
    expect(r).toEqual({ date: '2026-02-26', weeks: 0, actual: 0, expected: 0, departments: [], agents: [], statuses: [] });
    expectClose(r, refAnomalyCauses(ds, all(), { date: '2026-02-26' }));
  });
});

/** Five weeks of 10 requests per day in each of three departments, then a sales spike on the last Thursday. */
function spikeDataset(): Dataset {
  const anchor = '2026-03-06T00:00:00.000Z';
  const a = us(anchor);
  const requests: RequestRow[] = [];
  const depts = ['engineering', 'sales', 'support'];
  for (let d = 35; d >= 1; d--) {
    const day = a - d * US_DAY;
    depts.forEach((dep, i) => {
      const n = d === 1 && dep === 'sales' ? 60 : 10;
      for (let k = 0; k < n; k++) {
        requests.push(
          req({
            ts: day + (k % 20) * US_HOUR + k * 1_000_000,
            user_id: `u${i}`,
            department_id: dep,
            status: d === 1 && dep === 'sales' && k % 2 ? 'error' : 'success',
            agent_id: dep === 'sales' ? 'a03-analyst' : 'a01-support',
          }),
        );
      }
    });
  }
  return smallDataset(
    'spike',
    anchor,
    '2026-01-30T00:00:00.000Z',
    requests,
    depts.map((_, i) => user(`u${i}`, a - 100 * US_DAY)),
  );
}

describe('a planted department spike', () => {
  const get = useDataset(spikeDataset);
  it('ranks the spiking department first with the whole change', async () => {
    const { ds, client } = get();
    const r = await client.run(Q.anomalyCauses, all(), { date: '2026-03-05' });
    expectClose(r, refAnomalyCauses(ds, all(), { date: '2026-03-05' }));
    expect(r.weeks).toBe(4);
    expect(r).toMatchObject({ actual: 80, expected: 30 });
    expect(r.departments[0]).toEqual({ key: 'sales', actual: 60, expected: 10, delta: 50, contribution: 100 });
    expect(r.departments.slice(1).map((c) => c.contribution)).toEqual([0, 0]);
    expect(r.agents[0]).toMatchObject({ key: 'a03-analyst', contribution: 100 });
    expect(r.statuses[0]).toMatchObject({ key: 'error', actual: 30, expected: 0, contribution: 60 });
  });

  it('gives null contributions when the total did not change', async () => {
    const { client } = get();
    const r = await client.run(Q.anomalyCauses, all(), { date: '2026-03-04' });
    expect(r.actual).toBe(r.expected);
    expect(r.departments.every((c) => c.contribution === null)).toBe(true);
  });
});
