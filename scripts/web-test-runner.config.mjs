// Browser tests for packages/elements in real headless Chromium (Debian's /usr/bin/chromium).
// rootDir is the workspace root so pnpm's symlinked packages and .data/ are served
// (TOOLCHAIN trap 5); DuckDB-WASM bundles are served from /node_modules/@duckdb/duckdb-wasm/dist/.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { actionsMiddleware, actionsServicePlugin } from './wtr-actions.mjs';
import { flakyFiles, secondOriginInfo, secondOriginPlugin, tamperedManifest } from './wtr-middleware.mjs';
import { CHROME_ARGS, CHROMIUM } from './chromium.mjs';

const rootUrl = new URL('..', import.meta.url); // this file lives in scripts/
const rootDir = fileURLToPath(rootUrl);
const tsconfig = fileURLToPath(new URL('./tsconfig.json', rootUrl));

export default {
  rootDir,
  // A tampered manifest inside the test snapshot's folder, and a misbehaving file server (404, hang, stall).
  // /__actions/*: sessions (URL + signed token) for the real actions service, started on first use (scripts/wtr-actions.mjs).
  // /__second-origin: the URL of a second origin (with and without CORS headers) for the cross-origin tests.
  middleware: [tamperedManifest, flakyFiles, actionsMiddleware, secondOriginInfo],
  files: ['packages/elements/test/**/*.test.ts'],
  // Package "exports" resolve with the browser condition (@duckdb/duckdb-wasm → duckdb-browser.mjs).
  nodeResolve: { exportConditions: ['browser'], browser: true },
  plugins: [
    actionsServicePlugin,
    secondOriginPlugin,
    // esbuild reads compilerOptions from tsconfig.json: experimentalDecorators and
    // useDefineForClassFields: false, which Lit's decorators need.
    esbuildPlugin({ ts: true, tsconfig }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROME_ARGS,
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
