/**
 * Two engines, one answer, in a time zone: the zone-aware modules (local days, hours and months via
 * `localTs`, a CASE of Intl-computed offsets) give the same rows in native DuckDB and DuckDB-WASM
 * over a demo snapshot that spans the 2026 EU (25 Oct) and US (1 Nov) DST changes.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSnapshotDir, type UsageDataClient } from '@usage-analytics/data-client/node';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, makeContext, type QueryModule, type UsageFilters } from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { NativeConnector } from '../src/native-connector.js';
import { cleanupTmp, tmp } from './helpers.js';

type AnyModule = QueryModule<any, any>;

let native: NativeConnector;
let wasm: UsageDataClient;

beforeAll(async () => {
  const dir = join(tmp('engines-zone'), 'snap');
  await runDemo({ requests: 8_000, days: 75, seed: 5, end: Date.UTC(2026, 10, 5), outDir: dir });
  native = await NativeConnector.create();
  await native.loadSnapshot(dir);
  wasm = await openSnapshotDir(dir);
  await wasm.ready;
}, 180_000);

afterAll(async () => {
  native?.close();
  await wasm?.close();
  cleanupTmp();
});

const canonical = (rows: unknown): unknown =>
  JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v)));

const scenarios: Record<string, UsageFilters> = {
  '30d': defaultFilters({ timeRange: { preset: '30d' } }),
  'local dates over both changes': defaultFilters({
    agentStatuses: [],
    environments: [],
    timeRange: { preset: 'custom', start: '2026-10-20', end: '2026-11-03' },
  }),
  '3 days of hours over the US change': defaultFilters({
    agentStatuses: [],
    environments: [],
    timeRange: { preset: 'custom', start: '2026-10-31', end: '2026-11-03' },
  }),
};

const cases: [AnyModule, unknown][] = [
  [Q.dailySeries, {}],
  [Q.dailySeries, { span: 'all', by: 'department' }],
  [Q.callsOverTime, { by: 'department' }],
  [Q.callsOverTime, { bucket: 'day', by: 'agent' }],
  [Q.retentionCohorts, {}],
  [Q.hourWeekday, undefined],
  [Q.usersInCohortCell, { cohortMonth: '2026-10', monthOffset: 0 }],
];

for (const timeZone of ['Europe/Berlin', 'America/New_York']) {
  it(`zone-aware modules agree in ${timeZone}`, async () => {
    let differFromUtc = 0;
    for (const [name, filters] of Object.entries(scenarios)) {
      const ctx = makeContext(filters, wasm.anchor, wasm.dataStart, undefined, { timeZone });
      const utc = makeContext(filters, wasm.anchor, wasm.dataStart);
      for (const [m, p] of cases) {
        const sql = m.sql(ctx, p).text;
        const [a, b] = await Promise.all([native.query(sql), wasm.connector.query(sql)]);
        expect(a.length, `${m.name} ${name}`).toBeGreaterThan(0);
        expect(canonical(m.transform(a, ctx, p)), `${m.name} ${JSON.stringify(p)} ${name}`).toEqual(canonical(m.transform(b, ctx, p)));
        const u = await wasm.connector.query(m.sql(utc, p).text);
        if (JSON.stringify(canonical(u)) !== JSON.stringify(canonical(b))) differFromUtc++;
      }
    }
    expect(differFromUtc).toBeGreaterThan(10); // the zone changes the answers (so this compares something)
  }, 180_000);

  it(`the day-bucketed drill-downs and adoption modules agree in ${timeZone}`, async () => {
    const [top] = await wasm.connector.query('SELECT agent_id FROM requests GROUP BY agent_id ORDER BY count(*) DESC, agent_id LIMIT 1');
    const more: [AnyModule, unknown][] = [
      [Q.anomalyCauses, { date: '2026-11-01' }],
      [Q.anomalyCauses, { date: '2026-10-25' }],
      [Q.adoptionCurve, {}],
      [Q.adoptionCurve, { byVersion: true, limit: 4 }],
      [Q.versionAdoption, {}],
      [Q.adoptionBenchmark, { days: 7 }],
      [Q.agentDaily, { agentId: String(top.agent_id) }],
      [Q.capacitySeries, { bucket: 'hour' }],
      [Q.capacitySeries, { bucket: 'day' }],
      [Q.requestsInBucket, { bucketStart: Date.UTC(2026, 10, 1, 1), bucket: 'hour', limit: 500 }],
      [Q.requestsInBucket, { bucketStart: Date.UTC(2026, 9, 25), bucket: 'day', limit: 500 }],
    ];
    const rowsOf = new Map<string, number>();
    for (const [name, filters] of Object.entries(scenarios)) {
      const ctx = makeContext(filters, wasm.anchor, wasm.dataStart, undefined, { timeZone });
      for (const [m, p] of more) {
        const sql = m.sql(ctx, p).text;
        const [a, b] = await Promise.all([native.query(sql), wasm.connector.query(sql)]);
        const k = `${m.name} ${JSON.stringify(p)}`;
        rowsOf.set(k, (rowsOf.get(k) ?? 0) + a.length);
        expect(canonical(m.transform(a, ctx, p)), `${k} ${name}`).toEqual(canonical(m.transform(b, ctx, p)));
      }
    }
    for (const [k, n] of rowsOf) expect(n, k).toBeGreaterThan(0);
  }, 180_000);
}
