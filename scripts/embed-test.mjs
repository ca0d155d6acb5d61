#!/usr/bin/env node
// The one-script embed, end to end: builds it (`SITE=embed pnpm build` → packages/elements/cdn/),
// checks the first-paint budget, serves examples/plain-html with the embed at the sub-path
// /static/ua/ through scripts/serve.mjs (the demo's server: compression of the text files, the wasm
// and snapshot.duckdb checked here too, and in the page that the wasm came brotli-, the database
// file zstd-encoded) and the test snapshot (.data/test-snapshot, `bash scripts/test-snapshot.sh`),
// opens it in headless
// Chromium and checks that the tab painted its KPI cards, every chart element registered, the
// DuckDB files came from /static/ua/duckdb/ and nothing failed or logged an error.
//
// Usage: node scripts/embed-test.mjs [--no-build]   Ends with "embed: N passed, M failed"; exit 1 on a failure.
// The demo (`SITE=demo`, examples/demo/dist/main.js) is built too and held to the same budget.
//
// First paint = usage-analytics.js and every chunk it imports statically (transitively), gzip
// level 9 (node:zlib), not the lazy chunks (charts, DuckDB's JS, the action dialogs) nor the wasm.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, CHROMIUM } from './chromium.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CDN = join(ROOT, 'packages/elements/cdn');
const ENTRY = join(CDN, 'usage-analytics.js');
/** First-paint JS budget, gzip bytes (issue 11: ≤ 150 kB). */
export const FIRST_PAINT_BUDGET = 150_000;
const CHART_TAGS = [
  'usage-api-calls',
  'usage-unique-users',
  'usage-active-agents',
  'usage-calls-per-user',
  'usage-calls-over-time',
  'usage-agent-distribution',
  'usage-top-users',
  'usage-intent-matrix',
  'usage-retention-cohorts',
  'usage-adoption-curve',
  'usage-journey-sankey',
  'usage-forecast',
  'usage-capacity-gauges',
  'usage-dependency-graph',
  'usage-geo-map',
  'usage-time-heatmap',
];

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? '  ✓' : '  ✗'} ${name}${detail ? ` — ${detail}` : ''}`);
}

/** The static import graph of an ES module file (rollup's output: `import … from "./x.js"` / `export … from`). */
export function staticGraph(entry) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) walk(join(dirname(file), m[1]));
  };
  walk(entry);
  return [...seen];
}

if (!process.argv.includes('--no-build')) {
  console.log('› building the embed and the demo (SITE=embed,demo pnpm build → packages/elements/cdn/, examples/demo/dist/)');
  rmSync(CDN, { recursive: true, force: true });
  rmSync(join(ROOT, 'examples/demo/dist'), { recursive: true, force: true });
  const r = spawnSync('pnpm', ['build'], { cwd: ROOT, env: { ...process.env, SITE: 'embed,demo' }, stdio: ['ignore', 'ignore', 'inherit'] });
  check('the embed and the demo build', r.status === 0, `exit ${r.status}`);
}

console.log('› the folder');
const duckdb = ['duckdb-eh.wasm', 'duckdb-mvp.wasm', 'duckdb-browser-eh.worker.js', 'duckdb-browser-mvp.worker.js'];
check('usage-analytics.js, chunks/ and duckdb/ are there', existsSync(ENTRY) && duckdb.every((f) => existsSync(join(CDN, 'duckdb', f))));
if (!existsSync(ENTRY)) finish();
check(
  'usage-analytics.js is the entry itself, not a facade over chunks/ (its import.meta.url is the folder)',
  readFileSync(ENTRY, 'utf8').includes('import.meta.url'),
);

console.log('› first-paint budget');
/** Gzip bytes (level 9) of `entry` and its static imports, each printed. */
function firstPaint(entry) {
  const graph = staticGraph(entry);
  let gz = 0;
  for (const file of graph) {
    const n = gzipSync(readFileSync(file), { level: 9 }).length;
    gz += n;
    console.log(`    ${relative(ROOT, file)}: ${(n / 1000).toFixed(1)} kB gzip`);
  }
  return gz;
}
for (const [what, entry] of [
  ['the embed (usage-analytics.js)', ENTRY],
  ['the demo (main.js)', join(ROOT, 'examples/demo/dist/main.js')],
]) {
  if (!existsSync(entry)) {
    check(`${what} is built`, false, entry);
    continue;
  }
  const gz = firstPaint(entry);
  console.log(`    first-paint JS of ${what}: ${(gz / 1000).toFixed(1)} kB gzip (level 9); budget ${FIRST_PAINT_BUDGET / 1000} kB`);
  check(`first-paint JS of ${what} ≤ ${FIRST_PAINT_BUDGET / 1000} kB gzip`, gz <= FIRST_PAINT_BUDGET, `${(gz / 1000).toFixed(1)} kB`);
}

console.log('› serving examples/plain-html with the embed at /static/ua/ (scripts/serve.mjs)');
if (!existsSync(join(ROOT, '.data/test-snapshot/manifest.json'))) {
  check('the test snapshot exists (bash scripts/test-snapshot.sh)', false);
  finish();
}
/** Starts scripts/serve.mjs with `args` on a free port: its origin and the child. */
async function serve(args) {
  const child = spawn(process.execPath, ['scripts/serve.mjs', ...args, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited (${code})`)));
  });
  return { origin, child };
}

/**
 * Opens `url` and waits for the tab: the KPI values (through the shadow roots) and the provider's
 * load into DuckDB. Returns what it saw; `allow` lists URL endings whose 404 is expected.
 */
async function openTab(browser, url, allow = []) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const problems = [];
  const responses = [];
  /** URL → its Content-Encoding ('' = none), from CDP on the page and on every worker (DuckDB's engine and the hash worker fetch there). */
  const encodings = new Map();
  const listen = async (session) => {
    session.on('Network.responseReceived', (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      encodings.set(e.response.url, headers['content-encoding'] ?? '');
    });
    await session.send('Network.enable');
  };
  await listen(await page.createCDPSession());
  page.on('workercreated', (w) => void listen(w.client).catch(() => undefined));
  const allowed = (u) => allow.some((end) => u.endsWith(end));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    const where = m.location()?.url ?? '';
    if (m.type() === 'error' && !(allowed(where) && /status of 404/.test(m.text()))) problems.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    // Chromium reports every answered HEAD (the engine's file probe) as ERR_ABORTED: its body is never read.
    if (r.method() === 'HEAD' && r.response()?.ok()) return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    responses.push(r.url());
    if (r.status() >= 400 && !(r.status() === 404 && allowed(r.url()))) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  const values = await page
    .waitForFunction(
      () => {
        const deep = (root, sel, out = []) => {
          out.push(...root.querySelectorAll(sel));
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) deep(el.shadowRoot, sel, out);
          return out;
        };
        const cards = deep(document, 'usage-kpi-cards');
        const vals = cards.flatMap((c) => [...c.shadowRoot.querySelectorAll('[part="value"]')].map((v) => v.textContent.trim()));
        return vals.length > 0 && vals.every((v) => v !== '') ? vals : false;
      },
      { timeout: 90_000, polling: 200 },
    )
    .then((h) => h.jsonValue())
    .catch((e) => (problems.push(`no KPI values: ${e.message}`), []));
  // The engine starts with the first query past the precomputed first paint: wait for the tables.
  const state = await page
    .waitForFunction(
      () => {
        const find = (root) => {
          for (const el of root.querySelectorAll('*')) {
            if (el.localName === 'usage-provider') return el;
            const inner = el.shadowRoot && find(el.shadowRoot);
            if (inner) return inner;
          }
        };
        const s = find(document)?.loadStatus?.state;
        return s === 'ready' || s === 'error' ? s : false;
      },
      { timeout: 90_000, polling: 200 },
    )
    .then((h) => h.jsonValue())
    .catch((e) => e.message);
  return { page, problems, responses, values, state, encodings };
}

const { origin, child: server } = await serve(['--dist', 'examples/plain-html', '--mount', `/static/ua/=${CDN}`, '--snapshots', '.data/test-snapshot']);

/** A raw GET (no automatic decompression): status, headers, body bytes. */
const get = (path, headers = {}) =>
  new Promise((resolve, reject) => {
    request(`${origin}${path}`, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });

try {
  console.log('› compression (the demo server)');
  const raw = readFileSync(ENTRY);
  const g = await get('/static/ua/usage-analytics.js', { 'accept-encoding': 'gzip, deflate' });
  check(
    'JS with Accept-Encoding: gzip → Content-Encoding: gzip, Vary: Accept-Encoding, the same bytes once gunzipped',
    g.status === 200 && g.headers['content-encoding'] === 'gzip' && /accept-encoding/i.test(g.headers.vary ?? '') && gunzipSync(g.body).equals(raw),
    `${g.status} ${g.headers['content-encoding']} ${g.body.length} of ${raw.length} bytes`,
  );
  check('its Content-Length is the compressed length', Number(g.headers['content-length']) === g.body.length);
  const b = await get('/static/ua/usage-analytics.js', { 'accept-encoding': 'gzip, br' });
  check('with br accepted → brotli', b.headers['content-encoding'] === 'br' && brotliDecompressSync(b.body).equals(raw), String(b.headers['content-encoding']));
  const plain = await get('/static/ua/usage-analytics.js');
  check('without Accept-Encoding → identity, full length', !plain.headers['content-encoding'] && plain.body.equals(raw));
  const q0 = await get('/static/ua/usage-analytics.js', { 'accept-encoding': 'gzip;q=0' });
  check('gzip;q=0 → identity', !q0.headers['content-encoding'] && q0.body.equals(raw));
  const range = await get('/static/ua/usage-analytics.js', { 'accept-encoding': 'gzip', range: 'bytes=0-99' });
  check('a Range request is not compressed', !range.headers['content-encoding']);
  const wasmRaw = readFileSync(join(CDN, 'duckdb', 'duckdb-eh.wasm'));
  const wasm = await get('/static/ua/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'gzip, br' });
  check(
    'the wasm with br accepted → Content-Encoding: br, the same bytes once decoded',
    wasm.status === 200 &&
      wasm.headers['content-encoding'] === 'br' &&
      wasm.headers['content-type'] === 'application/wasm' &&
      /accept-encoding/i.test(wasm.headers.vary ?? '') &&
      Number(wasm.headers['content-length']) === wasm.body.length &&
      brotliDecompressSync(wasm.body).equals(wasmRaw),
    `${wasm.status} ${wasm.headers['content-encoding']} ${wasm.body.length} of ${wasmRaw.length} bytes`,
  );
  const wasmGz = await get('/static/ua/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'gzip' });
  check(
    'the wasm with gzip accepted → gzip, the same bytes once gunzipped',
    wasmGz.headers['content-encoding'] === 'gzip' && gunzipSync(wasmGz.body).equals(wasmRaw),
    `${wasmGz.headers['content-encoding']} ${wasmGz.body.length} bytes`,
  );
  const wasmPlain = await get('/static/ua/duckdb/duckdb-eh.wasm');
  check('the wasm without Accept-Encoding → identity', !wasmPlain.headers['content-encoding'] && wasmPlain.body.equals(wasmRaw));
  const wasmRange = await get('/static/ua/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'gzip, br', range: 'bytes=0-99' });
  check('a Range request for the wasm is not compressed', !wasmRange.headers['content-encoding']);

  console.log('› the database file (snapshot.duckdb and the exporter’s snapshot.duckdb.zst / .br)');
  const top = JSON.parse(readFileSync(join(ROOT, '.data/test-snapshot/manifest.json'), 'utf8'));
  const dbRaw = readFileSync(join(ROOT, '.data/test-snapshot', top.database.file));
  const db = await get(`/snapshots/${top.database.file}`, { 'accept-encoding': 'gzip, deflate, br' });
  const dbDecoded = db.headers['content-encoding'] === 'br' ? brotliDecompressSync(db.body) : db.body;
  check(
    'snapshot.duckdb with br accepted → Content-Encoding: br, decodes to the file, SHA-256 = the manifest’s',
    db.status === 200 &&
      db.headers['content-encoding'] === 'br' &&
      Number(db.headers['content-length']) === db.body.length &&
      db.body.length < dbRaw.length &&
      dbDecoded.equals(dbRaw) &&
      createHash('sha256').update(dbDecoded).digest('hex') === top.database.sha256,
    `${db.status} ${db.headers['content-encoding']} ${db.body.length} of ${dbRaw.length} bytes`,
  );
  const dbPlain = await get(`/snapshots/${top.database.file}`, { 'accept-encoding': 'gzip' });
  check('snapshot.duckdb without br → identity, the file', !dbPlain.headers['content-encoding'] && dbPlain.body.equals(dbRaw));
  check('snapshot.duckdb.br is not served at its own URL', (await get(`/snapshots/${top.database.file}.br`, { 'accept-encoding': 'br' })).status === 404);
  // zstd, as Chromium asks (its decoding is checked in the page below: the client verifies the file's SHA-256).
  const dbZst = await get(`/snapshots/${top.database.file}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
  check(
    'snapshot.duckdb with zstd accepted → Content-Encoding: zstd, the exporter’s .zst (its size in the manifest)',
    dbZst.status === 200 &&
      dbZst.headers['content-encoding'] === 'zstd' &&
      Number(dbZst.headers['content-length']) === dbZst.body.length &&
      dbZst.body.length === top.database.zst?.bytes &&
      dbZst.body.length < dbRaw.length,
    `${dbZst.status} ${dbZst.headers['content-encoding']} ${dbZst.body.length} bytes, manifest ${top.database.zst?.bytes}`,
  );
  check('snapshot.duckdb.zst is not served at its own URL', (await get(`/snapshots/${top.database.file}.zst`, { 'accept-encoding': 'zstd' })).status === 404);

  console.log('› the plain page in Chromium');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROME_ARGS,
  });
  try {
    const { page, problems, responses, values, state, encodings } = await openTab(browser, `${origin}/`);
    check('the tab painted its KPI cards with values', values.length >= 4 && values.every((v) => /\d/.test(v)), JSON.stringify(values));
    const registered = await page
      .waitForFunction((tags) => tags.every((t) => customElements.get(t)), { timeout: 30_000 }, CHART_TAGS)
      .then(() => true)
      .catch(() => false);
    check('every chart element registered from its lazy chunk', registered);
    const base = await page.evaluate(async () => (await import('/static/ua/usage-analytics.js')).getBasePath());
    check('getBasePath() is the script’s folder', base === `${origin}/static/ua/`, base);
    check('the provider loaded the snapshot into DuckDB', state === 'ready', state);
    const sent = (re) => [...encodings].filter(([u]) => re.test(u.split('?')[0]));
    const dbSent = sent(/\/snapshot\.duckdb$/);
    check(
      'the page fetched snapshot.duckdb with Content-Encoding: zstd (and loaded it: SHA-256 checked)',
      dbSent.length > 0 && dbSent.every(([, e]) => e === 'zstd'),
      JSON.stringify(dbSent),
    );
    const engineSent = sent(/\/duckdb-(eh|mvp)\.wasm$/);
    check('the page fetched DuckDB’s wasm compressed (br)', engineSent.length > 0 && engineSent.every(([, e]) => e === 'br'), JSON.stringify(engineSent));
    const wasmFrom = responses.filter((u) => /\/(duckdb-(eh|mvp)\.wasm|duckdb-browser-(eh|mvp)\.worker\.js)$/.test(u));
    check(
      'the DuckDB files came from /static/ua/duckdb/ (next to the script, no bundle-base)',
      wasmFrom.length > 0 && wasmFrom.every((u) => u.startsWith(`${origin}/static/ua/duckdb/`)),
      wasmFrom.join(' ') || responses.filter((u) => /duckdb/.test(u)).join(' '),
    );
    check('no console errors, page errors or failed requests', problems.length === 0, problems.join('; '));

    console.log('› the demo portal (examples/demo/dist on scripts/serve.mjs, the test snapshot)');
    const demo = await serve(['--dist', 'examples/demo/dist', '--snapshots', '.data/test-snapshot']);
    try {
      const js = await new Promise((resolve, reject) =>
        request(`${demo.origin}/main.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          res.resume();
          resolve(res.headers);
        })
          .on('error', reject)
          .end(),
      );
      check(
        'the demo server answers gzip for its JS',
        js['content-encoding'] === 'gzip' && /accept-encoding/i.test(js.vary ?? ''),
        String(js['content-encoding']),
      );
      // /demo/session is a 404 without the actions service (scripts/demo.sh starts it): expected here.
      const tab = await openTab(browser, `${demo.origin}/`, ['/demo/session']);
      check(
        'the demo painted its KPI cards and loaded the snapshot',
        tab.values.length >= 4 && tab.state === 'ready',
        `${JSON.stringify(tab.values)} ${tab.state}`,
      );
      const demoDb = [...tab.encodings].filter(([u]) => /\/snapshot\.duckdb$/.test(u.split('?')[0]));
      check('the demo fetched snapshot.duckdb with Content-Encoding: zstd', demoDb.length > 0 && demoDb.every(([, e]) => e === 'zstd'), JSON.stringify(demoDb));
      check('the demo: no console errors, page errors or failed requests', tab.problems.length === 0, tab.problems.join('; '));
    } finally {
      demo.child.kill();
    }
  } finally {
    await browser.close();
  }
} catch (e) {
  check('the page test ran', false, e.message);
} finally {
  server.kill();
}
finish();

function finish() {
  console.log(`embed: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
