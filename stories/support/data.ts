/**
 * Where the live stories find their data. Storybook serves the test snapshot (.data/test-snapshot,
 * made by `bash scripts/test-snapshot.sh`, which `pnpm storybook` and `pnpm build-storybook` run
 * first) at `snapshot/` and DuckDB-WASM's bundles at `duckdb/` (.storybook/main.ts). The browser
 * test of every story (packages/elements/test/stories-a11y.test.ts) runs them under
 * web-test-runner, which serves the same files elsewhere: it calls {@link useDataPaths} before it
 * imports the stories.
 */

/** Folder of the test snapshot (with a trailing slash). */
export let SNAPSHOT_BASE = 'snapshot/';
/** The test snapshot's manifest. */
export let SNAPSHOT_URL = `${SNAPSHOT_BASE}manifest.json`;
/** A manifest URL that answers 404 (the stories of a missing snapshot). */
export let MISSING_SNAPSHOT_URL = `${SNAPSHOT_BASE}does-not-exist/manifest.json`;
/** Folder of DuckDB-WASM's wasm and worker files (with a trailing slash). */
export let BUNDLE_BASE = 'duckdb/';

/** Points the stories at other paths; call it before the story modules are imported (their `args` read these once). */
export function useDataPaths(paths: { snapshotBase?: string; bundleBase?: string }): void {
  for (const [name, value] of Object.entries(paths)) {
    if (value !== undefined && !value.endsWith('/')) throw new Error(`useDataPaths: ${name} must end with "/" (got ${JSON.stringify(value)})`);
  }
  SNAPSHOT_BASE = paths.snapshotBase ?? SNAPSHOT_BASE;
  BUNDLE_BASE = paths.bundleBase ?? BUNDLE_BASE;
  SNAPSHOT_URL = `${SNAPSHOT_BASE}manifest.json`;
  MISSING_SNAPSHOT_URL = `${SNAPSHOT_BASE}does-not-exist/manifest.json`;
}
