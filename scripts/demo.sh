#!/usr/bin/env bash
# One command for the demo: bootstrap, generate demo data (REQUESTS, default 1M over 90 days),
# export the snapshot, build the portal and serve it on http://localhost:${PORT:-8080}/.
# The demo's names are fake, so they are published (--publish-pii user_name); emails stay private.
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_CHROMIUM=1 bash scripts/bootstrap.sh
REQUESTS=${REQUESTS:-1000000}
DAYS=${DAYS:-90}
# A snapshot from before the published/private split (no private/ folder) still publishes emails: regenerate it.
if [ ! -f .data/demo/manifest.json ] || ! compgen -G '.data/demo/*/private/manifest.json' >/dev/null || [ "${REGENERATE:-0}" = 1 ]; then
  echo "› generating $REQUESTS demo requests over $DAYS days → .data/demo"
  pnpm --silent exporter demo --requests "$REQUESTS" --days "$DAYS" --seed 42 --out .data/demo --publish-pii user_name
fi
echo "› building the demo portal"
SITE=demo pnpm --silent build
exec node scripts/serve.mjs --dist examples/demo/dist --snapshots .data/demo --port "${PORT:-8080}"
