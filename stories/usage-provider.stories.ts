import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, MISSING_SNAPSHOT_URL, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import { TABLE_NAMES, defaultFilters, type Manifest, type TableName } from '../packages/queries/src/index.js';
import type { Connector, SnapshotSource } from '../packages/data-client/src/index.js';

interface Args {
  src: string;
  bundleBase: string;
  theme: 'light' | 'dark' | 'auto' | '';
}

/** `<usage-provider>` around `<usage-kpi-cards>`, built with plain DOM. */
function dashboard(args: Args, configure?: (p: HTMLElementTagNameMap['usage-provider']) => void): HTMLElement {
  const provider = document.createElement('usage-provider');
  if (args.src) provider.src = args.src;
  provider.bundleBase = args.bundleBase;
  if (args.theme) provider.theme = args.theme;
  provider.filters = defaultFilters();
  provider.addEventListener('usage-load-progress', (e) => console.info('usage-load-progress', e.detail));
  provider.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', e.detail));
  configure?.(provider);
  provider.append(document.createElement('usage-kpi-cards'));
  return provider;
}

const meta: Meta<Args> = {
  title: 'Usage/Provider',
  component: 'usage-provider',
  // Relative URLs: Storybook serves .data/test-snapshot at snapshot/ and the DuckDB bundles at duckdb/.
  args: { src: SNAPSHOT_URL, bundleBase: BUNDLE_BASE, theme: '' },
  argTypes: { theme: { control: 'select', options: ['', 'light', 'dark', 'auto'] } },
  parameters: {
    docs: {
      description: {
        component:
          'Opens a snapshot (manifest + Arrow tables) into DuckDB-WASM, shows progress and errors, and hands the client and the shared filters to the elements inside it.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** The real test snapshot through DuckDB-WASM (needs .data/test-snapshot at build time). */
export const LiveSnapshot: Story = { render: (args) => dashboard(args) };

export const MissingManifest: Story = {
  args: { src: MISSING_SNAPSHOT_URL },
  render: (args) => dashboard(args),
};

/** Engine files missing at `bundle-base`: a clear `engine_failed` naming the file, with Retry, instead of "Starting the query engine…" forever. */
export const WrongBundleBase: Story = {
  args: { bundleBase: 'no-such-folder/' },
  render: (args) => dashboard(args),
};

/** A source whose tables arrive slowly, to show the progress line. */
export const SlowLoading: Story = {
  render: (args) =>
    dashboard(args, (p) => {
      p.source = slowSource();
      p.connector = idleConnector();
    }),
};

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => dashboard(args) };

// --- stand-ins for SlowLoading ---------------------------------------------------------------

const enc = new TextEncoder();

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

function slowSource(): SnapshotSource {
  const tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, enc.encode(t)])) as Record<TableName, Uint8Array>;
  return {
    location: 'story://slow/manifest.json',
    manifestPath: 'manifest.json',
    async read(path: string) {
      if (path !== 'manifest.json') {
        await new Promise((r) => setTimeout(r, 1500));
        return tables[path.replace('.arrows', '') as TableName];
      }
      const entries = await Promise.all(
        TABLE_NAMES.map(async (t) => [t, { file: `${t}.arrows`, rows: 0, bytes: tables[t].length, sha256: await sha256(tables[t]) }] as const),
      );
      const manifest: Manifest = {
        format: 'usage-analytics-snapshot',
        format_version: 1,
        snapshot_id: 'story-slow',
        generated_at: '2026-11-01T00:00:00Z',
        source: { kind: 'demo', seed: 1, requests: 0, days: 1 },
        time_range: { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' },
        tables: Object.fromEntries(entries) as Manifest['tables'],
        input_rows: 0,
        quarantine: { rows: 0, file: null, reasons: {} },
      };
      return enc.encode(JSON.stringify(manifest));
    },
  };
}

function idleConnector(): Connector {
  return {
    engine: 'story',
    async query(sql: string) {
      await new Promise((r) => setTimeout(r, 600));
      return /count\(\*\)/i.test(sql) ? [{ n: 0 }] : [];
    },
    async insertArrowStream() {
      await new Promise((r) => setTimeout(r, 600));
    },
    async close() {},
  };
}
