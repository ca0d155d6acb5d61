/**
 * <usage-provider> against a misbehaving real HTTP server (scripts/wtr-middleware.mjs, `/__flaky/`):
 * a manifest that never answers, a table that stalls mid-body or is missing, engine files that are
 * missing or stall, a snapshot on another origin. Each ends in a typed error with a Retry that
 * really re-opens: once the server is fixed, Retry loads the snapshot.
 */
import { expect, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import { sql } from '@usage-analytics/queries';

const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';
const SNAPSHOT = '/.data/test-snapshot/manifest.json';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const shadow = (el: UsageProvider, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);

let scenarios = 0;

/** One scenario of the flaky server: its URLs, a switch per file, and its request log. */
function flaky() {
  const id = `p${Date.now()}-${++scenarios}`;
  return {
    snapshot: `/__flaky/${id}/snapshot/manifest.json`,
    bundles: `/__flaky/${id}/duckdb/`,
    async set(file: string, mode: 'ok' | '404' | 'hang' | 'stall' | 'br' | 'stall-br') {
      const res = await fetch(`/__flaky/${id}/set?file=${encodeURIComponent(file)}&mode=${mode}`);
      if (res.status !== 204) throw new Error(`flaky server: set → ${res.status}`);
    },
    async log(): Promise<{ requested: string[]; abandoned: string[]; encoded: string[] }> {
      return (await fetch(`/__flaky/${id}/log`)).json();
    },
  };
}

function mount(setup: (el: UsageProvider) => void): UsageProvider {
  const el = document.createElement('usage-provider');
  el.stallTimeout = 1;
  setup(el);
  document.body.append(el);
  return el;
}

const settled = (el: UsageProvider, timeout = 30_000) =>
  waitUntil(() => el.loadStatus.state === 'ready' || el.loadStatus.state === 'error', 'provider did not settle', { timeout, interval: 50 });

/** Clicks Retry and waits until the provider has left the error and settled again. */
async function retry(el: UsageProvider): Promise<void> {
  shadow(el, '[part="retry-button"]')!.click();
  await waitUntil(() => el.loadStatus.state !== 'error', 'Retry did not reopen', { timeout: 5_000, interval: 20 });
  await settled(el, 60_000);
}

async function expectError(el: UsageProvider, code: string, message: RegExp): Promise<void> {
  await el.updateComplete;
  expect(el.loadStatus.error?.code, el.loadStatus.error?.message).to.equal(code);
  expect(text(shadow(el, '[part="error-code"]'))).to.equal(code);
  expect(text(shadow(el, '[part="error-message"]'))).to.match(message);
  expect(shadow(el, '[part="error"]')!.getAttribute('role')).to.equal('alert');
  expect(shadow(el, '[part="retry-button"]'), 'a Retry button').not.to.equal(null);
  expect(text(shadow(el, '[part="status"]')), 'no progress line left behind').to.equal('');
}

async function expectLoaded(el: UsageProvider): Promise<void> {
  expect(el.loadStatus.state, el.loadStatus.error?.message).to.equal('ready');
  const [row] = await el.dataClient!.sql(sql`SELECT count(*) AS n FROM requests`);
  expect(row.n).to.equal(el.dataClient!.manifest.tables.requests.rows);
  await el.updateComplete;
  expect(shadow(el, '[part="error"]')).to.equal(null);
}

describe('<usage-provider> on a misbehaving server', () => {
  afterEach(() => document.querySelectorAll('usage-provider').forEach((el) => el.remove()));

  it('a manifest that never answers fails with fetch_timeout after stall-timeout, and Retry loads once it answers', async () => {
    const server = flaky();
    await server.set('manifest.json', 'hang');
    const t0 = performance.now();
    const el = mount((p) => {
      p.src = server.snapshot;
      p.bundleBase = BUNDLES;
    });
    await settled(el);
    expect(performance.now() - t0).to.be.below(5_000);
    await expectError(
      el,
      'fetch_timeout',
      /^cannot read manifest http:.*\/manifest\.json: .*\/manifest\.json: no data for 1 s \(nothing received\); the server or the network stopped sending$/,
    );
    // The server sees the socket close a moment after the client aborts (more so under load).
    await waitUntil(async () => (await server.log()).abandoned.includes('manifest.json'), 'the hanging request was aborted', { timeout: 3_000 });
    await expect(el).to.be.accessible();

    await server.set('manifest.json', 'ok');
    await retry(el);
    await expectLoaded(el);
  });

  it('the database file stalling mid-body (fetched in the hash worker) fails with fetch_timeout naming the file; Retry recovers', async () => {
    const server = flaky();
    await server.set('snapshot.duckdb', 'stall');
    const el = mount((p) => {
      p.src = server.snapshot;
      p.bundleBase = BUNDLES;
    });
    await settled(el);
    await expectError(
      el,
      'fetch_timeout',
      /^cannot read database file .+\/snapshot\.duckdb: http:.+\/snapshot\.duckdb: no data for 1 s \([\d.]+ (?:B|kB|MB) of [\d.]+ (?:kB|MB) received\)/,
    );
    await waitUntil(async () => (await server.log()).abandoned.some((p) => p.endsWith('snapshot.duckdb')), 'the worker aborted the stalled download', {
      timeout: 3_000,
    });

    await server.set('snapshot.duckdb', 'ok');
    await retry(el);
    await expectLoaded(el);
  });

  it("the database file sent brotli-encoded (the exporter's .br, Content-Encoding: br) loads and passes its SHA-256 check; stalled, it reports progress against the manifest's size", async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { database: { bytes: number } };
    const size = `${(manifest.database.bytes / 1e6).toFixed(1)} MB`;
    const server = flaky();
    await server.set('snapshot.duckdb', 'stall-br');
    const el = mount((p) => {
      p.src = server.snapshot;
      p.bundleBase = BUNDLES;
    });
    await settled(el);
    // Received bytes are decoded bytes; the total is the decoded size from the manifest (Content-Length counts compressed bytes).
    await expectError(
      el,
      'fetch_timeout',
      new RegExp(
        `^cannot read database file .+/snapshot\\.duckdb: http:.+/snapshot\\.duckdb: no data for 1 s \\([\\d.]+ (?:B|kB|MB) of ${size.replace('.', '\\.')} received\\)`,
      ),
    );
    expect((await server.log()).encoded.filter((p) => p.endsWith('snapshot.duckdb')).length, 'the stalled file was sent br-encoded').to.be.greaterThan(0);

    await server.set('snapshot.duckdb', 'br');
    const before = (await server.log()).encoded.length;
    await retry(el);
    await expectLoaded(el);
    expect((await server.log()).encoded.length, 'the loaded file was sent br-encoded').to.be.greaterThan(before);
  });

  it('a missing table (the database file not published either: the streams are read) fails with fetch_failed and its HTTP status; Retry recovers', async () => {
    const server = flaky();
    await server.set('snapshot.duckdb', '404');
    await server.set('capacity.arrows', '404');
    const el = mount((p) => {
      p.src = server.snapshot;
      p.bundleBase = BUNDLES;
    });
    await settled(el);
    await expectError(el, 'fetch_failed', /^cannot read table "capacity" \(.+\/capacity\.arrows\): GET http:.+\/capacity\.arrows → HTTP 404$/);
    await server.set('capacity.arrows', 'ok');
    await retry(el);
    await expectLoaded(el);
  });

  it('a wrong bundle-base fails with engine_failed naming the missing file, not "Starting the query engine…" forever', async () => {
    const el = mount((p) => {
      p.src = SNAPSHOT;
      p.bundleBase = '/node_modules/@duckdb/'; // the package's parent: no engine files there
    });
    await settled(el);
    await expectError(
      el,
      'engine_failed',
      /^the query engine could not start: its files were not found at http:.+\/node_modules\/@duckdb\/ \(duckdb-browser-(eh|mvp)\.worker\.js answers HTTP 404\); set bundle-base to the folder holding duckdb-\*\.wasm and duckdb-browser-\*\.worker\.js/,
    );
  });

  it('engine files that come back after a 404 load on Retry (the failed start is not kept)', async () => {
    const server = flaky();
    await server.set('.worker.js', '404');
    const el = mount((p) => {
      p.src = SNAPSHOT;
      p.bundleBase = server.bundles;
    });
    await settled(el);
    await expectError(el, 'engine_failed', /duckdb-browser-(eh|mvp)\.worker\.js answers HTTP 404/);
    await server.set('.worker.js', 'ok');
    await retry(el);
    await expectLoaded(el);
  });

  it('an engine wasm download that stalls fails with fetch_timeout within fetch-timeout', async () => {
    const server = flaky();
    await server.set('.wasm', 'stall');
    const el = mount((p) => {
      p.src = SNAPSHOT;
      p.bundleBase = server.bundles;
      p.fetchTimeout = 4;
    });
    await settled(el, 30_000);
    await expectError(el, 'fetch_timeout', /^the query engine did not start within 4 s while loading http:.+\/duckdb-(eh|mvp)\.wasm \(bundle-base http:.+\)$/);
  });

  it('an engine worker script that never answers fails with fetch_timeout naming it', async () => {
    const server = flaky();
    await server.set('.worker.js', 'hang');
    const el = mount((p) => {
      p.src = SNAPSHOT;
      p.bundleBase = server.bundles;
    });
    await settled(el, 30_000);
    await expectError(
      el,
      'fetch_timeout',
      /^the query engine could not start: duckdb-browser-(eh|mvp)\.worker\.js did not answer within 10 s at http:.+; check bundle-base/,
    );
  });

  it('a snapshot on another origin without CORS says it is blocked by CORS and names the header to send', async () => {
    const other = new URL(SNAPSHOT, location.href);
    other.hostname = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    const el = mount((p) => {
      p.src = other.href;
      p.bundleBase = BUNDLES;
    });
    await settled(el);
    await expectError(
      el,
      'fetch_failed',
      /Failed to fetch — blocked by CORS: the snapshot is on another origin \(.+\) than this page \(.+\), and that server answered without allowing this page; it must send the header "Access-Control-Allow-Origin: .+" \(or "\*"\) on the snapshot's files$/,
    );
  });
});
