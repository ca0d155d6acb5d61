// Installs the packed packages (`pnpm pack` tarballs) into fresh scratch apps under
// .data/consumers/ and checks what a new user gets: each app installs from the tarballs with npm,
// builds with its bundler's defaults (no decorator or alias config), type-checks with `tsc --noEmit`
// (strict, standard decorators, no skipLibCheck: our .d.ts and their dependencies' must all pass),
// and is opened in headless Chromium against the test snapshot, with DuckDB-WASM's files copied
// from node_modules as the README's quick start says. The chart must paint (areas or lines in its
// shadow root, one legend entry per department found in the snapshot by DuckDB in the page) and
// the console must stay free of errors. A size budget compares the gzip of "provider + one chart"
// with "provider alone" (both built by Vite 7).
//
// node scripts/test-packages.mjs <tarball dir>      (scripts/test-packages.sh builds and packs first)
// APPS=vite7,webpack to run a subset. Writes .data/packages-results.json ({ passed, failed, results }).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, CHROMIUM } from './chromium.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const tarDir = resolve(process.argv[2] ?? join(root, '.data/consumers/tarballs'));
const work = join(root, '.data/consumers');
const npmCache = join(work, 'npm-cache');
const snapshotDir = join(root, '.data/test-snapshot');
/**
 * Issue 11's budget: importing one chart loads at most 60 kB (gzip) more than the shared runtime
 * (the provider alone). Counted from Vite's build manifest: the entry chunk and every chunk it
 * imports statically, i.e. what the page loads before the chart can paint. The parts a chart loads
 * on demand (the data-table view, PNG export, the chart's filter lists, d3-brush after the first
 * draw: internal/lazy.ts) are their own chunks, reported beside it, and so is all the JS the build
 * emitted.
 */
export const CHART_BUDGET = 60 * 1024;

const VERSIONS = {
  typescript: '5.9.3',
  lit: '3.3.3',
  vite7: '7.3.8',
  vite8: '8.4.1',
  webpack: '5.113.0',
  'webpack-cli': '7.3.1',
  react: '19.3.1',
  'react-dom': '19.3.1',
  '@types/react': '19.3.3',
  '@types/react-dom': '19.3.0',
  '@vitejs/plugin-react': '5.2.0',
};

// Each tarball is installed under a name carrying its hash, so a rerun on a kept app (node_modules
// and package-lock.json kept; FRESH=1 starts from nothing) reinstalls exactly the packages that changed.
const hashed = join(tarDir, 'by-hash');
rmSync(hashed, { recursive: true, force: true });
mkdirSync(hashed, { recursive: true });
const tarballs = Object.fromEntries(
  readdirSync(tarDir)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => {
      const bytes = readFileSync(join(tarDir, f));
      const to = join(hashed, f.replace(/\.tgz$/, `-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.tgz`));
      writeFileSync(to, bytes);
      return [f.replace(/^usage-analytics-/, '@usage-analytics/').replace(/-\d+\.\d+\.\d+\.tgz$/, ''), to];
    }),
);
for (const name of [
  '@usage-analytics/elements',
  '@usage-analytics/data-client',
  '@usage-analytics/queries',
  '@usage-analytics/forecast',
  '@usage-analytics/actions',
]) {
  if (!tarballs[name]) throw new Error(`no tarball for ${name} in ${tarDir}`);
}

// The default tsconfig of a new TypeScript app (Vite's vanilla-ts template, minus skipLibCheck).
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    // Reruns re-check only what changed (our .d.ts); FRESH=1 starts without this file.
    incremental: true,
    tsBuildInfoFile: './node_modules/.cache/tsbuildinfo',
    noUnusedLocals: true,
    noUnusedParameters: true,
    noFallthroughCasesInSwitch: true,
  },
  include: ['src'],
};

const PAGE = (script) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>consumer</title></head>
  <body>
    <div id="app"></div>
    <script type="module" src="${script}"></script>
  </body>
</html>
`;

// The README's quick start (its first ```ts block under "Quick start from npm"), as a new user would
// type it, plus a typed event listener and element type (strict tsc checks both).
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const quickStart = readme.slice(readme.indexOf('## Quick start from npm'));
const README_TS = /```ts\n([\s\S]*?)```/.exec(quickStart)?.[1];
if (!README_TS?.includes('@usage-analytics/elements/api-calls.js')) throw new Error('README.md has no "Quick start from npm" ts block importing api-calls.js');
const MAIN_TS = `${README_TS}
import type UsageApiCalls from '@usage-analytics/elements/api-calls.js';
const chart: UsageApiCalls = document.querySelector('usage-api-calls')!;
chart.addEventListener('usage-drilldown', (e) => console.log('drilldown', e.detail.kind));
`;

/** The same code as plain JS (webpack's default entry is src/index.js): type imports, annotations and `!` dropped. */
function toJs(ts) {
  return ts
    .replace(/^import type .*\n/gm, '')
    .replace(/: UsageApiCalls/g, '')
    .replace(/\)!/g, ')');
}

const PROVIDER_ONLY_TS = `import '@usage-analytics/elements/provider.js';

document.querySelector<HTMLDivElement>('#app')!.innerHTML = '<usage-provider src="/snapshot/manifest.json" bundle-base="/duckdb/"></usage-provider>';
`;

// The React host of examples/react, as it is in the repository (its package.json must pin the
// versions this test installs: checked below).
const REACT_EXAMPLE = join(root, 'examples/react');
const reactFile = (f) => readFileSync(join(REACT_EXAMPLE, f), 'utf8');

const APPS = {
  vite7: { bundler: { vite: VERSIONS.vite7 }, src: { 'main.ts': MAIN_TS }, build: ['vite', 'build', '--manifest'], out: 'dist' },
  'vite7-provider': {
    bundler: { vite: VERSIONS.vite7 },
    src: { 'main.ts': PROVIDER_ONLY_TS },
    build: ['vite', 'build', '--manifest'],
    out: 'dist',
    budgetOnly: true,
  },
  vite8: { bundler: { vite: VERSIONS.vite8 }, src: { 'main.ts': MAIN_TS }, build: ['vite', 'build'], out: 'dist' },
  // webpack 5 with no config file at all: ./src/index.ts is not a default entry, so the entry is JS
  // (the type-check still runs over a TS copy of the same code).
  webpack: {
    bundler: { webpack: VERSIONS.webpack, 'webpack-cli': VERSIONS['webpack-cli'] },
    src: {
      'index.js': toJs(MAIN_TS),
      'check.ts': MAIN_TS,
    },
    build: ['webpack', '--mode', 'production'],
    out: 'dist',
    page: 'main.js',
  },
  react: {
    bundler: {
      vite: VERSIONS.vite7,
      '@vitejs/plugin-react': VERSIONS['@vitejs/plugin-react'],
      react: VERSIONS.react,
      'react-dom': VERSIONS['react-dom'],
      '@types/react': VERSIONS['@types/react'],
      '@types/react-dom': VERSIONS['@types/react-dom'],
    },
    src: { 'main.tsx': reactFile('src/main.tsx') },
    files: { 'vite.config.js': reactFile('vite.config.js'), 'index.html': reactFile('index.html') },
    tsconfig: JSON.parse(reactFile('tsconfig.json')).compilerOptions,
    build: ['vite', 'build'],
    out: 'dist',
    react: true,
  },
};

{
  const pkg = JSON.parse(reactFile('package.json'));
  const pinned = { ...pkg.dependencies, ...pkg.devDependencies };
  const wrong = Object.entries(APPS.react.bundler)
    .concat([
      ['typescript', VERSIONS.typescript],
      ['lit', VERSIONS.lit],
    ])
    .filter(([n, v]) => pinned[n] !== v)
    .map(([n, v]) => `${n} ${pinned[n]} (the test installs ${v})`);
  if (wrong.length) throw new Error(`examples/react/package.json is out of step with the test: ${wrong.join(', ')}`);
}

/** Seconds spent in each step of the current app (install, build, tsc, chromium). */
let phases = {};
function run(cmd, args, cwd, phase = args.find((a) => !a.startsWith('-')) ?? cmd) {
  const t0 = Date.now();
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_cache: npmCache, npm_config_update_notifier: 'false' },
    });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${relative(root, cwd)}:\n${e.stdout ?? ''}${e.stderr ?? ''}`.slice(0, 6000), { cause: e });
  } finally {
    phases[phase] = +((Date.now() - t0) / 1000).toFixed(1);
  }
}

function createApp(name, app) {
  const dir = join(work, name);
  if (process.env.FRESH === '1') rmSync(dir, { recursive: true, force: true });
  for (const old of ['src', app.out, 'index.html']) rmSync(join(dir, old), { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  const pkg = {
    name: `consumer-${name}`,
    private: true,
    type: 'module',
    dependencies: { ...Object.fromEntries(Object.entries(tarballs).map(([n, f]) => [n, `file:${f}`])), lit: VERSIONS.lit },
    devDependencies: { typescript: VERSIONS.typescript, ...app.bundler },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const ts = { ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, ...app.tsconfig } };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(ts, null, 2));
  for (const [f, text] of Object.entries(app.src)) writeFileSync(join(dir, 'src', f), text);
  for (const [f, text] of Object.entries(app.files ?? {})) writeFileSync(join(dir, f), text);
  const entry = Object.keys(app.src)[0];
  if (!app.page && !app.files?.['index.html']) writeFileSync(join(dir, 'index.html'), PAGE(`/src/${entry}`));
  return dir;
}

/** The README's `cp node_modules/@duckdb/duckdb-wasm/dist/duckdb-{eh,mvp}.wasm …-browser-{eh,mvp}.worker.js <to>`. */
export const DUCKDB_FILES = ['duckdb-eh.wasm', 'duckdb-mvp.wasm', 'duckdb-browser-eh.worker.js', 'duckdb-browser-mvp.worker.js'];
function copyDuckdb(dir, to) {
  const from = join(dir, 'node_modules/@duckdb/duckdb-wasm/dist');
  mkdirSync(to, { recursive: true });
  for (const f of DUCKDB_FILES) copyFileSync(join(from, f), join(to, f));
}

/**
 * Gzip bytes of the JS a Vite build loads at start: the entry chunk and the chunks it imports
 * statically, read from the build manifest (`vite build --manifest`).
 */
function gzipOfStartJs(dist) {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const k of manifest[key].imports ?? []) visit(k);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  let total = 0;
  for (const key of seen) if (manifest[key].file.endsWith('.js')) total += gzipSync(readFileSync(join(dist, manifest[key].file)), { level: 9 }).length;
  return total;
}

/** Total gzip bytes of the JS an app built (all chunks: the first paint's and the lazy ones). */
function gzipOfJs(dir) {
  let total = 0;
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.js') && !f.includes('duckdb-browser-') && !p.includes('/duckdb/')) total += gzipSync(readFileSync(p), { level: 9 }).length;
    }
  };
  walk(dir);
  return total;
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** Serves the app's build as a static host would (DuckDB's files included), and the snapshot at /snapshot/. */
function serve(outDir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.startsWith('/snapshot/') ? join(snapshotDir, path.slice('/snapshot/'.length)) : join(outDir, path === '/' ? 'index.html' : path);
    if (!existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

let browser;
async function openInChromium(dir, app) {
  const out = join(dir, app.out);
  if (app.page) writeFileSync(join(out, 'index.html'), PAGE(`/${app.page}`));
  const server = await serve(out);
  browser ??= await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROME_ARGS,
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => {
    // Chromium reports every answered HEAD (the engine's file probe) as ERR_ABORTED: its body is never read.
    if (r.method() === 'HEAD' && r.response()?.ok()) return;
    errors.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'load' });
    const painted = await page.waitForFunction(
      () => {
        const el = document.querySelector('usage-api-calls');
        const svg = el?.shadowRoot?.querySelector('svg');
        const marks = svg ? svg.querySelectorAll('path.area, path.line').length : 0;
        const legend = el?.shadowRoot
          ? [...el.shadowRoot.querySelectorAll('[part="legend-toggle"]')].map((b) => (b.querySelector('bdi') ?? b).textContent.trim())
          : [];
        return marks > 0 && legend.length > 0 ? { marks, legend, defined: !!customElements.get('usage-api-calls') } : false;
      },
      { timeout: 90_000, polling: 250 },
    );
    const { marks, legend } = await painted.jsonValue();
    // Independent of the chart: the departments the snapshot holds, from the provider's client.
    const departments = await page.evaluate(async () => {
      const client = document.querySelector('usage-provider').activeClient;
      return client ? (await client.dimensions()).departments : null;
    });
    let reactEvent;
    if (app.react) {
      // React 19 attached the \`onusage-drilldown\` prop as a listener: an event from the chart reaches it.
      await page.evaluate(() =>
        document
          .querySelector('usage-api-calls')
          .dispatchEvent(new CustomEvent('usage-drilldown', { detail: { kind: 'department', department: 'x' }, bubbles: true, composed: true })),
      );
      reactEvent = await (await page.waitForFunction(() => document.querySelector('output')?.textContent || false, { timeout: 10_000 })).jsonValue();
      // The KPI cards paint, and React state reaches the provider as a property: the period <select>.
      await page.waitForFunction(() => (document.querySelector('usage-kpi-cards')?.shadowRoot?.querySelectorAll('[part~="value"]').length ?? 0) > 0, {
        timeout: 60_000,
      });
      await page.select('select', '7d');
      await page.waitForFunction(() => document.querySelector('usage-provider')?.filters?.timeRange?.preset === '7d', { timeout: 10_000 });
    }
    await new Promise((r) => setTimeout(r, 300));
    return { marks, legend, departments, errors, reactEvent };
  } finally {
    await page.close();
    server.close();
  }
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

const only = process.env.APPS ? process.env.APPS.split(',') : Object.keys(APPS);
const results = [];
const sizes = {};
mkdirSync(work, { recursive: true });
const started = Date.now();
for (const name of only) {
  const app = APPS[name];
  const t0 = Date.now();
  phases = {};
  const result = { name, passed: false, phases };
  results.push(result);
  try {
    const dir = createApp(name, app);
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
    // Our packages' manifests as installed: built JS, no workspace: protocol left.
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules/@usage-analytics/elements/package.json'), 'utf8'));
    check(!JSON.stringify(installed).includes('workspace:'), 'workspace: protocol survived the pack');
    check(installed.exports['./api-calls.js'].default.startsWith('./dist/'), 'exports do not point at dist/');
    check(!existsSync(join(dir, 'node_modules/@usage-analytics/elements/src')), 'sources shipped');
    check(!existsSync(join(dir, 'node_modules/@usage-analytics/elements/test')), 'tests shipped');
    // The Custom Elements Manifest ships and names every tag (IDEs, Storybook read it).
    const cem = join(dir, 'node_modules/@usage-analytics/elements', installed.customElements ?? 'custom-elements.json');
    check(existsSync(cem), 'custom-elements.json not shipped');
    const tags = JSON.parse(readFileSync(cem, 'utf8'))
      .modules.flatMap((m) => m.declarations ?? [])
      .map((d) => d.tagName)
      .filter(Boolean);
    check(tags.includes('usage-api-calls') && tags.includes('usage-provider'), 'custom-elements.json lacks the tags');
    // The quick start's step 2: DuckDB-WASM's engine files into the app's public/duckdb/ (Vite copies
    // public/ into the build; webpack has no such folder, so they go into dist/ after its build).
    copyDuckdb(dir, join(dir, 'public/duckdb'));
    run('npx', ['--no-install', ...app.build], dir);
    if (app.page) copyDuckdb(dir, join(dir, app.out, 'duckdb'));
    result.gzip = gzipOfJs(join(dir, app.out));
    if (app.build.includes('--manifest')) result.startGzip = gzipOfStartJs(join(dir, app.out));
    sizes[name] = { all: result.gzip, start: result.startGzip };
    if (!app.budgetOnly) {
      run('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.'], dir);
      result.typecheck = 'ok';
      const t1 = Date.now();
      const seen = await openInChromium(dir, app);
      phases.chromium = +((Date.now() - t1) / 1000).toFixed(1);
      Object.assign(result, seen);
      check(!seen.errors.some((e) => /decorator/i.test(e)), `decorator error in the page: ${seen.errors.join(' | ')}`);
      check(seen.errors.length === 0, `console errors: ${seen.errors.join(' | ')}`);
      check(seen.marks > 0, 'the chart drew no areas or lines');
      check(seen.departments?.length > 0, 'the provider opened no snapshot');
      const unknown = seen.legend.filter((d) => !seen.departments.includes(d) && !/^other/i.test(d));
      if (app.react) check(seen.reactEvent === 'department', `the React handler saw ${seen.reactEvent}`);
      check(unknown.length === 0, `legend entries that are no department of the snapshot: ${unknown}`);
    }
    result.passed = true;
  } catch (e) {
    result.error = e.message;
  }
  result.seconds = +((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `${result.passed ? '✓' : '✗'} ${name} (${result.seconds} s: ${Object.entries(phases)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})${result.gzip ? `, JS ${(result.gzip / 1024).toFixed(1)} kB gzip` : ''}${result.error ? `\n  ${result.error.replace(/\n/g, '\n  ')}` : ''}`,
  );
}
await browser?.close();

if (sizes.vite7?.start !== undefined && sizes['vite7-provider']?.start !== undefined) {
  const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
  const [runtime, both] = [sizes['vite7-provider'], sizes.vite7];
  const chart = both.start - runtime.start;
  const budget = {
    name: `budget: importing one chart loads ≤ ${CHART_BUDGET / 1024} kB gzip more than the shared runtime`,
    runtime: runtime.start,
    chartAndRuntime: both.start,
    chart,
    lazy: both.all - both.start - (runtime.all - runtime.start),
    limit: CHART_BUDGET,
    passed: chart <= CHART_BUDGET,
  };
  results.push(budget);
  console.log(
    `${budget.passed ? '✓' : '✗'} ${budget.name}: at start, provider alone ${kB(runtime.start)}, provider + api-calls ${kB(both.start)}, the chart ${kB(chart)} (${chart <= CHART_BUDGET ? `${kB(CHART_BUDGET - chart)} under` : `${kB(chart - CHART_BUDGET)} over`}); on demand, the chart's lazy chunks ${kB(budget.lazy)}; all JS emitted ${kB(runtime.all)} / ${kB(both.all)}`,
  );
}
const passed = results.filter((r) => r.passed).length;
const failed = results.length - passed;
writeFileSync(join(root, '.data/packages-results.json'), JSON.stringify({ passed, failed, seconds: (Date.now() - started) / 1000, results }, null, 2));
console.log(`packages: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
