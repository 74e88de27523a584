#!/usr/bin/env bash
# Makes a fresh machine ready to build and test the project: Node's package manager pnpm, then
# the workspace's packages. Safe to run again. The local services (etcd, Redis, MariaDB, Kafka)
# are started separately: `pnpm infra:up` (scripts/infra/up.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[bootstrap] %s\n' "$*"; }

require_node() {
  command -v node >/dev/null || { log "ERROR: Node.js >= 20.10 is required"; exit 1; }
  node -e 'const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 20 || (a === 20 && b >= 10) ? 0 : 1)' ||
    { log "ERROR: Node.js >= 20.10 is required, found $(node -v)"; exit 1; }
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

require_node
ensure_pnpm
install_packages
log "ready (pnpm $(pnpm --version), node $(node -v))"
