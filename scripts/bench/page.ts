/**
 * Benchmark page (headless Chromium, driven by scripts/bench.ts): loads a snapshot into
 * DuckDB-WASM in a Worker and times instantiate, load and every query module (1 cold + N warm runs,
 * straight on the connector so the coordinator's cache does not hide the work).
 */
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { DEFAULT_FILTERS, makeContext } from '@usage-analytics/queries';
import { SAMPLE_SQL, allModules, benchParams, median, toSample } from './cases.js';

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
  const connector = new WasmBrowserConnector({ bundleBase: '/duckdb/' });
  await connector.start();
  const tInstantiate = performance.now() - t0;
  const client = await UsageDataClient.open({ source: new HttpSource(manifest), connector });
  const t1 = performance.now();
  await client.ready;
  const tLoad = performance.now() - t1;
  const [sample] = await connector.query(SAMPLE_SQL);
  const ctx = makeContext(DEFAULT_FILTERS, client.anchor, client.dataStart);
  const queries: Record<string, { cold: number; warm: number; rows: number }> = {};
  for (const m of allModules()) {
    const sql = m.sql(ctx, benchParams(m.name, toSample(sample)));
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
  window.__bench = { instantiateMs: tInstantiate, loadMs: tLoad, queries, engine: connector.engine };
}

main().catch((e: unknown) => {
  window.__benchError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
});
