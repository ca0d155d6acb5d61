// Bundles the demo portal (examples/demo) into examples/demo/dist with the DuckDB-WASM worker and
// wasm files beside it, so `scripts/serve.mjs` can serve everything from one folder.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import json from '@rollup/plugin-json';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const require = createRequire(import.meta.url);
const duckdbDist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm', { paths: ['packages/data-client'] }));
// EH and MVP builds, and the threaded COI build the data-client picks when the page is cross-origin
// isolated (COOP/COEP: `COI=1 pnpm demo`); a page that is not never fetches the COI files.
const DUCKDB_FILES = [
  'duckdb-eh.wasm',
  'duckdb-mvp.wasm',
  'duckdb-browser-eh.worker.js',
  'duckdb-browser-mvp.worker.js',
  'duckdb-coi.wasm',
  'duckdb-browser-coi.worker.js',
  'duckdb-browser-coi.pthread.worker.js',
];

/** Emits static files (the page and DuckDB's bundle) next to the JS. */
function copyStatic(files) {
  return {
    name: 'copy-static',
    generateBundle() {
      for (const [from, to] of files) this.emitFile({ type: 'asset', fileName: to, source: readFileSync(from) });
    },
  };
}

/** One static site: a TS entry bundled with its HTML page (if any) and DuckDB's bundle files beside it. */
function site({ input, name, outDir, html, preserveEntrySignatures }) {
  return {
    input: { [name]: input },
    preserveEntrySignatures,
    output: { dir: outDir, format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'], extensions: ['.ts', '.mjs', '.js'] }),
      typescript({
        tsconfig: 'tsconfig.json',
        include: ['packages/*/src/**/*.ts', 'examples/*/src/**/*.ts', 'scripts/bench/*.ts'],
        compilerOptions: { declaration: false, noEmit: false, outDir, sourceMap: true },
      }),
      // JSON modules (`import x from './x.json' with { type: 'json' }`): the geo map's bundled world outlines.
      json({ preferConst: true }),
      copyStatic([...(html ? [[html, 'index.html']] : []), ...DUCKDB_FILES.map((f) => [join(duckdbDist, f), `duckdb/${f}`])]),
      // Minified: the page parses ~3× less script before its first paint (MINIFY=0 to read the output).
      process.env.MINIFY === '0' ? null : terser({ ecma: 2022, module: true, compress: { passes: 2 } }),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
      if (warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
  };
}

const SITES = {
  demo: () => site({ input: 'examples/demo/src/main.ts', name: 'main', outDir: 'examples/demo/dist', html: 'examples/demo/index.html' }),
  bench: () => site({ input: 'scripts/bench/page.ts', name: 'bench', outDir: 'scripts/bench/dist', html: 'scripts/bench/index.html' }),
  // The one-script embed, a CDN-style folder: usage-analytics.js + chunks/ + duckdb/, servable from
  // any static path (it finds duckdb/ next to itself). Inside the elements package, as Shoelace
  // ships cdn/, so a published package is usable straight from a CDN; gitignored (build output).
  // 'allow-extension': the entry chunk may export what the lazy chunks share with it, instead of
  // becoming a facade over chunks/ (where `import.meta.url` would no longer be the script's folder).
  embed: () =>
    site({ input: 'packages/elements/src/embed.ts', name: 'usage-analytics', outDir: 'packages/elements/cdn', preserveEntrySignatures: 'allow-extension' }),
};

// `SITE=demo pnpm build` builds one site (`SITE=demo,embed` several); default all.
export default (process.env.SITE ? process.env.SITE.split(',') : Object.keys(SITES)).map((name) => SITES[name]());
