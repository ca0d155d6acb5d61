// Browser tests for packages/elements in real headless Chromium (Debian's /usr/bin/chromium).
// rootDir is the workspace root so pnpm's symlinked packages and .data/ are served
// (TOOLCHAIN trap 5); DuckDB-WASM bundles are served from /node_modules/@duckdb/duckdb-wasm/dist/.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const rootUrl = new URL('..', import.meta.url); // this file lives in scripts/
const rootDir = fileURLToPath(rootUrl);
const tsconfig = fileURLToPath(new URL('./tsconfig.json', rootUrl));

/** Test fixture: the real test snapshot's manifest with every sha256 wrong (files still real). */
const TAMPERED_MANIFEST = '/packages/elements/test/fixtures/tampered-snapshot/manifest.json';
const SNAPSHOT_DIR = '/.data/test-snapshot/';

async function tamperedManifest(ctx, next) {
  if (ctx.path !== TAMPERED_MANIFEST) return next();
  let manifest;
  try {
    manifest = JSON.parse(await readFile(new URL(`.${SNAPSHOT_DIR}manifest.json`, rootUrl), 'utf8'));
  } catch {
    ctx.status = 404; // no snapshot generated: the test reports it
    return;
  }
  for (const entry of [...Object.values(manifest.tables), manifest.precomputed].filter(Boolean)) {
    entry.file = SNAPSHOT_DIR + entry.file; // absolute, so it resolves from the fixture URL
    entry.sha256 = '0'.repeat(64);
  }
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(manifest);
}

export default {
  rootDir,
  middleware: [tamperedManifest],
  files: ['packages/elements/test/**/*.test.ts'],
  // Package "exports" resolve with the browser condition (@duckdb/duckdb-wasm → duckdb-browser.mjs).
  nodeResolve: { exportConditions: ['browser'], browser: true },
  plugins: [
    // esbuild reads compilerOptions from tsconfig.json: experimentalDecorators and
    // useDefineForClassFields: false, which Lit's decorators need.
    esbuildPlugin({ ts: true, tsconfig }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  concurrency: 1,
  // DuckDB-WASM instantiation takes ~2 s in Chromium; a cold 34 MB wasm fetch more.
  testFramework: { config: { timeout: 60_000 } },
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 600_000,
};
