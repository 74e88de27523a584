#!/usr/bin/env bash
# Starts the local cluster (after `pnpm infra:up`): one logic, IM_CLUSTER_COMETS comets (default 2), two jobs, each its own
# background process with its log in .cluster/<name>.log. Idempotent: running processes are kept.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

start() {
  local name=$1 entry=$2 env=$3
  if pid="$(pid_of "$name")"; then
    echo "$name already running (pid $pid)"
    return
  fi
  # IM_CLUSTER_NODE_ARGS: extra node flags for every process, e.g. "--cpu-prof --cpu-prof-dir=DIR"
  # (flags that NODE_OPTIONS refuses).
  # shellcheck disable=SC2086
  env $env nohup "$NODE" ${IM_CLUSTER_NODE_ARGS:-} "$entry" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

wait_ready() {
  local name=$1 deadline=$((SECONDS + 60))
  until grep -q '"msg":"ready"' "$RUN_DIR/$name.log" 2>/dev/null; do
    if ! pid_of "$name" >/dev/null; then
      echo "$name exited; last lines of $RUN_DIR/$name.log:" >&2
      tail -n 20 "$RUN_DIR/$name.log" >&2
      exit 1
    fi
    ((SECONDS < deadline)) || { echo "$name not ready after 60 s; see $RUN_DIR/$name.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name ready (pid $(pid_of "$name"))"
}

for spec in "${PROCESSES[@]}"; do
  IFS='|' read -r name entry env <<<"$spec"
  start "$name" "$entry" "$env"
  # Logic first: comets authenticate through it.
  [[ $name == logic-* ]] && wait_ready "$name"
done
for spec in "${PROCESSES[@]}"; do
  IFS='|' read -r name _ _ <<<"$spec"
  [[ $name == logic-* ]] || wait_ready "$name"
done
echo
echo "Local cluster running. Logs: .cluster/*.log"
echo "  logic   HTTP http://127.0.0.1:3111   gRPC 127.0.0.1:3119"
for ((i = 1; i <= COMETS; i++)); do
  base=$((3000 + 100 * i))
  echo "  comet-$i TCP 127.0.0.1:$((base + 1))  WebSocket ws://127.0.0.1:$((base + 2))/sub  gRPC 127.0.0.1:$((base + 9))"
done
echo "Stop with: pnpm cluster:down"
echo "bench:fanout --comets for these: $(for ((i = 1; i <= COMETS; i++)); do printf '127.0.0.1:%d:%d,' $((3001 + 100 * i)) $((3002 + 100 * i)); done | sed 's/,$//')"
