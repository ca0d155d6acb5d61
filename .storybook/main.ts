import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// The live stories read the small test snapshot; generate it first with
// pnpm exporter demo --requests 20000 --days 120 --seed 7 --end 2026-11-01T00:00:00Z --out .data/test-snapshot
const snapshotDir = here('../.data/test-snapshot');

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  core: { disableTelemetry: true },
  staticDirs: [
    // DuckDB-WASM bundles (wasm + worker scripts) for <usage-provider bundle-base="duckdb/">.
    { from: '../node_modules/@duckdb/duckdb-wasm/dist', to: '/duckdb' },
    ...(existsSync(snapshotDir) ? [{ from: '../.data/test-snapshot', to: '/snapshot' }] : []),
  ],
};

export default config;
