#!/usr/bin/env bash
# Stops the services that up.sh started (found through their pid files under .infra/run).
# Data stays for the next up.sh unless --purge is given; --purge keeps only the downloaded
# Kafka jars, which are not data and take a while to fetch again.
# Services that up.sh did not start (the user's own cluster, a hand-started process) are left alone.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Seconds a service gets to shut down cleanly after SIGTERM before it is killed.
STOP_TIMEOUT=60

usage() {
  echo "usage: $0 [--ha] [--purge]" >&2
  exit 2
}

# SIGTERM is a clean shutdown for all four: etcd, Redis and MariaDB flush and close,
# Kafka does a controlled shutdown.
stop_service() {
  local service="$1" pid deadline
  if ! pid="$(service_pid "$service")"; then
    rm -f "$(pid_file "$service")"   # stale, if there was one
    info "$service: nothing to stop (no running process started by up.sh)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      warn "$service (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$(pid_file "$service")"
  info "$service: stopped (pid $pid)"
}

purge_data() {
  info "removing data under $INFRA_DIR (keeping the Kafka jars in $KAFKA_HOME/libs)"
  rm -rf "$ETCD_DATA" "$REDIS_DATA" "$MYSQL_DATA" "$KAFKA_HOME/data" "$KAFKA_HOME/config" \
    "$KAFKA_HOME/logs" "$LOG_DIR" "$RUN_DIR"
}

main() {
  if [[ "${1:-}" == --ha || "${IM_INFRA_HA:-}" == 1 ]]; then
    shift $(($# > 0 ? 1 : 0))
    exec bash "$INFRA_LIB_DIR/ha.sh" down "$@"
  fi
  local purge=""
  case "${1:-}" in
    "") ;;
    --purge) purge=1 ;;
    *) usage ;;
  esac
  take_lock
  local service
  # Kafka and the others do not depend on each other at shutdown; stop the slowest first.
  for service in kafka mysql redis etcd; do
    stop_service "$service"
  done
  [[ -z "$purge" ]] || purge_data
}

# Sourced by ha.sh for stop_service: nothing runs then.
[[ "${BASH_SOURCE[0]}" != "$0" ]] && return 0
main "$@"
