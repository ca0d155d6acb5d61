#!/usr/bin/env bash
# One command for the demo: bootstrap, generate demo data (REQUESTS, default 1M over 90 days),
# export the snapshot, build the portal and serve it on http://localhost:${PORT:-8080}/.
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_CHROMIUM=1 bash scripts/bootstrap.sh
REQUESTS=${REQUESTS:-1000000}
DAYS=${DAYS:-90}
if [ ! -f .data/demo/manifest.json ] || [ "${REGENERATE:-0}" = 1 ]; then
  echo "› generating $REQUESTS demo requests over $DAYS days → .data/demo"
  pnpm --silent exporter demo --requests "$REQUESTS" --days "$DAYS" --seed 42 --out .data/demo
fi
echo "› building the demo portal"
SITE=demo pnpm --silent build
exec node scripts/serve.mjs --dist examples/demo/dist --snapshots .data/demo --port "${PORT:-8080}"
