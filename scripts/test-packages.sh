#!/usr/bin/env bash
# Packages as a new user gets them: builds them (scripts/build-packages.mjs), packs them with
# `pnpm pack` into .data/consumers/tarballs, installs the tarballs with npm into fresh Vite 7,
# Vite 8, webpack 5 and React (Vite) apps under .data/consumers/, builds and type-checks each and
# opens it in headless Chromium against .data/test-snapshot (made by scripts/test-snapshot.sh).
# Also checks issue 11's budget: importing one chart (api-calls) loads at most 60 kB gzip more than
# the provider alone (entry + static imports, from Vite's build manifest; see CHART_BUDGET).
# Ends with "packages: N passed, M failed"; results in .data/packages-results.json.
# APPS=vite7,webpack bash scripts/test-packages.sh runs a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .data/test-snapshot/manifest.json ] || bash scripts/test-snapshot.sh
rm -f .data/packages-results.json
node scripts/build-packages.mjs --pack .data/consumers/tarballs
node scripts/test-packages.mjs .data/consumers/tarballs
