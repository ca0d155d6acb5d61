import { UsageDataClient, WasmNodeConnector, FsSource } from './packages/data-client/src/node.js';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, segmentSql } from '@usage-analytics/queries';
const c = await UsageDataClient.open({ source: new FsSource('.bench/snap-1000000'), connector: await WasmNodeConnector.create() });
await c.ready;
const dims = await c.dimensions();
const fA = defaultFilters({ departments: dims.departments.slice(0, 3) } as any);
const fB = defaultFilters({ departments: dims.departments.slice(0, 3), userSegments: ['regular', 'power'] } as any);
const time = async (label: string, fn: () => Promise<unknown>) => { const xs: number[] = []; for (let i = 0; i < 5; i++) { c.coordinator.clearCache(); const t = performance.now(); await fn(); xs.push(performance.now() - t); } xs.sort((a, b) => a - b); console.log(label.padEnd(40), xs.map((x) => x.toFixed(0)).join(' ')); };
for (const m of [Q.kpis, Q.callsOverTime]) {
  await time(m.name + ' no segment', () => c.run(m as any, fA, {} as any));
  await time(m.name + ' segment', () => c.run(m as any, fB, {} as any));
}
const ctx = c.context(fB);
const body = segmentSql(ctx.range).text;
await time('segmentSql alone (count)', () => c.connector.query(`SELECT count(*) FROM (${body})`));
await time('create temp', () => c.connector.query(`CREATE OR REPLACE TEMP TABLE seg AS ${body}`));
const kp = Q.kpis.sql(ctx, undefined).text;
const replaced = kp.split(`(${body})`).join('seg');
console.log('replaced occurrences', kp.split(`(${body})`).length - 1);
await time('kpis with temp', () => c.connector.query(replaced));
