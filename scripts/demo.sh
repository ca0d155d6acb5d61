#!/usr/bin/env bash
# One command for the demo: bootstrap, generate demo data (REQUESTS, default 1M over 90 days),
# export the snapshot, build the portal, start the actions service and serve it all on http://localhost:${PORT:-8080}/.
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

# The actions service (PGlite in .data/actions-db, kept between runs) on the demo's snapshot; the demo
# server proxies /actions/ to it and signs the demo's tokens with a secret made once per checkout.
[ -s .data/demo-token-secret ] || node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))' > .data/demo-token-secret
export DEMO_TOKEN_SECRET="$(cat .data/demo-token-secret)"
ACTIONS_PORT=${ACTIONS_PORT:-8787}
echo "› starting the actions service on 127.0.0.1:$ACTIONS_PORT (.data/actions-db)"
SNAPSHOT_DIR=.data/demo PGLITE_DIR=.data/actions-db TOKEN_SECRET="$DEMO_TOKEN_SECRET" PORT="$ACTIONS_PORT" LOG=0 \
  node --import tsx packages/actions-service/src/main.ts &
ACTIONS_PID=$!
trap 'kill $ACTIONS_PID 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$ACTIONS_PORT/health" && break
  kill -0 $ACTIONS_PID 2>/dev/null || { echo "the actions service did not start (see above)" >&2; exit 1; }
  sleep 1
done
node scripts/serve.mjs --dist examples/demo/dist --snapshots .data/demo --port "${PORT:-8080}" --actions "http://127.0.0.1:$ACTIONS_PORT"
