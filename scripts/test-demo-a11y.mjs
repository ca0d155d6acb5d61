#!/usr/bin/env node
// Accessibility of the built demo portal, in real headless Chromium against the small test snapshot:
//   1. axe-core over the whole page, shadow roots included (axe walks open shadow DOM): any violation fails;
//   2. the keyboard tab order: presses Tab from the top of the page until focus comes back to an element
//      it has already visited, recording document.activeElement deep through shadow roots; fails when
//      there are more than MAX_TAB_STOPS stops (see below) or a stop repeats before the cycle closes.
// It writes .data/demo-a11y-results.json {passed, failed, tabStops, violations} for scripts/test.sh.
//
// Usage: node scripts/test-demo-a11y.mjs [--no-build] [--snapshots .data/test-snapshot] [--list]
//   --no-build  reuse examples/demo/dist (default: run `SITE=demo pnpm build` first)
//   --list      print every tab stop (tag, part/class, accessible name)
//
// Why MAX_TAB_STOPS = 90 (83 on the test snapshot): 4 portal links, 1 skip-link set (one stop,
// arrows inside), the filter bar (9), the KPI cards (one stop, arrows between cards), then per chart
// one stop per widget group: its "Filters" button, its own controls (selects, toggles), one for its
// marks/cells/rows (roving), one for its legend; tables add search, CSV, sort and a row. At most
// MAX_PER_CHART per chart. Before the roving-tabindex work the same page had 189 stops (the 2.1
// legend alone 40).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, CHROMIUM } from './chromium.mjs';

const MAX_TAB_STOPS = 90;
const MAX_PER_CHART = 8;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    snapshots: { type: 'string', default: '.data/test-snapshot' },
    list: { type: 'boolean', default: false },
  },
});

const results = { passed: 0, failed: 0, tabStops: -1, violations: [] };
const check = (name, ok, detail = '') => {
  if (ok) results.passed++;
  else results.failed++;
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
};

/** axe-core ships with @open-wc/testing (through chai-a11y-axe); resolve it from there if it is not hoisted. */
function axePath() {
  const req = createRequire(join(root, 'package.json'));
  for (const from of [[], ['@open-wc/testing'], ['@open-wc/testing', 'chai-a11y-axe']]) {
    try {
      let r = req;
      for (const pkg of from) r = createRequire(r.resolve(pkg));
      return r.resolve('axe-core/axe.min.js');
    } catch {
      /* next */
    }
  }
  throw new Error('axe-core not found (it comes with @open-wc/testing; run scripts/bootstrap.sh)');
}

function build() {
  console.log('› SITE=demo pnpm build');
  const r = spawnSync('pnpm', ['build'], { cwd: root, env: { ...process.env, SITE: 'demo' }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`SITE=demo pnpm build failed (${r.status})`);
}

/** Starts scripts/serve.mjs on a free port; resolves with { url, stop }. */
function serve(snapshots) {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['scripts/serve.mjs', '--dist', 'examples/demo/dist', '--snapshots', snapshots, '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DEMO_TOKEN_SECRET: '' },
    });
    let out = '';
    const timer = setTimeout(() => fail(new Error(`serve.mjs printed no address: ${out}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/localhost:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        ok({ url: `http://127.0.0.1:${m[1]}/`, stop: () => child.kill() });
      }
    });
    child.on('exit', (code) => fail(new Error(`serve.mjs exited (${code}): ${out}`)));
  });
}

async function main() {
  if (!values['no-build']) build();
  if (!existsSync(join(root, 'examples/demo/dist/index.html'))) throw new Error('no examples/demo/dist: build the demo (SITE=demo pnpm build)');
  const snapshots = resolve(root, values.snapshots);
  if (!existsSync(join(snapshots, 'manifest.json'))) throw new Error(`no snapshot at ${snapshots}: run bash scripts/test-snapshot.sh`);
  const server = await serve(snapshots);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROME_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url, { waitUntil: 'load' });
    // The tab marks `usage:tab-painted` once every chart shows numbers; then wait for lazy layouts (aria-busy) and quiet frames.
    await page.waitForFunction(() => performance.getEntriesByName('usage:tab-painted').length > 0, { timeout: 120000, polling: 200 });
    await page.waitForFunction(
      () => {
        const busy = (r) => [...r.querySelectorAll('*')].some((e) => e.getAttribute('aria-busy') === 'true' || (e.shadowRoot && busy(e.shadowRoot)));
        return !busy(document);
      },
      { timeout: 60000, polling: 250 },
    );
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)));
    check('the page painted without errors', errors.length === 0, errors.join('; '));

    // 1. axe-core over the document, open shadow roots included.
    await page.addScriptTag({ content: await readFile(axePath(), 'utf8') });
    const axe = await page.evaluate(async () => {
      const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      }));
    });
    results.violations = axe;
    for (const v of axe) {
      console.log(`  axe ${v.id} (${v.impact}): ${v.help}`);
      for (const n of v.nodes.slice(0, 5)) console.log(`    ${JSON.stringify(n.target)}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`);
      if (v.nodes.length > 5) console.log(`    … ${v.nodes.length - 5} more`);
    }
    check('axe-core: no violations on the demo page', axe.length === 0, axe.map((v) => `${v.id} ×${v.nodes.length}`).join(', '));

    // 2. Tab through the page until focus cycles.
    await page.evaluate(() => {
      document.activeElement?.blur?.();
      window.focus();
    });
    const describe = () =>
      page.evaluate(() => {
        let e = document.activeElement;
        const path = [];
        while (e) {
          path.push(e);
          if (!e.shadowRoot?.activeElement) break;
          e = e.shadowRoot.activeElement;
        }
        const el = path.at(-1);
        if (!el || el === document.body) return null;
        // A stable id per element: the cycle closes when a stop comes round again.
        el.__tabId ??= globalThis.__tabIds = (globalThis.__tabIds ?? 0) + 1;
        const host = path.length > 1 ? path.at(-2).localName : '';
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50);
        // The chart (or other part of the tab) the stop belongs to: the element in <usage-analytics>'s shadow root.
        const owner = path[0].localName === 'usage-analytics' && path.length > 2 ? path[1].localName : path.length > 1 ? path[0].localName : 'page';
        return {
          id: el.__tabId,
          owner,
          desc: `${host ? `${host} › ` : ''}${el.localName}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : el.getAttribute('class') ? `.${el.getAttribute('class').split(' ')[0]}` : ''} "${name}"`,
        };
      });
    const stops = [];
    const seen = new Set();
    for (let i = 0; i < 600; i++) {
      await page.keyboard.press('Tab');
      const s = await describe();
      if (!s) {
        if (stops.length) break; // left the document (to the browser UI): the cycle closed
        continue;
      }
      if (seen.has(s.id)) break;
      seen.add(s.id);
      stops.push(s);
    }
    results.tabStops = stops.length;
    if (values.list) stops.forEach((s, i) => console.log(`  ${String(i + 1).padStart(3)} ${s.desc}`));
    check(`Tab stops on the page ≤ ${MAX_TAB_STOPS}`, stops.length > 0 && stops.length <= MAX_TAB_STOPS, `${stops.length} stops`);
    const perOwner = new Map();
    for (const s of stops) perOwner.set(s.owner, (perOwner.get(s.owner) ?? 0) + 1);
    const charts = [...perOwner].filter(([owner]) => owner.startsWith('usage-') && owner !== 'usage-analytics');
    results.perChart = Object.fromEntries(charts);
    const over = charts.filter(([, n]) => n > MAX_PER_CHART);
    check(
      `every chart (and the filter bar, the KPI cards) is at most ${MAX_PER_CHART} Tab stops (its lists are one stop each)`,
      charts.length >= 10 && over.length === 0,
      over.length ? over.map(([o, n]) => `${o}: ${n}`).join(', ') : `${charts.length} charts, most ${Math.max(...charts.map(([, n]) => n))}`,
    );
  } finally {
    await browser.close();
    server.stop();
  }
}

try {
  await main();
} catch (e) {
  results.failed++;
  console.log(`✗ ${e.message}`);
}
mkdirSync(join(root, '.data'), { recursive: true });
writeFileSync(join(root, '.data/demo-a11y-results.json'), JSON.stringify(results, null, 2));
console.log(`\ndemo a11y: ${results.passed} passed, ${results.failed} failed (tab stops: ${results.tabStops})`);
process.exitCode = results.failed ? 1 : 0;
