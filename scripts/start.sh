#!/usr/bin/env bash
# First command of the README: installs what the project needs (pnpm, the node modules, Node 24)
# and starts a standalone node (comet + logic + job in one process, embedded storage in ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec pnpm start
