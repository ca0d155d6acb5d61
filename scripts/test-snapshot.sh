#!/usr/bin/env bash
# The small real snapshot the browser tests and stories read (deterministic: fixed seed and end).
# Regenerated whenever the exporter or the schema changes (a stamp of their sources).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.data/test-snapshot
stamp=$(cat packages/exporter/src/*.ts packages/exporter/src/**/*.ts packages/queries/src/schema.ts 2>/dev/null | sha256sum | cut -c1-16)
if [ -f "$out/manifest.json" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "  up to date ($out)"; exit 0
fi
rm -rf "$out"
pnpm --silent exporter demo --requests 20000 --days 120 --seed 7 --end 2026-11-01T00:00:00Z --out "$out"
echo "$stamp" > "$out/.stamp"
