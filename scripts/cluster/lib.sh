# Shared by scripts/cluster/*.sh: where the local cluster keeps its pid and log files, and the
# processes it runs (name, entry point, environment).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="$ROOT/.cluster"
mkdir -p "$RUN_DIR"

# Node 24: the one on PATH when it is recent enough (under pnpm that is the project's own),
# otherwise the one scripts/bootstrap.sh installed into node_modules.
NODE=node
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' 2>/dev/null; then
  NODE="$ROOT/node_modules/.bin/node"
fi
# Cluster mode refuses to start without its secrets: the local cluster makes its own once, in
# .cluster/secrets.env (bench tools read them there too); values already in the environment win.
SECRETS_FILE="$RUN_DIR/secrets.env"
if [[ ! -f "$SECRETS_FILE" ]]; then
  (umask 077 && for v in IM_JWT_SECRET IM_API_KEY IM_CLUSTER_SECRET; do
    echo "$v=$("$NODE" -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))')"
  done >"$SECRETS_FILE")
fi
while IFS='=' read -r var value; do
  [[ -n "${!var:-}" ]] || export "$var=$value"
done <"$SECRETS_FILE"

# Each process reuses the type-stripped, compiled modules of the ones before it.
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$ROOT/node_modules/.cache/node-compile-cache}"

# Comets: IM_CLUSTER_COMETS of them (default 2, or as many as an earlier up left running, so that
# down stops them all). Comet i listens on 3i01 (TCP), 3i02 (WebSocket), 3i03 (metrics), 3i09 (gRPC)
# for i up to 9, then 4001, ... (3000 + 100 i + n).
running_comets=$(find "$RUN_DIR" -maxdepth 1 -name 'comet-*.pid' | wc -l)
COMETS="${IM_CLUSTER_COMETS:-$((running_comets > 2 ? running_comets : 2))}"

# name|entry|environment (space-separated VAR=value). Benchmarks register hundreds of users from
# one address: logic's per-address login limit is off here.
PROCESSES=("logic-1|services/logic/src/main.ts|IM_LOGIC_ID=logic-1 IM_LOGIC_HTTP_PORT=3111 IM_LOGIC_GRPC_PORT=3119 IM_AUTH_ADDRESS_PER_MIN=0")
for ((i = 1; i <= COMETS; i++)); do
  base=$((3000 + 100 * i))
  PROCESSES+=("comet-$i|services/comet/src/main.ts|IM_COMET_ID=comet-$i IM_COMET_TCP_PORT=$((base + 1)) IM_COMET_WS_PORT=$((base + 2)) IM_COMET_GRPC_PORT=$((base + 9)) IM_COMET_METRICS_PORT=$((base + 3))")
done
PROCESSES+=(
  "job-1|services/job/src/main.ts|IM_JOB_ID=job-1 IM_JOB_METRICS_PORT=3121"
  "job-2|services/job/src/main.ts|IM_JOB_ID=job-2 IM_JOB_METRICS_PORT=3122"
)

pid_of() {
  local file="$RUN_DIR/$1.pid"
  [[ -f "$file" ]] || return 1
  local pid
  pid="$(cat "$file")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}
