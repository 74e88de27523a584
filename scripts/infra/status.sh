#!/usr/bin/env bash
# One line per service: up/down, address, pid (or who runs it). Exit 0 only when all are up.
# Each service is checked with its own protocol at its configured address, so a user's own
# cluster (an IM_* variable pointing elsewhere) is checked the same way as ours.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The configured URL with any password hidden: mysql://im:secret@h/db -> mysql://im:***@h/db.
shown_address() {
  local var
  case "$1" in
    etcd) var=IM_ETCD_ENDPOINTS ;;
    redis) var=IM_REDIS_URL ;;
    mysql) var=IM_MYSQL_URL ;;
    kafka) var=IM_KAFKA_BROKERS ;;
  esac
  sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#g' <<<"${!var}"
}

# Whose process it is: ours (pid), the user's cluster, or a local one that up.sh did not start.
owner() {
  local service="$1" state="$2" pid
  if ! is_managed "$service"; then
    echo "external"
  elif pid="$(service_pid "$service")"; then
    echo "pid $pid"
  elif [[ "$state" == up ]]; then
    echo "not started by up.sh"
  else
    echo "-"
  fi
}

main() {
  local service state all_up=0
  for service in "${SERVICES[@]}"; do
    if service_answers "$service"; then state=up; else state=down; all_up=1; fi
    printf '%-5s  %-4s  %-42s  %s\n' "$service" "$state" "$(shown_address "$service")" \
      "$(owner "$service" "$state")"
  done
  return "$all_up"
}

main "$@"
