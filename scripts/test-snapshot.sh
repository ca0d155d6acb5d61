#!/usr/bin/env bash
# The small real snapshot the browser tests and stories read (deterministic: fixed seed and end).
# Regenerated when what shapes it changes (exporter, queries incl. the precomputed default view,
# forecast, data-client's precompute) — a stamp of their sources — or with REGENERATE=1.
# Display names are published (fake, and the tab shows them); emails stay in the private folder.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.data/test-snapshot
stamp=$(find packages/exporter/src packages/queries/src packages/forecast/src packages/data-client/src -name '*.ts' -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
if [ "${REGENERATE:-0}" != 1 ] && [ -f "$out/manifest.json" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "  up to date ($out)"; exit 0
fi
rm -rf "$out"
pnpm --silent exporter demo --requests 20000 --days 120 --seed 7 --end 2026-11-01T00:00:00Z --out "$out" --publish-pii user_name
echo "$stamp" > "$out/.stamp"
