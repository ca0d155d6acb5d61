import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { TABLE_NAMES, defaultFilters, sql } from '@usage-analytics/queries';
import { HttpSource, fetchAndHash, sha256Hex, type LoadProgress, type SnapshotSource, type WasmBrowserConnector } from '@usage-analytics/data-client';
import '../src/index.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageLoadProgressEvent } from '../src/events/usage-load-progress.js';
import { FakeConnector, fakeSnapshot } from './helpers/fakes.js';

const SNAPSHOT = '/.data/test-snapshot/manifest.json';
/** Served by scripts/wtr-middleware.mjs from inside the snapshot folder: the real manifest with wrong sha256s. */
const TAMPERED_MANIFEST = '/.data/test-snapshot/tampered-manifest.json';
const MISSING = '/packages/elements/test/fixtures/does-not-exist/manifest.json';
const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const shadow = (el: UsageProvider, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);

/** Creates a provider, listens for progress before it connects, and returns both. */
function mount(setup: (el: UsageProvider) => void): { el: UsageProvider; events: LoadProgress[] } {
  const el = document.createElement('usage-provider');
  const events: LoadProgress[] = [];
  el.addEventListener('usage-load-progress', (e: UsageLoadProgressEvent) => events.push(e.detail));
  setup(el);
  el.append(Object.assign(document.createElement('p'), { textContent: 'dashboard' }));
  document.body.append(el);
  return { el, events };
}

const settled = (el: UsageProvider) =>
  waitUntil(() => el.loadStatus.state === 'ready' || el.loadStatus.state === 'error', 'provider did not settle', { timeout: 60_000, interval: 50 });

describe('<usage-provider>', () => {
  afterEach(() => document.querySelectorAll('usage-provider').forEach((el) => el.remove()));

  it('is accessible', async () => {
    const { source } = await fakeSnapshot();
    const el = await fixture<UsageProvider>(html`<usage-provider .source=${source} .connector=${new FakeConnector()}><p>dashboard</p></usage-provider>`);
    await settled(el);
    await expect(el).to.be.accessible();
  });

  it('emits usage-load-progress from manifest through each table to ready (unit, fake engine)', async () => {
    const { source } = await fakeSnapshot();
    const connector = new FakeConnector();
    const { el, events } = mount((p) => {
      p.source = source;
      p.connector = connector;
    });
    await settled(el);
    const total = TABLE_NAMES.length;
    // 'fetch' as soon as the client exists (charts can paint precomputed rows), then each table.
    expect(events.map((e) => e.phase)).to.deep.equal(['manifest', 'fetch', ...TABLE_NAMES.map(() => 'insert'), 'ready']);
    expect(events[0]).to.deep.equal({ phase: 'manifest', done: 0, total });
    expect(events[1]).to.deep.equal({ phase: 'fetch', done: 0, total });
    expect(events.slice(2, -1).map((e) => [e.table, e.done])).to.deep.equal(TABLE_NAMES.map((t, i) => [t, i]));
    expect(events.at(-1)).to.deep.equal({ phase: 'ready', done: total, total });
    expect(connector.inserted).to.deep.equal([...TABLE_NAMES]);
    expect(el.loadStatus.state).to.equal('ready');
    expect(el.dataClient?.snapshotId).to.equal('fake-1');
  });

  it('progress events bubble and cross shadow roots', async () => {
    const { source } = await fakeSnapshot();
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    document.body.append(host);
    try {
      const el = document.createElement('usage-provider');
      el.source = source;
      el.connector = new FakeConnector();
      const seen = oneEvent(document, 'usage-load-progress');
      root.append(el);
      const ev = (await seen) as UsageLoadProgressEvent;
      expect(ev.detail.phase).to.equal('manifest');
      expect(ev.composed && ev.bubbles).to.be.true;
    } finally {
      host.remove();
    }
  });

  it('shows the table being loaded and tables done while loading', async () => {
    const { source } = await fakeSnapshot();
    const connector = new FakeConnector();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    connector.gate = () => (connector.inserted.length === 2 ? held : Promise.resolve());
    const { el } = mount((p) => {
      p.source = source;
      p.connector = connector;
    });
    await waitUntil(() => el.loadStatus.progress?.table === 'users', 'did not reach the third table');
    await el.updateComplete;
    const status = shadow(el, '[part="status"]')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(text(status)).to.equal(`Loading table “users” (3 of ${TABLE_NAMES.length})…`);
    const bar = shadow(el, '[part="progress"]') as HTMLProgressElement;
    expect([bar.value, bar.max]).to.deep.equal([2, TABLE_NAMES.length]);
    expect(shadow(el, '[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    release();
    await settled(el);
    await el.updateComplete;
    expect(shadow(el, '[part="progress"]')).to.equal(null);
    expect(shadow(el, '[part="base"]')!.getAttribute('aria-busy')).to.equal('false');
  });

  it('keeps its light-DOM content in the default slot', async () => {
    const { source } = await fakeSnapshot();
    const { el } = mount((p) => {
      p.source = source;
      p.connector = new FakeConnector();
    });
    await settled(el);
    const slot = shadow(el, 'slot') as HTMLSlotElement;
    expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal(['dashboard']);
  });

  it('shows a checksum error with its code (tampered bytes, custom source) and retries', async () => {
    const { source } = await fakeSnapshot({ tamper: 'users' });
    const { el } = mount((p) => {
      p.source = source;
      p.connector = new FakeConnector();
    });
    await settled(el);
    await el.updateComplete;
    expect(el.loadStatus.error?.code).to.equal('checksum_mismatch');
    expect(el.dataClient).to.equal(undefined);
    const panel = shadow(el, '[part="error"]')!;
    expect(panel.getAttribute('role')).to.equal('alert');
    expect(text(shadow(el, '[part="error-message"]'))).to.match(/^checksum mismatch for users\.arrows: expected [0-9a-f]{12}…, got [0-9a-f]{12}…$/);
    expect(text(shadow(el, '[part="error-code"]'))).to.equal('checksum_mismatch');
    await expect(el).to.be.accessible();

    const reads = source.reads.length;
    shadow(el, '[part="retry-button"]')!.click();
    await waitUntil(() => source.reads.length > reads, 'retry did not reopen the snapshot');
    await settled(el);
    expect(el.loadStatus.error?.code).to.equal('checksum_mismatch');
  });

  it('renders hostile strings from errors as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const { source } = await fakeSnapshot({ fail: () => new Error(hostile) });
    const { el } = mount((p) => {
      p.source = source;
      p.connector = new FakeConnector();
    });
    await settled(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect(text(shadow(el, '[part="error-message"]'))).to.equal(`cannot read manifest fake://snapshot/manifest.json: ${hostile}`);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('applies usage-filter-change from descendants (merge and replace)', async () => {
    const { source } = await fakeSnapshot();
    const el = await fixture<UsageProvider>(html`<usage-provider .source=${source} .connector=${new FakeConnector()}><span></span></usage-provider>`);
    const child = el.querySelector('span')!;
    child.dispatchEvent(new CustomEvent('usage-filter-change', { bubbles: true, composed: true, detail: { filters: { departments: ['dept-a'] } } }));
    expect(el.filters.departments).to.deep.equal(['dept-a']);
    expect(el.filters.environments).to.deep.equal(['production']);
    child.dispatchEvent(
      new CustomEvent('usage-filter-change', { bubbles: true, composed: true, detail: { filters: { environments: ['staging'] }, replace: true } }),
    );
    expect(el.filters).to.deep.equal(defaultFilters({ environments: ['staging'] }));
  });

  it('releases the client it opened when removed', async () => {
    const { source } = await fakeSnapshot();
    const connector = new FakeConnector();
    const { el } = mount((p) => {
      p.source = source;
      p.connector = connector;
    });
    await settled(el);
    el.remove();
    await new Promise((r) => setTimeout(r, 10));
    expect(el.dataClient).to.equal(undefined);
    expect(el.loadStatus.state).to.equal('idle');
    expect(connector.closed, 'a connector given by the caller is not closed').to.be.false;
  });

  describe('over HTTP', () => {
    it('shows fetch_failed for a missing manifest', async () => {
      const { el } = mount((p) => {
        p.src = MISSING;
        p.bundleBase = BUNDLES;
      });
      await settled(el);
      await el.updateComplete;
      expect(el.loadStatus.error?.code).to.equal('fetch_failed');
      expect(text(shadow(el, '[part="error-code"]'))).to.equal('fetch_failed');
      expect(text(shadow(el, '[part="error-message"]'))).to.contain('HTTP 404');
      expect(text(shadow(el, '[part="error-message"]'))).to.contain('does-not-exist/manifest.json');
      expect(shadow(el, '[part="retry-button"]')).not.to.equal(null);
    });

    it('shows checksum_mismatch for a served manifest whose sha256 does not match the real files', async () => {
      const { el } = mount((p) => {
        p.src = TAMPERED_MANIFEST;
        p.bundleBase = BUNDLES;
      });
      await settled(el);
      await el.updateComplete;
      expect(el.loadStatus.error?.code, el.loadStatus.error?.message).to.equal('checksum_mismatch');
      // The tampered manifest's relative paths reached the real files: "got" is the real file's hash.
      // The database file is what the client reads (and checks) when the manifest lists it.
      const real = (await (await fetch(SNAPSHOT)).json()) as { database: { file: string; sha256: string } };
      expect(text(shadow(el, '[part="error-message"]'))).to.equal(
        `checksum mismatch for ${real.database.file}: expected 000000000000…, got ${real.database.sha256.slice(0, 12)}…`,
      );
      expect(text(shadow(el, '[part="error-code"]'))).to.equal('checksum_mismatch');
    });

    it('shows checksum_mismatch when the real database file is tampered with (custom source over HTTP)', async () => {
      const http = new HttpSource(new URL(SNAPSHOT, location.href));
      const tampering: SnapshotSource = {
        location: http.location,
        manifestPath: http.manifestPath,
        async read(path) {
          const bytes = await http.read(path);
          if (path.endsWith('snapshot.duckdb')) bytes[bytes.length >> 1] ^= 0xff;
          return bytes;
        },
      };
      const { el } = mount((p) => {
        p.source = tampering;
        p.bundleBase = BUNDLES;
      });
      await settled(el);
      expect(el.loadStatus.error?.code, el.loadStatus.error?.message).to.equal('checksum_mismatch');
      expect(el.loadStatus.error?.message).to.match(/^checksum mismatch for .+\/snapshot\.duckdb/);
    });

    it('loads the real snapshot into DuckDB-WASM with progress to ready', async () => {
      const { el, events } = mount((p) => {
        p.src = SNAPSHOT;
        p.bundleBase = BUNDLES;
      });
      await settled(el);
      expect(el.loadStatus.error, el.loadStatus.error?.message).to.equal(undefined);
      expect(events.map((e) => e.phase)).to.deep.equal(['manifest', 'fetch', ...TABLE_NAMES.map(() => 'insert'), 'ready']);
      const rows = await el.dataClient!.sql(sql`SELECT count(*) AS n FROM requests`);
      expect(rows[0].n).to.equal(el.dataClient!.manifest.tables.requests.rows);
    });
  });

  it('threads on a page that is not cross-origin isolated: the single-threaded build, views over the database file; the attribute reaches the engine', async () => {
    expect(globalThis.crossOriginIsolated, 'the test page is not isolated').to.not.equal(true);
    const { el } = mount((p) => {
      p.setAttribute('threads', '');
      p.src = SNAPSHOT;
      p.bundleBase = BUNDLES;
    });
    expect(el.threads).to.equal(true);
    await settled(el);
    expect(el.loadStatus.error, el.loadStatus.error?.message).to.equal(undefined);
    const connector = el.dataClient!.connector as WasmBrowserConnector;
    expect(connector.threaded).to.equal(false);
    const [{ t }] = await el.dataClient!.sql(sql`SELECT current_setting('threads') AS t`);
    expect(Number(t)).to.equal(1);
    const [{ kind }] = await el.dataClient!.sql(
      sql`SELECT table_type AS kind FROM information_schema.tables WHERE table_name = 'requests' AND table_catalog = current_database()`,
    );
    expect(kind, 'a view over the attached file (the default off the threaded build)').to.equal('VIEW');
  });

  it('picks up a newer snapshot at the same URL in the background (exporter --watch, FR2.1)', async () => {
    // The real test snapshot, whose manifest reports a new snapshot_id from the 2nd read on.
    const http = new HttpSource(SNAPSHOT);
    let reads = 0;
    const source: SnapshotSource = {
      location: http.location,
      manifestPath: http.manifestPath,
      async read(path) {
        const bytes = await http.read(path);
        if (path !== http.manifestPath || ++reads === 1) return bytes;
        const m = JSON.parse(new TextDecoder().decode(bytes));
        m.snapshot_id = `${m.snapshot_id}-next`;
        return new TextEncoder().encode(JSON.stringify(m));
      },
    };
    const { el } = mount((p) => {
      p.source = source;
      p.bundleBase = BUNDLES;
      p.refreshInterval = 0.2;
    });
    await settled(el);
    expect(el.loadStatus.state).to.equal('ready');
    const first = el.dataClient!.snapshotId;
    const update = await oneEvent(el, 'usage-snapshot-update');
    expect(update.detail.previousSnapshotId).to.equal(first);
    expect(update.detail.snapshotId).to.equal(`${first}-next`);
    expect(el.dataClient!.snapshotId).to.equal(`${first}-next`);
    // The swapped-in client is loaded and answers.
    const [row] = await el.dataClient!.sql(sql`SELECT count(*) AS n FROM requests`);
    expect(Number(row.n)).to.equal(el.dataClient!.manifest.tables.requests.rows);
    el.refreshInterval = 0;
  });
});

describe('HttpSource.readHashed (fetch + SHA-256 in a worker)', () => {
  it('returns the file and the same hash as the main thread computes, and fails like fetch on a 404', async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string; sha256: string }> };
    const url = new URL(manifest.tables.agents.file, new URL(SNAPSHOT, location.href)).href;
    const off = await fetchAndHash(url, {});
    expect(off, 'a worker ran').to.not.equal(undefined);
    const here = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(off!.bytes.length).to.equal(here.length);
    expect(off!.bytes.every((b, i) => b === here[i])).to.equal(true);
    expect(off!.sha256).to.equal(await sha256Hex(here));
    expect(off!.sha256).to.equal(manifest.tables.agents.sha256);

    const source = new HttpSource(SNAPSHOT);
    const viaSource = await source.readHashed(manifest.tables.agents.file);
    expect(viaSource.sha256).to.equal(manifest.tables.agents.sha256);
    let error: Error | undefined;
    await source.readHashed('no-such-table.arrows').catch((e: Error) => (error = e));
    expect(error?.message).to.match(/^GET .*no-such-table\.arrows → HTTP 404$/);
  });
});
