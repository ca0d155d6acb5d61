/**
 * Issue 12, lever 1: loading a snapshot from its DuckDB database file vs its Arrow streams, in
 * headless Chromium. Serves the bench page (scripts/bench/dist, `SITE=bench pnpm build`) and a
 * snapshot folder (HTTP Range requests answered, for DuckDB-WASM's lazy reads) on a port of its
 * own, and for each mode opens the page in a new incognito context (cold cache) `RUNS` times:
 * navigation → every table loaded (the page's `readyAtMs`), bytes downloaded before that (all, and
 * the snapshot's), kpis cold and warm (median of 5).
 *
 *   pnpm tsx scripts/bench/db-load.ts .data/bench-1m [modes=arrow,copy,views] [runs=3]
 *
 * Modes: arrow | copy | views (OpenOptions.database). Lazy reads over HTTP (`registerFileURL`,
 * DuckDBDataProtocol.HTTP) were measured with this script too and left out of the client: DuckDB-WASM
 * fetched the whole file in one GET anyway, and a lazily read file cannot be checked against its SHA-256.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';

const [snapDir = '.data/bench-1m', modeList = 'arrow,copy,views', runsArg = '3'] = process.argv.slice(2);
/** COI=1: serve the page cross-origin isolated (COOP/COEP) with DuckDB-WASM's COI files, so the client picks the threaded build. */
const COI = process.env.COI === '1';
const DUCKDB_DIST = dirname(createRequire(resolve('packages/data-client/package.json')).resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
const DIST = resolve('scripts/bench/dist');
const SNAP = resolve(snapDir);
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Bytes the server sent (bodies), and those under /snapshots/: reset per run (the page's workers fetch too, which CDP on the page does not see). */
const sent = { all: 0, snapshot: 0, requests: 0 };
const server = createServer((req, res) => {
  const count = (n: number) => {
    sent.all += n;
    sent.requests++;
    if (req.url?.startsWith('/snapshots/')) sent.snapshot += n;
  };
  const url = new URL(req.url ?? '/', 'http://x');
  const [root, rel] = url.pathname.startsWith('/snapshots/')
    ? [SNAP, url.pathname.slice(11)]
    : url.pathname.startsWith('/duckdb/')
      ? [DUCKDB_DIST, url.pathname.slice(8)]
      : [DIST, url.pathname.slice(1) || 'index.html'];
  const file = join(root, normalize(decodeURIComponent(rel)));
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    res.writeHead(404).end();
    return;
  }
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
    ...(COI ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {}),
  };
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (range) {
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}` });
    if (req.method === 'HEAD') return void res.end();
    count(end - start + 1);
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': size });
  if (req.method === 'HEAD') return void res.end();
  count(size);
  createReadStream(file).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const modes = modeList.split(',');
  const results = new Map<string, Record<string, number>[]>(modes.map((m) => [m, []]));
  // Rounds of every mode, the order rotated each round: a busy machine's slow spell hits all modes alike.
  for (let run = 0; run < Number(runsArg); run++) {
    for (const mode of [...modes.slice(run % modes.length), ...modes.slice(0, run % modes.length)]) {
      const rows = results.get(mode)!;
      const ctx = await browser.createBrowserContext();
      const page = await ctx.newPage();
      Object.assign(sent, { all: 0, snapshot: 0, requests: 0 });
      await page.goto(`http://127.0.0.1:${port}/?manifest=/snapshots/manifest.json&only=kpis&runs=5&db=${mode}`);
      await page.waitForFunction('window.__bench || window.__benchError', { timeout: 300_000, polling: 50 });
      const result = (await page.evaluate('window.__bench || { error: window.__benchError }')) as Record<string, number>;
      if ('error' in result) throw new Error(`${mode}: ${String(result.error)}`);
      // Counted when the page is done: after the tables are loaded it only runs kpis (no downloads).
      const { all: bytes, snapshot: snapBytes, requests } = sent;
      const heap = (await page.evaluate(`performance.memory?.usedJSHeapSize ?? 0`)) as number;
      if (run === 0 && mode === modes[0]) console.log(`crossOriginIsolated: ${String(await page.evaluate('crossOriginIsolated'))}`);
      rows.push({ ...result, MB: bytes / 1e6, snapshotMB: snapBytes / 1e6, requests, pageHeapMB: heap / 1e6 });
      await ctx.close();
    }
  }
  for (const [mode, rows] of results) {
    const pick = (k: string) => median(rows.map((r) => r[k])).toFixed(k.endsWith('MB') ? 1 : 0);
    console.log(
      `${mode.padEnd(12)} ready ${pick('readyAtMs')} ms (instantiate ${pick('instantiateMs')}, load ${pick('loadMs')}) · downloaded ${pick('MB')} MB (snapshot ${pick('snapshotMB')} MB, ${pick('requests')} requests) · kpis cold ${pick('kpisColdMs')} warm ${pick('kpisWarmMs')} ms · threads ${pick('threads')} · runs: ${rows.map((r) => r.readyAtMs.toFixed(0)).join(', ')}`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
