/**
 * The one-script embed's entry (src/embed.ts) and where it tells the engine to look for the DuckDB
 * files: `<script data-usage-base>` when the page has one, else the folder of the script; then
 * setBasePath(); an element's `bundle-base` wins over both. Real provider, real DuckDB-WASM: the
 * folder in use shows in the error when nothing is there, and a right one loads.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { getBundleBase } from '@usage-analytics/data-client';
import type UsageProvider from '../src/components/provider/provider.component.js';

const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';
const SNAPSHOT = '/.data/test-snapshot/manifest.json';

type Embed = typeof import('../src/embed.js');
let embed: Embed;

function mount(bundleBase?: string): UsageProvider {
  const el = document.createElement('usage-provider');
  el.src = SNAPSHOT;
  if (bundleBase) el.bundleBase = bundleBase;
  document.body.append(el);
  return el;
}

const settled = (el: UsageProvider) =>
  waitUntil(() => el.loadStatus.state === 'ready' || el.loadStatus.state === 'error', 'provider did not settle within 10 s', { timeout: 10_000, interval: 50 });

describe('the embed entry: where the engine files are', () => {
  before(async () => {
    // A script tag naming the base, as a host page would write it, before the entry runs.
    const tag = document.createElement('script');
    tag.dataset.usageBase = '/from-tag/';
    document.head.append(tag);
    embed = await import('../src/embed.js');
    tag.remove();
  });
  afterEach(() => document.querySelectorAll('usage-provider').forEach((el) => el.remove()));

  it('<script data-usage-base> sets the base: duckdb/ under it', () => {
    expect(embed.getBasePath()).to.equal(`${location.origin}/from-tag/`);
    expect(getBundleBase().href).to.equal(`${location.origin}/from-tag/duckdb/`);
  });

  it('a provider without bundle-base uses it, and says so when the files are not there', async () => {
    const el = mount();
    await settled(el);
    expect(el.loadStatus.error?.code).to.equal('engine_failed');
    expect(el.loadStatus.error?.message).to.contain(`its files were not found at ${location.origin}/from-tag/duckdb/`);
  });

  it('setBasePath() moves it (relative to the page, a trailing slash added)', async () => {
    embed.setBasePath('/elsewhere');
    expect(embed.getBasePath()).to.equal(`${location.origin}/elsewhere/`);
    expect(getBundleBase().href).to.equal(`${location.origin}/elsewhere/duckdb/`);
    const el = mount();
    await settled(el);
    expect(el.loadStatus.error?.message).to.contain(`its files were not found at ${location.origin}/elsewhere/duckdb/`);
  });

  it('without either, it is the folder of the script (import.meta.url)', () => {
    embed.setBasePath(new URL('../src/', import.meta.url));
    expect(getBundleBase().href).to.equal(new URL('../src/duckdb/', import.meta.url).href);
  });

  it('bundle-base on the element wins and loads', async () => {
    embed.setBasePath('/elsewhere/');
    const el = mount(BUNDLES);
    await waitUntil(() => el.loadStatus.state === 'ready' || el.loadStatus.state === 'error', 'provider did not settle', { timeout: 60_000, interval: 50 });
    expect(el.loadStatus.state, el.loadStatus.error?.message).to.equal('ready');
  });

  it('registers the tab at once and every chart element (lazily)', async () => {
    expect(customElements.get('usage-analytics')).to.not.equal(undefined);
    await embed.chartsReady;
    for (const tag of ['usage-api-calls', 'usage-geo-map', 'usage-time-heatmap', 'usage-dependency-graph'])
      expect(customElements.get(tag), tag).to.not.equal(undefined);
  });
});
