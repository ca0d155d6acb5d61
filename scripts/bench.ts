/**
 * `pnpm bench`: the speed figures, all measured in one run so ratios compare like with like.
 *
 * For each size (BENCH_SIZES, default "1000000,10000000" requests over 90 days):
 *  - export time and snapshot bytes (exporter `demo`);
 *  - native DuckDB (@duckdb/node-api): load time and every query module's warm median;
 *  - DuckDB-WASM in headless Chromium (worker): instantiate, load, every module's warm median;
 *  - Arquero over the same Arrow files for the metrics it can express, warm medians;
 *  - the 2.8 heatmap drawn at 50 intents × 20 departments (in the WASM page);
 *  - the demo portal (the whole tab), cold, new browser profiles: navigation → KPI cards painted,
 *    → every chart painted, → all data loaded, bytes received until then, memory after load; then
 *    filter changes → charts in the viewport repainted and → every chart settled (median, p95).
 *    The changes are drawn at random (scripts/bench/filter-sets.ts): BENCH_SEED repeats a run (a
 *    new seed is printed otherwise), BENCH_CHANGES how many (60), BENCH_FILTERS=old the former 20
 *    single changes. The tab runs as served and cross-origin isolated (serve.mjs --coi); BENCH_COI=0
 *    or 1 runs one. The demo opens with `?threads` (DuckDB-WASM's threaded build where isolated;
 *    BENCH_THREADS=0 leaves it off). BENCH_BUILD=0 skips the rollup build.
 * Prints a table per size and writes .bench/results.json. RUNS sets warm repetitions (default 5);
 * BENCH_PARTS (native,wasm,arquero,tab) runs only some parts; `quota` (not in the default) adds the A2.10
 * limiter load test (scripts/bench/quota-load.ts: 2,000 checks/s from 50 clients against a PostgreSQL
 * server; QUOTA_ENGINES=postgres,pglite to run it on PGlite too), and alone it skips the snapshot parts;
 * `actions` (also opt-in) times the actions service on the first size's snapshot (scripts/bench/actions-bench.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as aq from 'arquero';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { NativeConnector } from '@usage-analytics/exporter';
import { DEFAULT_FILTERS, makeContext, whereSql, type Dimensions, type Manifest, type UsageFilters } from '@usage-analytics/queries';
import { SAMPLE_SQL, allModules, benchParams, median, toSample } from './bench/cases.js';
import { drawFilterChanges, newSeed, oldFilterChanges, type FilterChange } from './bench/filter-sets.js';
import { ByteCounter, countRowsInPage, heapFigures, runChangesInPage, type ChangeTiming, type HeapFigures } from './bench/tab-probe.js';

const ROOT = resolve(import.meta.dirname, '..');
const SIZES = (process.env.BENCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 5);
/** Which parts to run (comma-separated): native, wasm, arquero, tab (default: these four), quota (only when listed). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'native,wasm,arquero,tab').split(','));
const END = '2026-11-01T00:00:00Z';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROME_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const fmt = (ms: number | undefined, d = 1) => (ms === undefined || !Number.isFinite(ms) ? '—' : ms.toFixed(d));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !b ? '—' : (a / b).toFixed(2) + '×');

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function timeIt(fn: () => Promise<unknown> | unknown, runs = RUNS): Promise<{ cold: number; warm: number }> {
  let t = performance.now();
  await fn();
  const cold = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await fn();
    warm.push(performance.now() - t);
  }
  return { cold, warm: median(warm) };
}

function exportSnapshot(size: number, dir: string): { seconds: number | null } {
  if (existsSync(join(dir, 'manifest.json')) && process.env.REGENERATE !== '1') {
    log(`reusing ${dir} (REGENERATE=1 to time the export again)`);
    const prev = existsSync(join(dir, 'export-seconds')) ? Number(readFileSync(join(dir, 'export-seconds'), 'utf8')) : null;
    return { seconds: prev };
  }
  rmSync(dir, { recursive: true, force: true });
  log(`exporting ${size} requests → ${dir}`);
  const t = performance.now();
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/exporter/src/cli.ts',
      'demo',
      '--requests',
      String(size),
      '--days',
      '90',
      '--seed',
      '42',
      '--end',
      END,
      '--publish-pii',
      'user_name',
      '--out',
      dir,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const seconds = (performance.now() - t) / 1000;
  writeFileSync(join(dir, 'export-seconds'), String(seconds));
  return { seconds };
}

/** Starts scripts/serve.mjs on a free port (others may run a bench at the same time); resolves with the process and its port. */
function serve(dist: string, snapshots: string, coi = false): Promise<{ child: ChildProcess; port: number }> {
  const args = ['scripts/serve.mjs', '--dist', dist, '--snapshots', snapshots, '--port', '0', ...(coi ? ['--coi'] : [])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Timed runs start once the server has brotli-compressed the engine's wasm (it logs "wasm ready"),
  // so the first cold profile does not share the 2 cores with that one-off job (60 s at most).
  return new Promise((res, rej) => {
    let port = 0;
    let warm = false;
    let out = '';
    const done = () => port && warm && res({ child, port });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m && !port) {
        port = Number(m[1]);
        setTimeout(() => ((warm = true), done()), 60_000).unref();
      }
      if (/wasm ready/.test(out)) warm = true;
      done();
    });
    child.on('exit', (code) => rej(new Error(`server exited ${code}`)));
  });
}

async function withBrowser<T>(fn: (b: Browser) => Promise<T>): Promise<T> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'usage-bench-'));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROME_ARGS, `--user-data-dir=${userDataDir}`], protocolTimeout: 600_000 });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

interface WasmResult {
  instantiateMs: number;
  loadMs: number;
  queries: Record<string, { cold: number; warm: number; rows: number }>;
  heatmap?: { departments: number; intents: number; cells: number; coldMs: number[]; updateMs: number[] };
  /** Issue 8's charts: their pure draw at a stated size (see scripts/bench/draw-*.ts). */
  draws?: Record<string, Record<string, unknown>>;
}

/** Chart → the draw bench's key, what it draws, the query modules its data comes from, and the draw target. */
const DRAW_CHARTS: {
  chart: string;
  key: string;
  size: (d: Record<string, any>) => string;
  modules: string[];
  target?: string;
  /** Cold and update draw ms when the generic {@link drawMs} does not fit the bench's shape. */
  ms?: (d: Record<string, any>) => { cold: number; update: number };
}[] = [
  { chart: '2.4 calls per user', key: 'callsPerUser', size: (d) => `${d.users} users → ${d.bins} ${d.scale} bins`, modules: ['callsPerUser', 'atRiskUsers'] },
  {
    chart: '2.6 agent distribution',
    key: 'agentDistribution',
    size: (d) => `${d.agents} agents × ${d.intents} intents (${d.nodes} nodes)`,
    modules: ['agentHierarchy', 'gini'],
    target: '100 ms draw',
  },
  { chart: '2.10 adoption curve', key: 'adoptionCurve', size: (d) => `${d.series} series × ${d.days} days`, modules: ['adoptionCurve', 'adoptionBenchmark'] },
  {
    chart: '2.12 forecast',
    key: 'forecast',
    size: (d) => `${d.historyDays} days + ${d.horizon}-day forecast, ${d.pastForecasts} past`,
    modules: ['usageForecast', 'forecastHistory'],
  },
  {
    chart: '2.16 time heatmap',
    key: 'timeHeatmap',
    size: (d) => `${d.steps} hourly steps, ${d.windows} windows`,
    modules: ['hourWeekday', 'maintenanceWindows'],
  },
  {
    chart: '2.11 journey sankey',
    key: 'journeySankey',
    size: (d) => `${d.sessions} sessions → ${d.steps} steps, ${d.nodes} nodes, ${d.links} links`,
    modules: ['journeySankey'],
    target: '1 s for 100,000 sessions aggregated and drawn',
  },
  {
    chart: '2.13 capacity gauges',
    key: 'capacityGauges',
    size: (d) => `${d.gauges} gauges; detail ${d.pointsPerResource} hourly points × 4 resources: ${fmt(d.detail.coldMs)} / ${fmt(d.detail.updateMs)} ms`,
    modules: ['capacityUtilisation'],
    ms: (d) => ({ cold: Math.max(d.radial.coldMs, d.bullet.coldMs), update: Math.max(d.radial.updateMs, d.bullet.updateMs) }),
  },
  {
    chart: '2.14 dependency graph',
    key: 'dependencyGraph',
    size: (d) =>
      `${d.nodes} agents / ${d.edges} edges, canvas; force layout ${fmt(d.layoutMs.force)} ms (hierarchical ${fmt(d.layoutMs.hierarchical)}, radial ${fmt(d.layoutMs.radial)}); pan/zoom frame median ${fmt(d.frame.medianMs)}, p95 ${fmt(d.frame.p95Ms)} ms`,
    modules: ['agentCallGraph'],
    target: '1 s laid out and drawn, 16 ms a frame',
    ms: (d) => ({ cold: d.totalMs, update: d.canvas.updateMs }),
  },
  {
    chart: '2.15 geo map',
    key: 'geoMap',
    size: (d) => `${d.countries} countries, ${d.cities} cities (world 1:110m); projection switch ${fmt(d.projectionSwitchMs)} ms`,
    modules: ['geography'],
    ms: (d) => ({ cold: d.decodeMs + d.firstMs, update: d.updateMs }),
  },
];

/** Cold (rows → model → SVG) and update draw ms of a draw bench (2.6 reports treemap and sunburst; the slower counts). */
function drawMs(d: Record<string, any>): { cold: number; update: number } {
  if (d.treemap) return { cold: Math.max(d.treemap.coldMs, d.sunburst.coldMs), update: Math.max(d.treemap.updateMs, d.sunburst.updateMs) };
  // Transforms timed by the bench (rows → model: fits, local time, view) count as part of the draw.
  const prep = ['transformMs', 'windowsMs', 'viewMs', 'modelMs'].reduce((a, k) => a + (typeof d[k] === 'number' ? d[k] : 0), 0);
  return { cold: prep + d.coldMs, update: d.updateMs };
}

async function wasmBench(snapDir: string): Promise<WasmResult | { error: string }> {
  const { child: server, port } = await serve('scripts/bench/dist', snapDir);
  try {
    return await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await page.goto(`http://localhost:${port}/?runs=${RUNS}`);
      await page.waitForFunction('window.__bench || window.__benchError', { timeout: 900_000, polling: 500 });
      const err = await page.evaluate('window.__benchError');
      if (err) return { error: String(err) };
      return (await page.evaluate('window.__bench')) as WasmResult;
    });
  } finally {
    server.kill();
  }
}

interface TabRun {
  /** `window.crossOriginIsolated` in the page (the server sent COOP/COEP: `serve.mjs --coi`). */
  crossOriginIsolated: boolean;
  /** Navigation → KPI figures painted (`usage:first-data-paint`), ms, one per cold profile. */
  kpiMs: number[];
  /** Navigation → every chart of the tab painted with numbers (`usage:tab-painted`). */
  tabMs: number[];
  /** Navigation → every table loaded in DuckDB-WASM, any filter answerable (`usage:data-ready`). */
  readyMs: number[];
  /** Navigation → the load's steps (the data-client's marks: engine ready, database file downloaded and checked, attached), one per profile. */
  stepMs: Record<string, number[]>;
  /** Bytes received (CDP encodedDataLength of finished requests, page + workers) up to `usage:data-ready`, one per profile. */
  bytes: number[];
  bytesByKind: Record<string, number>;
  /** Memory after load, first profile (see scripts/bench/tab-probe.ts). */
  heap: HeapFigures;
  /** Filter change → every element intersecting the 1400×900 viewport settled (re-queried and drawn), ms. */
  viewMs: number[];
  /** Filter change → tab.settled() (every element; off-screen charts defer), ms. */
  changeMs: number[];
  changes: string[];
  kinds: ('single' | 'combo')[];
  /** Requests matching each change's filters (exact count in DuckDB-WASM); 0 = an empty answer. */
  rows: number[];
  timings: ChangeTiming[];
}

interface TabResult {
  /** `BENCH_SEED` of the random filter changes (or the old fixed set, `BENCH_FILTERS=old`). */
  seed: number | null;
  filterSet: 'random' | 'old';
  /** One per server mode: not isolated, then cross-origin isolated (`BENCH_COI=0,1`). */
  runs: (TabRun | { crossOriginIsolated: boolean; error: string })[];
}

const BENCH_SEED = process.env.BENCH_SEED ? Number(process.env.BENCH_SEED) : newSeed();
const BENCH_FILTERS = process.env.BENCH_FILTERS === 'old' ? 'old' : 'random';
const BENCH_CHANGES = Number(process.env.BENCH_CHANGES ?? 60);
const BENCH_COI = (process.env.BENCH_COI ?? '0,1').split(',').map((x) => x === '1');
/** The demo opened with `?threads` (`<usage-analytics threads>`): the threaded build where the page is isolated, the single-threaded one elsewhere. `BENCH_THREADS=0` leaves it off. */
const BENCH_THREADS = process.env.BENCH_THREADS !== '0';

const tabMarks = ['usage:first-data-paint', 'usage:tab-painted', 'usage:data-ready'];
const stepMarks = ['usage:engine-ready', 'usage:database-downloaded', 'usage:database-attached'];

/**
 * The demo portal (the whole tab), cold: three new browser profiles, each navigates and waits for
 * the marks, counting the bytes received until `usage:data-ready`; in the first, the memory after
 * load, then the filter changes (each a new filter state, so the coordinator's cache cannot
 * answer), each timed from `tab.filters = …` to the elements in the viewport settled and to
 * `tab.settled()`. Run once per server mode (`coi`: COOP/COEP sent, so the page is cross-origin isolated).
 */
async function tabBench(snapDir: string, manifest: Manifest, coi: boolean): Promise<TabRun> {
  const { child: server, port } = await serve('examples/demo/dist', snapDir, coi);
  try {
    const out: TabRun = {
      crossOriginIsolated: false,
      kpiMs: [],
      tabMs: [],
      readyMs: [],
      stepMs: {},
      bytes: [],
      bytesByKind: {},
      heap: { wasmMemory: [] },
      viewMs: [],
      changeMs: [],
      changes: [],
      kinds: [],
      rows: [],
      timings: [],
    };
    for (let i = 0; i < 3; i++) {
      await withBrowser(async (browser) => {
        const page = await browser.newPage();
        await page.setViewport({ width: 1400, height: 900 });
        const counter = await ByteCounter.attach(page);
        await page.goto(`http://localhost:${port}/${BENCH_THREADS ? '?threads' : ''}`);
        await page.waitForFunction(`performance.getEntriesByName('usage:data-ready').length > 0`, { timeout: 900_000, polling: 'raf' });
        const got = counter.freeze();
        await page.waitForFunction(`${JSON.stringify(tabMarks)}.every((m) => performance.getEntriesByName(m).length > 0)`, {
          timeout: 900_000,
          polling: 'raf',
        });
        const at = (await page.evaluate(`${JSON.stringify(tabMarks)}.map((m) => performance.getEntriesByName(m)[0].startTime)`)) as number[];
        out.kpiMs.push(at[0]);
        out.tabMs.push(at[1]);
        out.readyMs.push(at[2]);
        const steps = (await page.evaluate(`${JSON.stringify(stepMarks)}.map((m) => performance.getEntriesByName(m)[0]?.startTime ?? null)`)) as (
          number | null
        )[];
        stepMarks.forEach((m, k) => {
          if (steps[k] !== null) (out.stepMs[m] ??= []).push(steps[k]);
        });
        out.bytes.push(got.total);
        out.crossOriginIsolated = (await page.evaluate('crossOriginIsolated')) as boolean;
        if (i > 0) return;
        out.bytesByKind = got.byKind;
        out.heap = await heapFigures(browser, page);
        const changes = await filterChanges(page, manifest);
        const timings = (await page.evaluate(runChangesInPage(changes))) as ChangeTiming[];
        const dims = (await page.evaluate(DIMS_IN_PAGE)) as Dimensions;
        const wheres = changes.map((c) => whereSql(makeContext(c.filters, manifest.time_range.end, manifest.time_range.start, dims)).text);
        out.rows = (await page.evaluate(countRowsInPage(wheres))) as number[];
        out.timings = timings;
        out.viewMs = timings.map((t) => t.viewMs);
        out.changeMs = timings.map((t) => t.allMs);
        out.changes = changes.map((c) => c.name);
        out.kinds = changes.map((c) => c.kind);
      });
    }
    return out;
  } finally {
    server.kill();
  }
}

const DIMS_IN_PAGE = `document.querySelector('usage-analytics').shadowRoot.querySelector('usage-provider').dataClient.dimensions()`;

/** The filter changes of this size's runs: drawn once (from the page's dimensions and the tab's filters) and reused by the other server mode. */
let drawn: { snapshot: string; changes: FilterChange[] } | undefined;
async function filterChanges(page: Page, manifest: Manifest): Promise<FilterChange[]> {
  if (drawn?.snapshot === manifest.snapshot_id) return drawn.changes;
  await page.evaluate(`document.querySelector('usage-analytics').settled()`);
  const base = (await page.evaluate(`document.querySelector('usage-analytics').filters`)) as UsageFilters;
  const dims = (await page.evaluate(DIMS_IN_PAGE)) as Dimensions;
  const changes =
    BENCH_FILTERS === 'old'
      ? oldFilterChanges(base, dims)
      : drawFilterChanges(base, dims, {
          seed: BENCH_SEED,
          count: BENCH_CHANGES,
          dataStart: Date.parse(manifest.time_range.start),
          anchor: Date.parse(manifest.time_range.end),
        });
  drawn = { snapshot: manifest.snapshot_id, changes };
  return changes;
}

/** p-th percentile (nearest rank) of a sample. */
function percentile(xs: number[], p: number): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** The metrics Arquero can express, under the default filters, over the same Arrow files. */
async function arqueroBench(snapDir: string, manifest: Manifest): Promise<Record<string, number>> {
  const read = (t: keyof Manifest['tables']) => aq.fromArrow(readFileSync(join(snapDir, manifest.tables[t].file)), { useDate: false } as never);
  const requests = read('requests');
  const agents = read('agents');
  const activeAgents = new Set(agents.filter((d: { agent_status: string }) => d.agent_status === 'active').array('agent_id') as string[]);
  const end = Date.parse(manifest.time_range.end);
  const start = end - 30 * 86_400_000;
  const filtered = () =>
    requests
      .params({ start, end, active: [...activeAgents] })
      .filter(
        (d: Record<string, unknown>, $: { start: number; end: number; active: string[] }) =>
          (d.ts as number) >= $.start && (d.ts as number) < $.end && d.environment === 'production' && aq.op.includes($.active, d.agent_id),
      );
  const cases: Record<string, () => unknown> = {
    kpis: () =>
      filtered()
        .rollup({ calls: aq.op.count(), users: aq.op.distinct('user_id'), agents: aq.op.distinct('agent_id') })
        .objects(),
    callsOverTime: () =>
      filtered()
        .derive({ day: (d: { ts: number }) => aq.op.floor(d.ts / 86_400_000) })
        .groupby('day', 'department_id')
        .count()
        .objects(),
    intentMatrix: () => filtered().groupby('department_id', 'intent_category').count().objects(),
    hourWeekday: () =>
      filtered()
        .derive({ h: (d: { ts: number }) => aq.op.utchours(d.ts), wd: (d: { ts: number }) => aq.op.utcdayofweek(d.ts) })
        .groupby('h', 'wd')
        .count()
        .objects(),
    topUsers: () =>
      filtered()
        .groupby('user_id')
        .rollup({ n: aq.op.count(), cost: aq.op.sum('cost_usd') })
        .orderby(aq.desc('n'))
        .slice(0, 20)
        .objects(),
  };
  const out: Record<string, number> = {};
  for (const [name, fn] of Object.entries(cases)) out[name] = (await timeIt(fn, Math.min(RUNS, 3))).warm;
  return out;
}

async function nativeBench(snapDir: string): Promise<{ loadMs: number; queries: Record<string, { cold: number; warm: number; rows: number }> }> {
  const native = await NativeConnector.create();
  const t = performance.now();
  const manifest = await native.loadSnapshot(snapDir);
  const loadMs = performance.now() - t;
  const [sample] = await native.query(SAMPLE_SQL);
  const ctx = makeContext(DEFAULT_FILTERS, new Date(manifest.time_range.end), new Date(manifest.time_range.start));
  const queries: Record<string, { cold: number; warm: number; rows: number }> = {};
  for (const m of allModules()) {
    const sql = m.sql(ctx, benchParams(m.name, toSample(sample))).text;
    let rows = 0;
    const r = await timeIt(async () => {
      rows = (await native.query(sql)).length;
    });
    queries[m.name] = { ...r, rows };
  }
  native.close();
  return { loadMs, queries };
}

/** The A2.10 limiter load test, one child process per engine; its last stdout line is its JSON result. */
function quotaBench(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const engine of (process.env.QUOTA_ENGINES ?? 'postgres').split(',')) {
    log(`A2.10 quota limiter load test on ${engine}`);
    try {
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/quota-load.ts'], {
        cwd: ROOT,
        env: { ...process.env, QUOTA_ENGINE: engine },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      out[engine] = JSON.parse(stdout.trim().split('\n').at(-1)!);
    } catch (e) {
      const stdout = (e as { stdout?: string }).stdout?.trim().split('\n').at(-1);
      out[engine] = stdout?.startsWith('{') ? { ...JSON.parse(stdout), failed: true } : { error: (e as Error).message };
    }
    const r = out[engine] as { achievedRate?: number; latencyMs?: Record<string, number>; windowViolations?: number; queueOrderViolations?: number };
    if (r.latencyMs)
      console.log(
        `A2.10 quota check on ${engine}: ${r.achievedRate}/s, p50 ${fmt(r.latencyMs.p50, 2)} / p95 ${fmt(r.latencyMs.p95, 2)} / p99 ${fmt(r.latencyMs.p99, 2)} ms, violations: windows ${r.windowViolations}, queue order ${r.queueOrderViolations}`,
      );
  }
  return out;
}

/** The actions service on the 1M snapshot (scripts/bench/actions-bench.ts), in a child process; its last stdout line is its JSON result. */
function actionsBench(): Record<string, unknown> {
  const snap = join(ROOT, '.bench', `snap-${SIZES[0]}`);
  log(`actions service on ${snap}`);
  try {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/actions-bench.ts', snap], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      results: { engine: string; deprecations: { users: number; performMs: number }[]; export: { rows: number; ms: number; rssGrowthMB: number } }[];
    };
    for (const e of r.results) {
      const d = e.deprecations[0];
      console.log(
        `actions on ${e.engine}: A2.2 deprecation of ${d.users} users (notices queued) ${fmt(d.performMs, 0)} ms; A2.4 export of ${e.export.rows} users ${fmt(e.export.ms, 0)} ms, RSS +${fmt(e.export.rssGrowthMB, 0)} MB`,
      );
    }
    return r;
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const MB = (b: number | undefined) => (b === undefined ? '—' : `${(b / 1e6).toFixed(1)} MB`);

/** One server mode's tab figures, in the format of the earlier runs plus bytes, memory and the two change timings. */
function printTab(run: TabResult['runs'][number], tab: TabResult): void {
  const mode = `crossOriginIsolated ${run.crossOriginIsolated}`;
  if ('error' in run) return void console.log(`\nthe tab (${mode}) failed: ${run.error}`);
  const cold = (xs: number[]) => `${fmt(median(xs), 0)} ms (cold, ${xs.map((x) => x.toFixed(0)).join('/')})`;
  console.log(
    `\nthe tab (demo portal, 1400×900, ${mode}): KPI cards painted ${cold(run.kpiMs)} · every chart painted ${cold(run.tabMs)} · all data loaded (any filter answerable) ${cold(run.readyMs)}`,
  );
  const steps = Object.entries(run.stepMs ?? {}).sort((a, b) => median(a[1]) - median(b[1]));
  if (steps.length)
    console.log(
      `  load steps (median from navigation): ${steps.map(([m, xs]) => `${m.replace('usage:', '')} ${fmt(median(xs), 0)} ms`).join(' · ')} · data-ready ${fmt(median(run.readyMs), 0)} ms`,
    );
  console.log(
    `bytes received before data-ready: ${MB(median(run.bytes))} (${run.bytes.map((b) => MB(b)).join(' / ')}; ${Object.entries(run.bytesByKind)
      .sort((a, b) => b[1] - a[1])
      .map(([k, b]) => `${k} ${MB(b)}`)
      .join(', ')})`,
  );
  const h = run.heap;
  console.log(
    `memory after load: WASM memory ${h.wasmMemory.map((m) => `${MB(m.bytes)} (${m.worker})`).join(', ') || '—'} · duckdb_memory() ${MB(h.duckdbMemory?.total)} · renderer RSS ${MB(h.rendererRss)}${h.error ? ` (error: ${h.error})` : ''}`,
  );
  const set = tab.filterSet === 'old' ? 'the old fixed set' : `BENCH_SEED=${tab.seed}`;
  const singles = run.kinds.filter((k) => k === 'single').length;
  const empty = run.rows.filter((n) => n === 0).length;
  const deferred = Math.max(0, ...run.timings.map((t) => t.deferred));
  const errors = run.timings.filter((t) => t.errors > 0).length;
  console.log(
    `${run.changeMs.length} filter changes (${set}; ${singles} single-dimension, ${run.changeMs.length - singles} combinations; ${empty} match no request${errors ? `; ${errors} left an element in an error state` : ''}):`,
  );
  console.log(
    `  → charts in view repainted (elements in the 1400×900 viewport settled): median ${fmt(median(run.viewMs), 0)} ms, p95 ${fmt(percentile(run.viewMs, 95), 0)} ms, max ${fmt(Math.max(...run.viewMs), 0)} ms`,
  );
  console.log(
    `  → every chart settled (tab.settled(); up to ${deferred} off-screen charts defer): median ${fmt(median(run.changeMs), 0)} ms, p95 ${fmt(percentile(run.changeMs, 95), 0)} ms, max ${fmt(Math.max(...run.changeMs), 0)} ms`,
  );
  console.log(
    `  (${run.changes.map((c, i) => `${c} [${run.rows[i]?.toLocaleString('en')} req] ${run.viewMs[i].toFixed(0)}/${run.changeMs[i].toFixed(0)}`).join(', ')})`,
  );
  console.log(`  queries the engine ran during the changes (the coordinator's log), by time spent; "in view" = a chart in the viewport waited for it:`);
  for (const q of queryCosts(run.timings).slice(0, 12)) {
    console.log(
      `    ${q.label.padEnd(28)} ${String(q.runs).padStart(3)} runs (${String(q.inView).padStart(3)} in view) · median ${fmt(q.median, 0).padStart(5)} ms · p95 ${fmt(q.p95, 0).padStart(5)} ms · total ${fmt(q.total / 1000, 1)} s`,
    );
  }
}

/** The coordinator's logged queries over every change, grouped by label, costliest first. */
function queryCosts(timings: ChangeTiming[]): { label: string; runs: number; inView: number; median: number; p95: number; total: number }[] {
  const by = new Map<string, { ms: number[]; inView: number }>();
  for (const t of timings) {
    for (const q of t.queries ?? []) {
      const g = by.get(q.label) ?? { ms: [], inView: 0 };
      g.ms.push(q.ms);
      if (q.inView) g.inView++;
      by.set(q.label, g);
    }
  }
  return [...by.entries()]
    .map(([label, g]) => ({
      label,
      runs: g.ms.length,
      inView: g.inView,
      median: median(g.ms),
      p95: percentile(g.ms, 95) ?? NaN,
      total: g.ms.reduce((a, b) => a + b, 0),
    }))
    .sort((a, b) => b.total - a.total);
}

async function main(): Promise<void> {
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  const snapshotParts = ['native', 'wasm', 'arquero', 'tab'].some((p) => PARTS.has(p));
  if (!snapshotParts && (PARTS.has('quota') || PARTS.has('actions'))) {
    if (PARTS.has('quota')) writeFileSync(join(ROOT, '.bench', 'quota.json'), JSON.stringify(quotaBench(), null, 2));
    if (PARTS.has('actions')) writeFileSync(join(ROOT, '.bench', 'actions.json'), JSON.stringify(actionsBench(), null, 2));
    log('wrote .bench/quota.json / actions.json');
    return;
  }
  if (process.env.BENCH_BUILD === '0') log('BENCH_BUILD=0: using the demo portal and the bench page as built');
  else {
    log('building the demo portal and the bench page (rollup)');
    execFileSync('pnpm', ['--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const results: Record<string, unknown> = {};
  for (const size of SIZES) {
    const dir = join(ROOT, '.bench', `snap-${size}`);
    const exp = exportSnapshot(size, dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const bytes = Object.values(manifest.tables).reduce((a, t) => a + t.bytes, 0);
    const skipped = { error: 'skipped (BENCH_PARTS)' };
    log(`native DuckDB at ${size}`);
    const native = PARTS.has('native') ? await nativeBench(dir) : { loadMs: NaN, queries: {} };
    log(`DuckDB-WASM in Chromium at ${size}`);
    const wasm = PARTS.has('wasm') ? await wasmBench(dir) : skipped;
    log(`Arquero at ${size}`);
    const arq = PARTS.has('arquero') ? await arqueroBench(dir, manifest).catch((e: Error) => ({ error: e.message }) as unknown as Record<string, number>) : {};
    log(`the tab at ${size}: cold paint, data ready, filter changes`);
    let tab: TabResult | { error: string } = skipped;
    if (PARTS.has('tab')) {
      const runs: TabResult['runs'] = [];
      for (const coi of BENCH_COI) {
        log(`the tab at ${size}, ${coi ? 'COOP/COEP sent (cross-origin isolated)' : 'not isolated'}`);
        runs.push(await tabBench(dir, manifest, coi).catch((e: Error) => ({ crossOriginIsolated: coi, error: e.message })));
      }
      tab = { seed: BENCH_FILTERS === 'old' ? null : BENCH_SEED, filterSet: BENCH_FILTERS, runs };
    }
    results[size] = { exportSeconds: exp.seconds, bytes, native, wasm, arquero: arq, tab };

    const w = 'error' in wasm ? undefined : wasm;
    console.log(`\n## ${size.toLocaleString('en')} requests over 90 days\n`);
    console.log(
      `export ${fmt(exp.seconds ?? undefined, 1)} s · snapshot ${(bytes / 1e6).toFixed(1)} MB · native load ${fmt(native.loadMs / 1000, 2)} s · ` +
        (w ? `WASM instantiate ${fmt(w.instantiateMs / 1000, 2)} s, load ${fmt(w.loadMs / 1000, 2)} s` : `WASM failed: ${(wasm as { error: string }).error}`),
    );
    if ('error' in tab) console.log(`\nthe tab: ${tab.error}`);
    else for (const run of tab.runs) printTab(run, tab);
    if (w?.heatmap) {
      const h = w.heatmap;
      console.log(
        `2.8 heatmap ${h.intents} intents × ${h.departments} departments (${h.cells} cells), data → SVG → layout: cold median ${fmt(median(h.coldMs))} ms (max ${fmt(Math.max(...h.coldMs))}), update median ${fmt(median(h.updateMs))} ms`,
      );
    }
    if (w?.draws) {
      console.log('\n| chart | drawn | draw cold / update ms | its queries, WASM warm ms | data → drawn ms |');
      console.log('| --- | --- | ---: | --- | ---: |');
      for (const c of DRAW_CHARTS) {
        const d = w.draws[c.key];
        if (!d) continue;
        const { cold, update } = (c.ms ?? drawMs)(d);
        const q = c.modules.map((m) => w.queries[m]?.warm);
        const total = q.every((x) => x !== undefined) ? q.reduce((a, b) => a! + b!, 0)! + cold : undefined;
        console.log(
          `| ${c.chart} | ${c.size(d)} | ${fmt(cold)} / ${fmt(update)}${c.target ? ` (target ${c.target})` : ''} | ${c.modules.map((m, i) => `${m} ${fmt(q[i])}`).join(', ')} | ${fmt(total)} |`,
        );
      }
    }
    console.log('\n| query | rows | WASM warm ms | native warm ms | WASM/native | Arquero warm ms | Arquero/WASM |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const name of Object.keys(native.queries)) {
      const wq = w?.queries[name];
      const nq = native.queries[name];
      const a = (arq as Record<string, number>)[name];
      console.log(`| ${name} | ${nq.rows} | ${fmt(wq?.warm)} | ${fmt(nq.warm)} | ${ratio(wq?.warm, nq.warm)} | ${fmt(a)} | ${ratio(a, wq?.warm)} |`);
    }
  }
  if (PARTS.has('quota')) results.quota = quotaBench();
  if (PARTS.has('actions')) results.actions = actionsBench();
  writeFileSync(join(ROOT, '.bench', 'results.json'), JSON.stringify(results, null, 2));
  log('wrote .bench/results.json');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
