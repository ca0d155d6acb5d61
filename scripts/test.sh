#!/usr/bin/env bash
# One command for every test: bootstrap, type-check, lint and format check, generate the test snapshot, Node tests
# (vitest: exporter, queries, data-client, forecast, actions, actions-service on PGlite and a real PostgreSQL server) and browser tests (web-test-runner in headless
# Chromium), then the packages as a new user installs them (scripts/test-packages.sh). Ends with one line
# "N passed, M failed" over all three.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
mkdir -p .data
echo "› type-check"
pnpm run --silent typecheck
echo "› lint (ESLint with typescript-eslint, lit and wc rules; Prettier --check)"
pnpm run --silent lint
echo "› test snapshot (.data/test-snapshot)"
bash scripts/test-snapshot.sh
echo "› PostgreSQL server for the actions service tests (Debian's postgresql, .data/pg)"
TEST_DATABASE_URL="$(bash scripts/postgres.sh | tail -n 1)"
export TEST_DATABASE_URL REQUIRE_POSTGRES=1
trap 'bash scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT
echo "› node tests (vitest)"
node_rc=0
pnpm run --silent test:node || node_rc=$?
echo "› browser tests (web-test-runner, chromium)"
browser_rc=0
pnpm run --silent test:browser 2>&1 | tee .data/wtr.log || browser_rc=$?
[ "${PIPESTATUS[0]:-0}" = 0 ] || browser_rc=1
echo "› one-script embed (build, first-paint budget, compression, examples/plain-html in chromium)"
embed_rc=0
node scripts/embed-test.mjs 2>&1 | tee .data/embed.log || embed_rc=$?
[ "${PIPESTATUS[0]:-0}" = 0 ] || embed_rc=1
# --- demo accessibility (issue 11): the demo the embed test just built; axe-core + Tab-stop count in headless Chromium ---
echo "› demo accessibility (scripts/test-demo-a11y.mjs: axe-core, Tab stops)"
a11y_rc=0
rm -f .data/demo-a11y-results.json
build_flag=--no-build; [ -f examples/demo/dist/index.html ] || build_flag=
node scripts/test-demo-a11y.mjs $build_flag || a11y_rc=$?
# --- end demo accessibility ---
echo "› packages (pnpm pack tarballs in fresh Vite 7, Vite 8, webpack 5 and React apps; size budget)"
packages_rc=0
bash scripts/test-packages.sh || packages_rc=$?
node - <<'JS'
const fs = require('node:fs');
let passed = 0, failed = 0;
try {
  const v = JSON.parse(fs.readFileSync('.data/vitest-results.json', 'utf8'));
  passed += v.numPassedTests; failed += v.numFailedTests + (v.numFailedTestSuites ?? 0);
} catch { failed += 1; console.log('vitest wrote no results'); }
const lines = fs.readFileSync('.data/wtr.log', 'utf8').split('\n').filter((l) => / \d+ passed, \d+ failed/.test(l));
const last = lines.at(-1);
if (last) { const [, p, f] = last.match(/(\d+) passed, (\d+) failed/); passed += +p; failed += +f; }
else { failed += 1; console.log('web-test-runner reported no tests'); }
try {
  const a = JSON.parse(fs.readFileSync('.data/demo-a11y-results.json', 'utf8'));
  passed += a.passed; failed += a.failed;
} catch { failed += 1; console.log('the demo accessibility test wrote no results'); }
const embed = fs.existsSync('.data/embed.log') && fs.readFileSync('.data/embed.log', 'utf8').match(/^embed: (\d+) passed, (\d+) failed$/m);
if (embed) { passed += +embed[1]; failed += +embed[2]; }
else { failed += 1; console.log('the embed test reported nothing'); }
try {
  const p = JSON.parse(fs.readFileSync('.data/packages-results.json', 'utf8'));
  passed += p.passed; failed += p.failed;
} catch { failed += 1; console.log('the packages test wrote no results'); }
console.log(`\ntests: ${passed} passed, ${failed} failed`);
JS
[ "$node_rc" = 0 ] && [ "$browser_rc" = 0 ] && [ "$embed_rc" = 0 ] && [ "$a11y_rc" = 0 ] && [ "$packages_rc" = 0 ]
