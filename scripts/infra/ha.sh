#!/usr/bin/env bash
# The clustered infrastructure the fault-injection suite (`pnpm test:chaos`) runs on, on loopback,
# beside the single-node one of up.sh (whose ports and data it never touches):
#   etcd     3 members      clients 12379 12381 12383 (peers one above each)
#   Kafka    3 KRaft nodes  brokers 19192 19193 19194, controllers 19292 19293 19294
#   Redis    Cluster of 3 primaries + 3 replicas on 7101-7106 (bus: port + 10000)
#   MariaDB  1 server       13406 (a private one: the suite restarts it)
# Data under .infra/ha/. `ha.sh up` is idempotent and also heals: a member that is not running is
# started again (a Redis primary that was failed over comes back as a replica). `ha.sh down`
# stops them; `down --purge` also deletes the data. `ha.sh env` prints the IM_* settings that
# point a process at them. Reached through `pnpm infra:up --ha` / `pnpm infra:down --ha`.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=up.sh
source "$(dirname "${BASH_SOURCE[0]}")/up.sh"
# shellcheck source-path=SCRIPTDIR source=down.sh
source "$INFRA_LIB_DIR/down.sh"

HA_DIR="$INFRA_DIR/ha"
RUN_DIR="$HA_DIR/run"
LOG_DIR="$HA_DIR/logs"
MEMBERS=(1 2 3)
ETCD_CLIENT_PORTS=(12379 12381 12383)
KAFKA_BROKER_PORTS=(19192 19193 19194)
KAFKA_CONTROLLER_PORTS=(19292 19293 19294)
REDIS_PORTS=(7101 7102 7103 7104 7105 7106)
MYSQL_PORT=13406
MYSQL_DATA="$HA_DIR/mysql"
MYSQL_SOCKET="$MYSQL_DATA/mysqld.sock"
MYSQL_READY_MARKER="$MYSQL_DATA/.imcluster-initialised"
# Three brokers share the machine with everything else: small heaps.
KAFKA_HEAP=(-Xms128m -Xmx320m)
# Redis nodes declare a silent peer failed after this; its replica is then promoted.
REDIS_NODE_TIMEOUT_MS=3000

ha_list() { local IFS=,; echo "$*"; }
etcd_endpoints() { local p out=(); for p in "${ETCD_CLIENT_PORTS[@]}"; do out+=("http://127.0.0.1:$p"); done; ha_list "${out[@]}"; }
kafka_brokers() { local p out=(); for p in "${KAFKA_BROKER_PORTS[@]}"; do out+=("127.0.0.1:$p"); done; ha_list "${out[@]}"; }
redis_nodes() { local p out=(); for p in "${REDIS_PORTS[@]}"; do out+=("127.0.0.1:$p"); done; ha_list "${out[@]}"; }

print_env() {
  echo "IM_ETCD_ENDPOINTS=$(etcd_endpoints)"
  echo "IM_KAFKA_BROKERS=$(kafka_brokers)"
  echo "IM_REDIS_CLUSTER_NODES=$(redis_nodes)"
  echo "IM_MYSQL_URL=mysql://im:im@127.0.0.1:$MYSQL_PORT/imcluster"
}

ha_packages() {
  MISSING_PACKAGES=()
  need etcd etcd-server
  need etcdctl etcd-client
  need redis-server redis-server
  need redis-cli redis-tools
  need mariadbd mariadb-server
  need mariadb mariadb-client
  need java default-jre-headless
  need mvn maven
  ((${#MISSING_PACKAGES[@]} == 0)) || apt_install "${MISSING_PACKAGES[@]}"
}

# ---------------------------------------------------------------------------------------------
# etcd: three members; the --initial-* flags only matter on the very first start.

start_etcd_member() {
  local i="$1" cluster="" m
  for m in "${MEMBERS[@]}"; do
    cluster+="${cluster:+,}ha$m=http://127.0.0.1:$((ETCD_CLIENT_PORTS[m - 1] + 1))"
  done
  local client="http://127.0.0.1:${ETCD_CLIENT_PORTS[i - 1]}" peer="http://127.0.0.1:$((ETCD_CLIENT_PORTS[i - 1] + 1))"
  launch "etcd$i" etcd --name "ha$i" --data-dir "$HA_DIR/etcd$i" \
    --listen-client-urls "$client" --advertise-client-urls "$client" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token imcluster-ha \
    --auto-compaction-mode periodic --auto-compaction-retention 1h --logger zap --log-outputs stderr
}

etcd_member_answers() {
  ETCDCTL_API=3 timeout 5 etcdctl --endpoints="http://127.0.0.1:${ETCD_CLIENT_PORTS[$1 - 1]}" \
    --dial-timeout=2s --command-timeout=3s endpoint health >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# Kafka: three nodes, each broker and controller, one quorum; all formatted with one cluster id.

kafka_config_dir() { echo "$HA_DIR/kafka$1"; }

write_ha_kafka_config() {
  local i="$1" dir voters="" m
  dir="$(kafka_config_dir "$i")"
  for m in "${MEMBERS[@]}"; do voters+="${voters:+,}$m@127.0.0.1:${KAFKA_CONTROLLER_PORTS[m - 1]}"; done
  mkdir -p "$dir/logs"
  cat >"$dir/server.properties" <<EOF
# Written by scripts/infra/ha.sh; edits are overwritten on the next start.
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:${KAFKA_BROKER_PORTS[i - 1]},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORTS[i - 1]}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_BROKER_PORTS[i - 1]}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=8
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
unclean.leader.election.enable=false
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
# A follower silent this long leaves the ISR, so acks=all stops waiting for a frozen broker.
replica.lag.time.max.ms=8000
EOF
  cat >"$dir/log4j.properties" <<EOF
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$dir/logs/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=1
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

format_ha_kafka() {
  local i id_file="$HA_DIR/kafka-cluster-id" id
  [[ -s "$id_file" ]] || head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' >"$id_file"
  id="$(cat "$id_file")"
  for i in "${MEMBERS[@]}"; do
    [[ -s "$(kafka_config_dir "$i")/data/meta.properties" ]] && continue
    KAFKA_CONFIG="$(kafka_config_dir "$i")"
    kafka_jvm_args
    "${KAFKA_JVM[@]}" kafka.tools.StorageTool format -t "$id" -c "$KAFKA_CONFIG/server.properties" \
      >>"$(log_file "kafka$i")" 2>&1 || fail_with_logs "kafka$i storage format failed" "$(log_file "kafka$i")"
  done
}

start_kafka_member() {
  KAFKA_CONFIG="$(kafka_config_dir "$1")"
  kafka_jvm_args
  launch "kafka$1" "${KAFKA_JVM[@]}" kafka.Kafka "$KAFKA_CONFIG/server.properties"
}

# Answers, and lists all three brokers: topics created earlier would get a smaller replication factor.
kafka_member_answers() {
  local out
  out="$(timeout 10 node "$INFRA_LIB_DIR/kafka-probe.mjs" "127.0.0.1:${KAFKA_BROKER_PORTS[$1 - 1]}" 2>/dev/null)" || return 1
  [[ "$out" == *": ${#MEMBERS[@]} broker(s)"* ]]
}

# ---------------------------------------------------------------------------------------------
# Redis Cluster. Routes are a cache with TTLs: no persistence, only each node's nodes.conf.
# cluster-require-full-coverage no: while a primary fails over, the other slots keep serving.

start_redis_node() {
  local port="$1"
  mkdir -p "$HA_DIR/redis$port"
  launch "redis$port" redis-server --bind 127.0.0.1 --port "$port" --dir "$HA_DIR/redis$port" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout "$REDIS_NODE_TIMEOUT_MS" \
    --cluster-require-full-coverage no --save '' --appendonly no --daemonize no --logfile ''
}

redis_node_answers() {
  [[ "$(timeout 5 redis-cli -p "$1" ping 2>/dev/null)" == PONG ]]
}

redis_cluster_ok() {
  timeout 5 redis-cli -p "${REDIS_PORTS[0]}" cluster info 2>/dev/null | grep -q '^cluster_state:ok'
}

# Joins the six nodes into a cluster once; a node restarted later finds its place in nodes.conf.
create_redis_cluster() {
  local slots
  slots="$(timeout 5 redis-cli -p "${REDIS_PORTS[0]}" cluster info | sed -n 's/^cluster_slots_assigned:\([0-9]*\).*/\1/p')"
  if [[ "${slots:-0}" == 0 ]]; then
    info "redis: creating the cluster (3 primaries, 3 replicas)"
    # shellcheck disable=SC2046
    redis-cli --cluster create $(redis_nodes | tr ',' ' ') --cluster-replicas 1 --cluster-yes \
      >>"$(log_file redis-cluster)" 2>&1 || fail_with_logs "redis-cli --cluster create failed" "$(log_file redis-cluster)"
  fi
  local deadline=$((SECONDS + 60))
  until redis_cluster_ok; do
    ((SECONDS < deadline)) || fail_with_logs "the Redis cluster is not ok after 60 s" "$(log_file redis-cluster)"
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------------------------

# ensure_member NAME START_FN ANSWERS_FN ARG: starts member NAME unless it answers or is already
# starting; adds it to PENDING when it has to be waited for.
ensure_member() {
  local name="$1" start="$2" answers="$3" arg="$4"
  "$answers" "$arg" && return 0
  service_pid "$name" >/dev/null || "$start" "$arg"
  PENDING+=("$name")
}

ha_up() {
  mkdir -p "$HA_DIR"
  exec 9>"$HA_DIR/.lock"
  flock -w 600 9 || die "another ha.sh still holds $HA_DIR/.lock"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  ha_packages
  fetch_kafka_libs
  local i port name
  PENDING=()
  for i in "${MEMBERS[@]}"; do write_ha_kafka_config "$i"; done
  format_ha_kafka
  # Kafka first: it boots slowest, and the others start while its JVMs warm up.
  for i in "${MEMBERS[@]}"; do ensure_member "kafka$i" start_kafka_member kafka_member_answers "$i"; done
  ensure_member mysql start_mysql mysql_answers_ha ""
  for i in "${MEMBERS[@]}"; do ensure_member "etcd$i" start_etcd_member etcd_member_answers "$i"; done
  for port in "${REDIS_PORTS[@]}"; do ensure_member "redis$port" start_redis_node redis_node_answers "$port"; done
  for name in "${PENDING[@]}"; do
    case "$name" in
      kafka*) wait_until 150 "$name" kafka_member_answers "${name#kafka}" ;;
      etcd*) wait_until 30 "$name" etcd_member_answers "${name#etcd}" ;;
      redis*) wait_until 20 "$name" redis_node_answers "${name#redis}" ;;
      mysql)
        wait_until 90 mysql mysql_socket_answers
        setup_mysql >>"$(log_file mysql)" 2>&1 || fail_with_logs "creating the im user failed" "$(log_file mysql)"
        wait_until 30 mysql mysql_answers_ha
        ;;
    esac
  done
  create_redis_cluster
  info "HA infrastructure up (${#PENDING[@]} member(s) started); point processes at it with:"
  print_env | sed 's/^/[infra]   /'
}

mysql_answers_ha() {
  IM_MYSQL_URL="mysql://im:im@127.0.0.1:$MYSQL_PORT/imcluster" mysql_answers
}

ha_down() {
  local purge="${1:-}" service pid
  [[ -z "$purge" || "$purge" == --purge ]] || die "usage: ha.sh down [--purge]"
  mkdir -p "$HA_DIR"
  exec 9>"$HA_DIR/.lock"
  flock -w 600 9 || die "another ha.sh still holds $HA_DIR/.lock"
  local services=(kafka1 kafka2 kafka3 mysql etcd1 etcd2 etcd3)
  for service in "${REDIS_PORTS[@]}"; do services+=("redis$service"); done
  for service in "${services[@]}"; do
    # A member the suite left frozen (SIGSTOP) must be able to act on SIGTERM.
    if pid="$(service_pid "$service")"; then kill -CONT "$pid" 2>/dev/null || true; fi
    stop_service "$service"
  done
  if [[ -n "$purge" ]]; then
    info "removing $HA_DIR"
    rm -rf "$HA_DIR"
  fi
}

case "${1:-up}" in
  up) ha_up ;;
  down) ha_down "${2:-}" ;;
  env) print_env ;;
  *) die "usage: ha.sh up|down [--purge]|env" ;;
esac
