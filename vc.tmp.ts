import { UsageDataClient, WasmNodeConnector, FsSource } from './packages/data-client/src/node.js';
import { defaultFilters } from '@usage-analytics/queries';
import { ALL_MODULES } from './packages/data-client/test/all-modules.js';
const dir = '.bench/snap-1000000';
const open = async (database: 'views' | 'copy') => {
  const t0 = performance.now();
  const c = await UsageDataClient.open({ source: new FsSource(dir), connector: await WasmNodeConnector.create(), database });
  await c.ready;
  console.log(database, 'ready', (performance.now() - t0).toFixed(0), 'ms');
  return c;
};
const views = await open('views');
const copy = await open('copy');
const sets = [defaultFilters(), defaultFilters({ departments: ['sales', 'support'] } as any), defaultFilters({ preset: '7d' } as any)];
const res: Record<string, { views: number[]; copy: number[] }> = {};
for (let rep = 0; rep < 2; rep++)
  for (const [si, f] of sets.entries())
    for (const m of ALL_MODULES) {
      for (const [name, c] of [['views', views], ['copy', copy]] as const) {
        c.coordinator.clearCache();
        const t0 = performance.now();
        try { await c.run(m.module, f, m.params); } catch (e) { continue; }
        (res[m.name] ??= { views: [], copy: [] })[name].push(performance.now() - t0);
      }
    }
let tv = 0, tc = 0;
for (const [k, v] of Object.entries(res)) {
  const sv = v.views.reduce((a, b) => a + b, 0), sc = v.copy.reduce((a, b) => a + b, 0);
  tv += sv; tc += sc;
  console.log(k.padEnd(24), 'views', sv.toFixed(0).padStart(6), 'copy', sc.toFixed(0).padStart(6), (sv / sc).toFixed(2));
}
console.log('TOTAL views', tv.toFixed(0), 'copy', tc.toFixed(0), (tv / tc).toFixed(2));
