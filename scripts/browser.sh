#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (libs/client/test/integration/browser.test.ts, test/web/),
# which drives it with playwright-core: no browser is downloaded from elsewhere. Safe to run again:
# it does nothing when a chromium binary is already there. Prints the binary's path last.
set -euo pipefail

log() { printf '[browser] %s\n' "$*" >&2; }

find_chromium() {
  command -v chromium || command -v chromium-browser || true
}

if [[ -z "$(find_chromium)" ]]; then
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  log "installing Debian's chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

bin="$(find_chromium)"
[[ -n "$bin" ]] || { log "ERROR: chromium is not installed"; exit 1; }
echo "$bin"
