// Builds the installable packages (forecast, queries, actions, data-client, elements) into each
// package's dist/: one ESM file per source module (so `@usage-analytics/elements/api-calls.js`
// pulls in that chart and its parts only) plus a .d.ts beside it. TypeScript itself compiles
// them, with the repo's settings: Lit's decorators are lowered (experimentalDecorators,
// useDefineForClassFields: false) so consumers' bundlers never see one, and the .d.ts carry no
// decorators (a consumer's tsc needs no special setting).
//
// In the workspace, `exports` point at src/*.ts (tests, demo, Storybook, tsx CLIs read sources);
// `publishConfig.exports` points at dist and `pnpm pack` swaps it in. Packages are built in
// dependency order and each reads its siblings' dist/*.d.ts (tsconfig `paths`), so a build
// never recompiles another package's sources and the output keeps the bare specifiers.
//
// node scripts/build-packages.mjs [--pack <dir>]   (--pack also writes one tarball per package)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Published packages, dependencies first. */
export const PACKAGES = ['forecast', 'queries', 'actions', 'data-client', 'elements'];

const tsc = join(root, 'node_modules/typescript/bin/tsc');

function build(name) {
  const dir = join(root, 'packages', name);
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const paths = {};
  for (const other of PACKAGES) {
    if (other === name) continue;
    const pkg = JSON.parse(readFileSync(join(root, 'packages', other, 'package.json'), 'utf8'));
    for (const [sub, target] of Object.entries(pkg.publishConfig?.exports ?? {})) {
      if (typeof target !== 'object' || !target.types) continue;
      paths[join(pkg.name, sub)] = [join('..', other, target.types)];
    }
  }
  // A generated tsconfig (under .data/, never committed) extending the repo's.
  const config = {
    extends: join(root, 'tsconfig.json'),
    compilerOptions: {
      rootDir: join(dir, 'src'),
      outDir: join(dir, 'dist'),
      noEmit: false,
      declaration: true,
      declarationMap: false,
      sourceMap: false,
      importHelpers: true, // one shared tslib __decorate instead of a copy per element
      removeComments: false,
      baseUrl: dir,
      paths,
      types: name === 'data-client' ? ['node'] : [],
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    },
    include: [join(dir, 'src/**/*.ts')],
  };
  mkdirSync(join(root, '.data/build-packages'), { recursive: true });
  const file = join(root, '.data/build-packages', `tsconfig.${name}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  execFileSync(process.execPath, [tsc, '-p', file], { stdio: 'inherit', cwd: root });
  // Hand-written ambient declarations (e.g. d3-geo-projection.d.ts) are not emitted by tsc.
  const ambient = readdirSync(join(dir, 'src'), { recursive: true }).filter((f) => f.endsWith('.d.ts'));
  for (const f of ambient) {
    const to = join(dir, 'dist', f);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(dir, 'src', f), to);
  }
  keepSideEffectImportsInTypes(join(dir, 'dist'));
  copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  // The Custom Elements Manifest ("customElements" in package.json), from the JSDoc (pnpm cem).
  if (name === 'elements') execFileSync('pnpm', ['--silent', 'cem'], { stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
}

/**
 * tsc drops side-effect imports (`import '../../events/usage-drilldown.js'`) from the .d.ts, and
 * with them the `declare global` blocks of those modules (HTMLElementEventMap,
 * HTMLElementTagNameMap). A consumer importing one element then has untyped events. Copy each
 * relative side-effect import of a .js into its .d.ts.
 */
function keepSideEffectImportsInTypes(distDir) {
  for (const f of readdirSync(distDir, { recursive: true })) {
    if (!f.endsWith('.js')) continue;
    const js = readFileSync(join(distDir, f), 'utf8');
    const dts = join(distDir, f.replace(/\.js$/, '.d.ts'));
    if (!existsSync(dts)) continue;
    const imports = [...js.matchAll(/^import '(\.[^']+\.js)';$/gm)]
      .map((m) => m[1])
      .filter((spec) => existsSync(join(distDir, dirname(f), spec.replace(/\.js$/, '.d.ts'))));
    if (imports.length === 0) continue;
    const types = readFileSync(dts, 'utf8');
    writeFileSync(dts, imports.map((spec) => `import '${spec}';\n`).join('') + types);
  }
}

const packIdx = process.argv.indexOf('--pack');
const packDir = packIdx > 0 ? resolve(process.argv[packIdx + 1]) : undefined;
for (const name of PACKAGES) {
  process.stdout.write(`build ${name}\n`);
  build(name);
}
if (packDir) {
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  for (const name of PACKAGES) {
    execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: join(root, 'packages', name), stdio: ['ignore', 'ignore', 'inherit'] });
  }
  process.stdout.write(`packed into ${packDir}\n`);
}
if (!existsSync(join(root, 'packages/elements/dist/index.js'))) throw new Error('elements did not build');
