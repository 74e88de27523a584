#!/usr/bin/env bash
# Stops the local cluster gracefully (SIGTERM: comets drain their clients), then forcefully after 10 s.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Reverse start order: comets drain (and record their disconnects through logic) before logic stops.
for ((i = ${#PROCESSES[@]} - 1; i >= 0; i--)); do
  IFS='|' read -r name _ _ <<<"${PROCESSES[$i]}"
  if pid="$(pid_of "$name")"; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "$name stopped"
  fi
  rm -f "$RUN_DIR/$name.pid"
done
