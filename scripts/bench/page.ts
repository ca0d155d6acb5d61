/**
 * Benchmark page (headless Chromium, driven by scripts/bench.ts): loads a snapshot into
 * DuckDB-WASM in a Worker and times instantiate, load and every query module (1 cold + N warm runs,
 * straight on the connector so the coordinator's cache does not hide the work). `?only=load` stops
 * after the load; `?hash=main` hashes the tables on the page's thread instead of the worker (A/B:
 * at 1M, 5.0–5.4 s vs 4.9–5.2 s load, three cold runs each, so the worker costs no load time).
 */
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { heatmap } from '@usage-analytics/elements';
import { DEFAULT_FILTERS, intentMatrix, makeContext } from '@usage-analytics/queries';
import { formatters, heatmapData } from '../../packages/elements/src/components/intent-matrix/intent-matrix.data.js';
import { SAMPLE_SQL, allModules, benchParams, median, toSample } from './cases.js';
import { benchAdoptionCurve } from './draw-adoption-curve.js';
import { benchAgentDistribution } from './draw-agent-distribution.js';
import { benchCallsPerUser } from './draw-calls-per-user.js';
import { benchCapacityGauges } from './draw-capacity-gauges.js';
import { benchDependencyGraph } from './draw-dependency-graph.js';
import { benchForecast } from './draw-forecast.js';
import { benchGeoMap } from './draw-geo-map.js';
import { benchJourneySankey } from './draw-journey-sankey.js';
import { benchTimeHeatmap } from './draw-time-heatmap.js';

declare global {
  interface Window {
    __bench?: unknown;
    __benchError?: string;
  }
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const manifest = params.get('manifest') ?? '/snapshots/manifest.json';
  const runs = Number(params.get('runs') ?? 5);
  const t0 = performance.now();
  const connector = new WasmBrowserConnector({ bundleBase: '/duckdb/', threads: true }); // threads when the page is cross-origin isolated (db-load.ts COI=1)
  await connector.start();
  const tInstantiate = performance.now() - t0;
  // ?hash=main: checksums on the page's thread (the source without readHashed), to compare with the worker.
  const http = new HttpSource(manifest);
  const source = params.get('hash') === 'main' ? { location: http.location, manifestPath: http.manifestPath, read: (p: string) => http.read(p) } : http;
  // ?db=copy|views|arrow: how a snapshot with a database file is loaded (OpenOptions.database).
  const db = params.get('db');
  const database = db === 'copy' || db === 'views' || db === 'arrow' ? db : undefined;
  const client = await UsageDataClient.open({ source, connector, database });
  const t1 = performance.now();
  await client.ready;
  const tLoad = performance.now() - t1;
  const readyAtMs = performance.now();
  if (params.get('only') === 'load' || params.get('only') === 'kpis') {
    const kpis: number[] = [];
    if (params.get('only') === 'kpis') {
      const ctx = makeContext(DEFAULT_FILTERS, client.anchor, client.dataStart);
      const sql = allModules()
        .find((m) => m.name === 'kpis')!
        .sql(ctx, undefined).text;
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        await connector.query(sql);
        kpis.push(performance.now() - t);
      }
    }
    const [{ t: threads }] = await connector.query(`SELECT current_setting('threads') AS t`);
    window.__bench = {
      readyAtMs,
      threads,
      instantiateMs: tInstantiate,
      loadMs: tLoad,
      kpisColdMs: kpis[0],
      kpisWarmMs: median(kpis.slice(1)),
      queries: {},
      engine: connector.engine,
    };
    return;
  }
  const [sample] = await connector.query(SAMPLE_SQL);
  const ctx = makeContext(DEFAULT_FILTERS, client.anchor, client.dataStart);
  const queries: Record<string, { cold: number; warm: number; rows: number }> = {};
  for (const m of allModules()) {
    const sql = m.sql(ctx, benchParams(m.name, toSample(sample))).text;
    let t = performance.now();
    const rows = await connector.query(sql);
    const cold = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      await connector.query(sql);
      warm.push(performance.now() - t);
    }
    queries[m.name] = { cold, warm: median(warm), rows: rows.length };
  }
  // Issue 8's and 9's charts: each one's pure draw at a stated size (data built in the page), median ms.
  const draws = {
    callsPerUser: benchCallsPerUser(runs),
    agentDistribution: benchAgentDistribution(runs),
    adoptionCurve: benchAdoptionCurve(runs),
    forecast: benchForecast(runs),
    timeHeatmap: benchTimeHeatmap(runs),
    journeySankey: benchJourneySankey(runs),
    capacityGauges: benchCapacityGauges(runs),
    dependencyGraph: benchDependencyGraph(runs),
    geoMap: benchGeoMap(runs),
  };
  window.__bench = { instantiateMs: tInstantiate, loadMs: tLoad, queries, engine: connector.engine, heatmap: heatmapBench(runs), draws };
}

/**
 * Chart 2.8's drawing at 50 intents × 20 departments (PRD PR2.3): the IntentMatrix → cells
 * conversion, the robust colour scale, the SVG draw with headers and marginals, and the style and
 * layout it forces — into a fresh SVG each run (cold) and into the same SVG (update).
 */
function heatmapBench(runs: number): { departments: number; intents: number; cells: number; coldMs: number[]; updateMs: number[] } {
  const rows = [];
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let d = 0; d < 20; d++)
    for (let i = 0; i < 50; i++) rows.push({ department_id: `department-${d}`, intent_category: `intent-${i}`, requests: Math.round(rand() ** 3 * 50_000) });
  const ctx = makeContext(DEFAULT_FILTERS, new Date('2026-11-01T00:00:00Z'), new Date('2026-08-01T00:00:00Z'));
  const matrix = intentMatrix.transform(rows, ctx, undefined);
  const host = document.createElement('div');
  host.style.cssText = 'width:1100px;font:11px system-ui';
  document.body.append(host);
  const once = (svg: SVGSVGElement): number => {
    const t = performance.now();
    const f = formatters('en-US');
    const robust = heatmap.robustSequential(matrix.pctOfDept.flat());
    heatmap.update(svg, heatmapData(matrix, 'share', f), { width: 1100, colour: robust.scale, headers: true, corner: 'Department / intent', label: 'bench' });
    svg.getBoundingClientRect();
    void host.offsetHeight; // style + layout of the new nodes
    return performance.now() - t;
  };
  const coldMs: number[] = [];
  const updateMs: number[] = [];
  for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
    host.replaceChildren(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    coldMs.push(once(host.firstElementChild as SVGSVGElement));
    updateMs.push(once(host.firstElementChild as SVGSVGElement));
  }
  host.remove();
  return {
    departments: matrix.departments.length,
    intents: matrix.intents.length,
    cells: matrix.departments.length * matrix.intents.length,
    coldMs: coldMs.slice(1),
    updateMs: updateMs.slice(1),
  };
}

main().catch((e: unknown) => {
  window.__benchError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
});
