/**
 * What a host page sees when the embed's files or its snapshot are not where they should be, against
 * real servers: the test server (a folder with no engine files, a flaky server answering 404) and a
 * second origin (scripts/wtr-middleware.mjs `secondOriginPlugin`: another port, with and without
 * CORS headers). Each failure must end in the provider's error UI within seconds (a hang guard:
 * "Starting the query engine…" must not stay forever) and say what to fix; the same files on a
 * second origin that sends CORS headers load (the engine's worker then starts from a Blob URL).
 */
import { expect, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import { sql } from '@usage-analytics/queries';

const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';
const SNAPSHOT = '/.data/test-snapshot/manifest.json';
/** The hang guard: generous, as the point is "not forever", not speed. */
const WITHIN_MS = 10_000;

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const shadow = (el: UsageProvider, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);

let second: { url: string; closed: string };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function mount(src: string, bundleBase: string): UsageProvider {
  const el = document.createElement('usage-provider');
  el.src = src;
  el.bundleBase = bundleBase; // default stall and fetch timeouts (30 s, 10 min): the errors must not wait for them
  document.body.append(el);
  return el;
}

/** Waits for the provider to settle and returns how long it took since `t0`. */
async function settled(el: UsageProvider, t0: number): Promise<number> {
  await waitUntil(() => el.loadStatus.state === 'ready' || el.loadStatus.state === 'error', 'provider did not settle within 30 s', {
    timeout: 30_000,
    interval: 50,
  });
  return performance.now() - t0;
}

async function expectError(el: UsageProvider, code: string, message: RegExp): Promise<void> {
  await el.updateComplete;
  expect(el.loadStatus.state, 'state').to.equal('error');
  expect(el.loadStatus.error?.code, el.loadStatus.error?.message).to.equal(code);
  expect(text(shadow(el, '[part="error-message"]'))).to.match(message);
  expect(shadow(el, '[part="error"]')!.getAttribute('role')).to.equal('alert');
  expect(text(shadow(el, '[part="status"]')), 'no "Starting the query engine…" left behind').to.equal('');
}

describe('embed failures end in a clear error within seconds', () => {
  before(async () => {
    second = (await (await fetch('/__second-origin')).json()) as typeof second;
    expect(new URL(second.url).origin).not.to.equal(location.origin);
  });
  afterEach(() => document.querySelectorAll('usage-provider').forEach((el) => el.remove()));

  it('no engine files at bundle-base: "not found", naming the folder and bundle-base', async () => {
    const t0 = performance.now();
    const el = mount(SNAPSHOT, '/packages/'); // served, but holds no duckdb files
    expect(await settled(el, t0)).to.be.below(WITHIN_MS);
    const base = `${location.origin}/packages/`;
    await expectError(
      el,
      'engine_failed',
      new RegExp(
        `^the query engine could not start: its files were not found at ${escape(base)} \\(duckdb-browser-(eh|mvp)\\.worker\\.js answers HTTP 404\\); set bundle-base to the folder holding duckdb-\\*\\.wasm and duckdb-browser-\\*\\.worker\\.js`,
      ),
    );
  });

  it('the worker is there but the wasm is missing (404): "not found" naming the wasm', async () => {
    const id = `e${Date.now()}`;
    await fetch(`/__flaky/${id}/set?file=.wasm&mode=404`);
    const t0 = performance.now();
    const el = mount(SNAPSHOT, `/__flaky/${id}/duckdb/`);
    expect(await settled(el, t0)).to.be.below(WITHIN_MS);
    await expectError(
      el,
      'engine_failed',
      /its files were not found at http:.+\/__flaky\/e\d+\/duckdb\/ \(duckdb-(eh|mvp)\.wasm answers HTTP 404\); set bundle-base/,
    );
  });

  it('a snapshot on another origin without CORS headers: names CORS, both origins and the header to send', async () => {
    const t0 = performance.now();
    const el = mount(`${second.url}/nocors/snapshot/manifest.json`, BUNDLES);
    expect(await settled(el, t0)).to.be.below(WITHIN_MS);
    await expectError(
      el,
      'fetch_failed',
      new RegExp(
        `Failed to fetch — blocked by CORS: the snapshot is on another origin \\(${escape(second.url)}\\) than this page \\(${escape(location.origin)}\\), and that server answered without allowing this page; it must send the header "Access-Control-Allow-Origin: ${escape(location.origin)}" \\(or "\\*"\\) on the snapshot's files$`,
      ),
    );
  });

  it('a snapshot on another origin that does not answer at all: the network, not a certain CORS block', async () => {
    const t0 = performance.now();
    const el = mount(`${second.closed}/snapshot/manifest.json`, BUNDLES);
    expect(await settled(el, t0)).to.be.below(WITHIN_MS);
    await expectError(el, 'fetch_failed', /Failed to fetch — the network failed or the server refused the connection; the snapshot is on another origin/);
    expect(el.loadStatus.error?.message).not.to.match(/blocked by CORS/);
  });

  it('a snapshot that is missing (404) on a CORS host stays an HTTP 404, not a CORS error', async () => {
    const t0 = performance.now();
    const el = mount(`${second.url}/cors/snapshot/no-such-manifest.json`, BUNDLES);
    expect(await settled(el, t0)).to.be.below(WITHIN_MS);
    await expectError(el, 'fetch_failed', /→ HTTP 404$/);
    expect(el.loadStatus.error?.message).not.to.match(/CORS/);
  });

  it('engine files on another origin without CORS: engine_failed naming CORS, within seconds', async () => {
    const t0 = performance.now();
    const el = mount(SNAPSHOT, `${second.url}/nocors/duckdb/`);
    expect(await settled(el, t0)).to.be.below(WITHIN_MS);
    await expectError(
      el,
      'engine_failed',
      /^the query engine could not start: duckdb-.+ could not be fetched \(network, or CORS: .*Access-Control-Allow-Origin\)/,
    );
  });

  it('snapshot and engine files on another origin that sends CORS headers load (worker started from a Blob)', async () => {
    const t0 = performance.now();
    const el = mount(`${second.url}/cors/snapshot/manifest.json`, `${second.url}/cors/duckdb/`);
    await settled(el, t0);
    expect(el.loadStatus.state, el.loadStatus.error?.message).to.equal('ready');
    const [row] = await el.dataClient!.sql(sql`SELECT count(*) AS n FROM requests`);
    expect(row.n).to.equal(el.dataClient!.manifest.tables.requests.rows);
  });
});
