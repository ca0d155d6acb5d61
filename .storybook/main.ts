import type { StorybookConfig } from '@storybook/web-components-vite';

// The live stories read the small test snapshot (stories/support/data.ts). `pnpm storybook` and
// `pnpm build-storybook` make it first (bash scripts/test-snapshot.sh) together with the Custom
// Elements Manifest the docs pages are built from (pnpm cem); without them the build fails.
const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  // Docs pages (autodocs, tagged in preview.ts) with the manifest's tables.
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true },
  staticDirs: [
    // DuckDB-WASM bundles (wasm + worker scripts) for <usage-provider bundle-base="duckdb/">.
    { from: '../node_modules/@duckdb/duckdb-wasm/dist', to: '/duckdb' },
    { from: '../.data/test-snapshot', to: '/snapshot' },
  ],
};

export default config;
