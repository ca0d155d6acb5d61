/**
 * Every module's SQL binds and runs in DuckDB-WASM with hostile filter and parameter values, and
 * those values stay data: no statement is injected, no table changes, nothing matches them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { TABLE_NAMES, defaultFilters, makeContext, type QueryContext, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { ALL_MODULES } from './all-modules.js';
import { makeMainDataset, openDataset } from './fixtures.js';

const HOSTILE = [
  "'; DROP TABLE requests; --",
  "x' OR '1'='1",
  '"; DROP TABLE agents; --',
  "\\'); DELETE FROM users; --",
  "' UNION SELECT user_id, email FROM users --",
  '🚀 ünïcödé 研究 \u202e RTL',
  '$1 ? % _ * [0] {x}',
  'line\nbreak\ttab',
  "''''",
];

const ds = makeMainDataset();
let conn: WasmNodeConnector;
let client: UsageDataClient;
let counts: Record<string, number>;

const tableCounts = async () => {
  const out: Record<string, number> = {};
  for (const t of TABLE_NAMES) out[t] = Number((await conn.query(`SELECT count(*) AS n FROM "${t}"`))[0].n);
  return out;
};

beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
  counts = await tableCounts();
}, 30_000);
afterAll(async () => conn?.close());

/** Filters whose free-text dimensions hold only hostile values (no dimension validation: makeContext without dims). */
function hostileContext(over: Partial<UsageFilters> = {}): QueryContext {
  const f = defaultFilters({
    departments: HOSTILE,
    intents: HOSTILE,
    providers: HOSTILE,
    modelFamilies: HOSTILE,
    agentIds: HOSTILE,
    userIds: HOSTILE,
    userSegments: ['power', 'regular', 'new', 'dormant'],
    requestStatuses: ['success', 'error', 'timeout'],
    ...over,
  });
  return makeContext(f, client.anchor, client.dataStart);
}

/** Hostile versions of each module's string parameters. */
function hostileParams(params: any): any {
  if (params === undefined) return undefined;
  const p = { ...params };
  if ('agentId' in p) p.agentId = HOSTILE[0];
  if ('source' in p) p.source = HOSTILE[1];
  if ('segment' in p) p.segment = 'power';
  return p;
}

describe('output column types', () => {
  const ALLOWED = new Set(['VARCHAR', 'DOUBLE', 'BIGINT', 'INTEGER', 'BOOLEAN', 'VARCHAR[]', 'DOUBLE[]', 'INTEGER[]']);
  it.each(ALL_MODULES)('$name returns only VARCHAR/DOUBLE/BIGINT/INTEGER/BOOLEAN (and lists of them, never BIGINT[])', async ({ module, params }) => {
    const ctx = makeContext(defaultFilters({ userSegments: ['power'] }), client.anchor, client.dataStart);
    const cols = await conn.query(`DESCRIBE ${module.sql(ctx, params)}`);
    // Dictionary columns of requests/sessions are stored as sorted ENUMs (queries/src/storage.ts): read as strings.
    const bad = cols
      .filter((c) => !ALLOWED.has(String(c.column_type).replace(/^ENUM\(.*\)(\[\])?$/s, 'VARCHAR$1')))
      .map((c) => `${c.column_name}: ${c.column_type}`);
    expect(bad).toEqual([]);
  });
});

describe('hostile filter values', () => {
  it.each(ALL_MODULES)('$name binds, runs and matches nothing', async ({ module, params }) => {
    const ctx = hostileContext();
    const sql = module.sql(ctx, hostileParams(params));
    const rows = await conn.query(sql.text);
    const out = module.transform(rows, ctx, hostileParams(params)) as unknown;
    expect(out).toBeDefined();
    expect(await tableCounts()).toEqual(counts);
  });

  it.each(HOSTILE)('one hostile department (%j) alone yields empty results', async (value) => {
    const ctx = hostileContext({
      departments: [value],
      intents: [],
      providers: [],
      modelFamilies: [],
      agentIds: [],
      userIds: [],
      agentStatuses: [],
      environments: [],
    });
    const k = Q.kpis.transform(await conn.query(Q.kpis.sql(ctx).text), ctx);
    expect(k.totalCalls.value).toBe(0);
    const s = Q.sessionTransitions.transform(await conn.query(Q.sessionTransitions.sql(ctx, {}).text), ctx, {});
    expect(s.sessions).toBe(0);
  });

  it('hostile module parameters stay literals', async () => {
    const ctx = makeContext(defaultFilters({ agentStatuses: [], environments: [] }), client.anchor, client.dataStart);
    for (const v of HOSTILE) {
      const runs: [Q.QueryModule<any, any>, any][] = [
        [Q.agentRequestLog, { agentId: v }],
        [Q.agentApiClients, { agentId: v }],
        [Q.agentDaily, { agentId: v }],
        [Q.requestsInBucket, { bucketStart: Date.parse('2026-03-01T00:00:00Z'), by: 'department', key: v }],
        [Q.capacitySeries, { resourceType: v }],
        [Q.adoptionCurve, { agentIds: [v, "a05-o'reilly"] }],
        [Q.versionAdoption, { agentIds: [v] }],
      ];
      for (const [m, p] of runs) {
        const rows = await conn.query(m.sql(ctx, p).text);
        if (m === Q.agentDaily) expect(rows.every((r) => r.requests === 0)).toBe(true);
        else if (m !== Q.adoptionCurve) expect(rows).toEqual([]);
      }
      const adoption = await client.run(Q.adoptionCurve, defaultFilters({ agentStatuses: [], environments: [] }), { agentIds: [v, "a05-o'reilly"] });
      expect(adoption.series.map((s) => s.key)).toEqual(["a05-o'reilly"]);
    }
    expect(await tableCounts()).toEqual(counts);
  });

  it('rejects NUL characters in filter values with a FilterError naming the field', () => {
    expect(() => hostileContext({ departments: ['a\u0000b'] })).toThrow(Q.FilterError);
    expect(() => hostileContext({ userIds: ['u\u0000'] })).toThrow(expect.objectContaining({ code: 'invalid_filter', field: 'userIds' }));
    expect(() => Q.literal('a\u0000b')).toThrow(TypeError); // the last line of defence below the filters
  });

  it('hostile values pass the client only through dimension validation (FilterError)', async () => {
    await expect(client.run(Q.kpis, defaultFilters({ departments: [HOSTILE[0]] }), undefined)).rejects.toMatchObject({
      name: 'FilterError',
      code: 'unknown_value',
    });
  });
});
