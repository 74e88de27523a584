#!/usr/bin/env bash
# Makes sure a Docker engine answers. Idempotent: Debian's docker.io when dockerd is missing;
# dockerd started as root in the background when nothing answers on the socket, without its
# default bridge and without touching iptables (the test deployment uses host networking on
# loopback only). Its log: .deploy/logs/dockerd.log. (Compose: lib.sh's ensure_compose.)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKERD_LOG="$DEPLOY_LOGS/dockerd.log"

install_engine() {
  command -v dockerd >/dev/null && return 0
  info "installing Debian's docker.io (log: $DEPLOY_LOGS/apt.log)"
  # Debian's maintainer scripts would start dockerd with its defaults (bridge, iptables); we start
  # our own, so tell invoke-rc.d "not now" for the length of the install.
  local policy=/usr/sbin/policy-rc.d added=""
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    added=1
  fi
  local rc=0
  {
    as_root apt-get update -q &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io
  } >"$DEPLOY_LOGS/apt.log" 2>&1 || rc=$?
  [[ -z $added ]] || as_root rm -f "$policy"
  ((rc == 0)) || fail_with_log "apt-get install docker.io failed" "$DEPLOY_LOGS/apt.log"
}

engine_answers() { docker info >/dev/null 2>&1; }

start_engine() {
  engine_answers && return 0
  install_engine
  info "starting dockerd (log: $DOCKERD_LOG)"
  # setsid: its own session, so that the caller's end (Ctrl-C, CI step) leaves it running.
  as_root setsid dockerd --bridge=none --iptables=false --ip6tables=false </dev/null >>"$DOCKERD_LOG" 2>&1 &
  local deadline=$((SECONDS + 60))
  until engine_answers; do
    ((SECONDS < deadline)) || fail_with_log "dockerd did not answer within 60 s" "$DOCKERD_LOG"
    sleep 0.5
  done
}

start_engine
info "engine $(docker version --format '{{.Server.Version}}')"
