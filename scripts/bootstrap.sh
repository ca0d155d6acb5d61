#!/usr/bin/env bash
# Installs what this project needs on a fresh Debian machine with Node 20: pnpm (through corepack),
# Debian's chromium (browser tests, demo screenshots), then the workspace dependencies.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
export COREPACK_INTEGRITY_KEYS=0   # the registry sends no signatures here (see TOOLCHAIN.md)
export STORYBOOK_DISABLE_TELEMETRY=1

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then echo "Node >= 20.19 is required (found $(node --version))" >&2; exit 1; fi

if ! pnpm --version 2>/dev/null | grep -qx "$PNPM_VERSION"; then
  echo "› enabling pnpm $PNPM_VERSION through corepack"
  corepack enable
  corepack prepare "pnpm@$PNPM_VERSION" --activate
fi

if [ "${SKIP_CHROMIUM:-0}" != 1 ] && ! command -v chromium >/dev/null 2>&1; then
  echo "› installing Debian's chromium"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "› pnpm install"
pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 5
