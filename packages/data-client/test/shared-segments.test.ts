/**
 * Shared relations (queries/src/shared-relation.ts) materialised by the coordinator: the user
 * segments of a time range, which every query with a segment filter reads. In real DuckDB-WASM,
 * each module answers the same through the materialised table as its plain SQL run inline and as
 * the independent references; one time range builds one table, reused across modules and across
 * filter states over that range; old tables are dropped (LRU), and with the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, replaceShared, sharedBodies, sql, type UsageFilters } from '@usage-analytics/queries';
import { SHARED_TABLES } from '../src/coordinator.js';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { ALL_MODULES } from './all-modules.js';
import { makeMainDataset, openDataset } from './fixtures.js';
import { expectClose } from './helpers.js';

const ds = makeMainDataset();
let conn: WasmNodeConnector;
let client: UsageDataClient;

beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 30_000);
afterAll(async () => conn?.close());

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });

const sharedTables = async (): Promise<number> =>
  Number((await conn.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE starts_with(table_name, '__shared_')`))[0].n);

describe('shared relations: sharedBodies / replaceShared', () => {
  it('finds each marked body once, in order, and replaces only those with a name', () => {
    const a = Q.sharedRelation(sql`SELECT 1 AS x`);
    const b = Q.sharedRelation(sql`SELECT 2 AS x`);
    const text = sql`SELECT * FROM ${a} p JOIN ${b} q USING (x) JOIN ${a} r USING (x)`.text;
    expect(sharedBodies(text)).toEqual(['SELECT 1 AS x', 'SELECT 2 AS x']);
    expect(replaceShared(text, new Map([['SELECT 1 AS x', 't1']]))).toBe(
      `SELECT * FROM t1 p JOIN /*shared*/(SELECT 2 AS x)/*end shared*/ q USING (x) JOIN t1 r USING (x)`,
    );
    expect(sharedBodies('SELECT 1')).toEqual([]);
    expect(replaceShared('SELECT 1', new Map())).toBe('SELECT 1');
  });

  it('a segment filter embeds the segments of its time range as a shared relation (the same body for the current and the previous period)', () => {
    const ctx = client.context(all({ userSegments: ['power'] }));
    const kpis = Q.kpis.sql(ctx, undefined).text;
    expect(sharedBodies(kpis)).toEqual([Q.segmentSql(ctx.range).text]);
    expect(kpis.split('/*shared*/(').length - 1, 'both periods embed it').toBe(2);
    expect(sharedBodies(Q.kpis.sql(client.context(all()), undefined).text), 'no segment filter, nothing shared').toEqual([]);
  });
});

describe('the coordinator materialises shared relations', () => {
  const segmentStates: [string, UsageFilters][] = [
    ['power + new, 30d', all({ userSegments: ['power', 'new'] })],
    ['dormant, 90d', all({ userSegments: ['dormant'], timeRange: { preset: '90d' } })],
    [
      'regular, sales, custom range',
      all({ userSegments: ['regular'], departments: ['sales'], timeRange: { preset: 'custom', start: '2026-01-10', end: '2026-02-20' } }),
    ],
  ];
  for (const [label, filters] of segmentStates) {
    it(`every module: materialised = inline (the plain SQL), ${label}`, async () => {
      const ctx = client.context(filters, await client.dimensions());
      for (const m of ALL_MODULES) {
        const viaTable = await client.run(m.module, filters, m.params);
        const inline = m.module.transform(await conn.query(m.module.sql(ctx, m.params).text), ctx, m.params);
        expectClose(viaTable, inline, `${m.name} (materialised vs inline)`);
        expectClose(viaTable, m.ref(ds, filters, m.params), `${m.name} (reference)`);
      }
    });
  }

  it('builds the segments once per time range and reuses them across modules and filter states', async () => {
    client.coordinator.clearCache();
    const filters = all({ userSegments: ['power'], intents: ['code_gen'], timeRange: { preset: '90d' } });
    const before = { ...client.coordinator.stats };
    await Promise.all([Q.kpis, Q.userSegments, Q.engagement].map((m) => client.run(m as Q.QueryModule<void, unknown>, filters, undefined)));
    let s = client.coordinator.stats;
    expect(s.sharedBuilt - before.sharedBuilt).toBe(1);
    expect(s.sharedReused - before.sharedReused).toBeGreaterThanOrEqual(2);
    // Another segment and department over the same range: no new table.
    const mid = { ...s };
    await client.run(Q.kpis, { ...filters, userSegments: ['dormant'], departments: ['sales'] }, undefined);
    s = client.coordinator.stats;
    expect(s.sharedBuilt - mid.sharedBuilt).toBe(0);
    expect(s.sharedReused - mid.sharedReused).toBe(1);
    expect(await sharedTables()).toBe(1);
    // Another range: a second table.
    await client.run(Q.kpis, { ...filters, timeRange: { preset: '30d' } }, undefined);
    expect(client.coordinator.stats.sharedBuilt - mid.sharedBuilt).toBe(1);
    expect(await sharedTables()).toBe(2);
  });

  it(`keeps at most ${SHARED_TABLES} tables, dropping the least recently used; clearCache drops them all`, async () => {
    client.coordinator.clearCache();
    const days = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14'];
    const state = (d: string) => all({ userSegments: ['regular'], timeRange: { preset: 'custom', start: d, end: '2026-02-20' } });
    for (const d of days) await client.run(Q.kpis, state(d), undefined);
    expect(await sharedTables()).toBe(SHARED_TABLES);
    client.coordinator.clearCache();
    await client.run(Q.kpis, state(days[0]), undefined); // answer only: the cache is empty, the table rebuilt
    expect(await sharedTables()).toBe(1);
    expectClose(
      await client.run(Q.kpis, state(days[0]), undefined),
      Q.kpis.transform(await conn.query(Q.kpis.sql(client.context(state(days[0])), undefined).text), client.context(state(days[0])), undefined),
    );
  });
});
