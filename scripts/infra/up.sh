#!/usr/bin/env bash
# Starts the local etcd, Redis, MariaDB and Kafka that the project and its tests use: loopback
# only, non-default ports, data under <repo>/.infra/. Installs what is missing first.
# Idempotent: a service that already answers is left alone, so a second run takes seconds.
# A service whose IM_* variable names another address is the user's own and is not started.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_POM="$INFRA_LIB_DIR/kafka/pom.xml"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_CONFIG="$KAFKA_HOME/config"
KAFKA_DATA="$KAFKA_HOME/data"

# Seconds each service gets to answer after being started.
declare -A START_TIMEOUT=([etcd]=30 [redis]=20 [mysql]=90 [kafka]=150)

# ---------------------------------------------------------------------------------------------
# Packages

as_root() {
  if ((EUID == 0)); then "$@"; else sudo "$@"; fi
}

# Adds package $2 to MISSING_PACKAGES when command $1 is not installed.
need() {
  command -v "$1" >/dev/null 2>&1 || MISSING_PACKAGES+=("$2")
}

# Servers only for the services we run; the clients always, since status checks use them.
ensure_packages() {
  MISSING_PACKAGES=()
  need etcdctl etcd-client
  need redis-cli redis-tools
  need mariadb mariadb-client
  if is_managed etcd; then need etcd etcd-server; fi
  if is_managed redis; then need redis-server redis-server; fi
  if is_managed mysql; then need mariadbd mariadb-server; need mariadb-install-db mariadb-server; fi
  if is_managed kafka; then need java default-jre-headless; need mvn maven; fi
  command -v node >/dev/null || die "node is required (the project's runtime; also probes Kafka)"
  ((${#MISSING_PACKAGES[@]} == 0)) && return 0
  local packages
  mapfile -t packages < <(printf '%s\n' "${MISSING_PACKAGES[@]}" | sort -u)
  apt_install "${packages[@]}"
}

apt_install() {
  local log rc=0 policy=/usr/sbin/policy-rc.d added_policy=""
  log="$(log_file apt)"
  mkdir -p "$LOG_DIR"
  info "installing $* with apt-get (log: $log)"
  # Debian's maintainer scripts would start each new daemon on its default port. We run our own
  # instances elsewhere, so tell invoke-rc.d "not now" (exit 101) for the length of the install.
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    added_policy=1
    trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT   # also when interrupted
  fi
  {
    as_root apt-get update -q &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
  } >>"$log" 2>&1 || rc=$?
  if [[ -n "$added_policy" ]]; then as_root rm -f "$policy"; trap - EXIT; fi
  ((rc == 0)) || fail_with_logs "apt-get install $* failed" "$log"
}

# ---------------------------------------------------------------------------------------------
# etcd

start_etcd() {
  local url="http://127.0.0.1:$ETCD_PORT" peer="http://127.0.0.1:$ETCD_PEER_PORT"
  # The --initial-* flags only matter on the first start; later starts read the member from disk.
  launch etcd etcd --name imcluster-local --data-dir "$ETCD_DATA" \
    --listen-client-urls "$url" --advertise-client-urls "$url" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "imcluster-local=$peer" --initial-cluster-state new \
    --auto-compaction-mode periodic --auto-compaction-retention 1h \
    --logger zap --log-outputs stderr
}

# ---------------------------------------------------------------------------------------------
# Redis

start_redis() {
  mkdir -p "$REDIS_DATA"
  # A cache of routes with TTLs: nothing worth persisting, so no RDB snapshots and no AOF.
  launch redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DATA" \
    --save '' --appendonly no --daemonize no --logfile ''
}

# ---------------------------------------------------------------------------------------------
# MariaDB

MYSQL_READY_MARKER="$MYSQL_DATA/.imcluster-initialised"

# mariadb-install-db, unless a previous run completed it. A datadir without the marker is what
# an interrupted first run leaves behind; it holds nothing yet, so start it over.
init_mysql_datadir() {
  [[ -e "$MYSQL_READY_MARKER" ]] && return 0
  if [[ -d "$MYSQL_DATA" ]]; then
    warn "removing half-initialised MariaDB datadir $MYSQL_DATA"
    rm -rf "$MYSQL_DATA"
  fi
  mkdir -p "$MYSQL_DATA" "$LOG_DIR"
  info "mysql: initialising $MYSQL_DATA"
  # root@localhost gets unix_socket authentication: only the OS user who runs these scripts can
  # administer the server, through the socket; the im user below has a password.
  mariadb-install-db --no-defaults --datadir="$MYSQL_DATA" --user="$(id -un)" \
    --auth-root-authentication-method=socket --skip-test-db >>"$(log_file mysql)" 2>&1 ||
    fail_with_logs "mariadb-install-db failed" "$(log_file mysql)"
  touch "$MYSQL_READY_MARKER"
}

start_mysql() {
  init_mysql_datadir
  # --no-defaults: /etc/mysql's settings (socket path, port, charset) must not leak in.
  # utf8mb4 because chat text carries emoji. Flushing the redo log once a second instead of at
  # every commit only risks the last second on an OS crash, and makes tests much faster.
  launch mysql mariadbd --no-defaults --datadir="$MYSQL_DATA" --user="$(id -un)" \
    --port="$MYSQL_PORT" --bind-address=127.0.0.1 --socket="$MYSQL_SOCKET" \
    --skip-name-resolve --max-connections=500 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-flush-log-at-trx-commit=2
}

mysql_socket_answers() {
  mariadb-admin --no-defaults --socket="$MYSQL_SOCKET" -u"$(id -un)" ping >/dev/null 2>&1
}

# The database and the im user, as administrator through the socket. Safe to repeat.
setup_mysql() {
  mariadb --no-defaults --socket="$MYSQL_SOCKET" -u"$(id -un)" <<'SQL'
CREATE DATABASE IF NOT EXISTS imcluster CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'im'@'127.0.0.1' IDENTIFIED BY 'im';
CREATE USER IF NOT EXISTS 'im'@'localhost' IDENTIFIED BY 'im';
ALTER USER 'im'@'127.0.0.1' IDENTIFIED BY 'im';
ALTER USER 'im'@'localhost' IDENTIFIED BY 'im';
-- On *.*: tests create and drop databases of their own.
GRANT ALL PRIVILEGES ON *.* TO 'im'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'im'@'localhost';
SQL
}

# ---------------------------------------------------------------------------------------------
# Kafka (KRaft, one process that is both broker and controller)

# The broker's jars come from Maven Central. Fetched once; again only when the POM changes.
fetch_kafka_libs() {
  cmp -s "$KAFKA_POM" "$KAFKA_LIBS/.pom.xml" && return 0
  local log
  log="$(log_file kafka-fetch)"
  mkdir -p "$LOG_DIR"
  info "kafka: fetching jars with Maven (log: $log)"
  rm -rf "$KAFKA_LIBS"
  mvn -B -q -f "$KAFKA_POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_LIBS" >"$log" 2>&1 || fail_with_logs "Maven could not fetch Kafka" "$log"
  cp "$KAFKA_POM" "$KAFKA_LIBS/.pom.xml"
}

# Rewritten on every start so that the files always match this script.
write_kafka_config() {
  mkdir -p "$KAFKA_CONFIG" "$KAFKA_LOG_DIR"
  cat >"$KAFKA_CONFIG/server.properties" <<EOF
# Written by scripts/infra/up.sh; edits are overwritten on the next start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=8
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
EOF
  cat >"$KAFKA_CONFIG/log4j.properties" <<EOF
# Written by scripts/infra/up.sh. Kafka 3.9 logs through reload4j (log4j 1.x syntax).
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$KAFKA_LOG_DIR/server.log
log4j.appender.file.MaxFileSize=50MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
EOF
}

# JVM settings for every Kafka command.
kafka_jvm_args() {
  KAFKA_JVM=(java "${KAFKA_HEAP[@]}" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$KAFKA_CONFIG/log4j.properties" -cp "$KAFKA_LIBS/*")
}

# KRaft refuses to start on an unformatted log dir. Format once, with a fresh cluster id:
# 16 random bytes in URL-safe base64 without padding, which is what Kafka's ids look like.
format_kafka_storage() {
  [[ -s "$KAFKA_DATA/meta.properties" ]] && return 0
  rm -rf "$KAFKA_DATA"
  local id
  id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  info "kafka: formatting $KAFKA_DATA (cluster id $id)"
  kafka_jvm_args
  "${KAFKA_JVM[@]}" kafka.tools.StorageTool format -t "$id" -c "$KAFKA_CONFIG/server.properties" \
    >>"$(log_file kafka)" 2>&1 || fail_with_logs "kafka storage format failed" "$(log_file kafka)"
}

start_kafka() {
  fetch_kafka_libs
  write_kafka_config
  format_kafka_storage
  kafka_jvm_args
  launch kafka "${KAFKA_JVM[@]}" kafka.Kafka "$KAFKA_CONFIG/server.properties"
}

# ---------------------------------------------------------------------------------------------

# Waits for service $1 to answer; MariaDB then gets its database and user.
await_service() {
  if [[ "$1" == mysql ]]; then
    wait_until "${START_TIMEOUT[mysql]}" mysql mysql_socket_answers
    setup_mysql >>"$(log_file mysql)" 2>&1 || fail_with_logs "creating the im user failed" "$(log_file mysql)"
  fi
  wait_until "${START_TIMEOUT[$1]}" "$1" service_answers "$1"
}

summary_line() {
  local service="$1" state="$2" pid="-"
  if is_managed "$service"; then pid="$(service_pid "$service" || echo -)"; fi
  printf '[infra] %-5s %-16s %-22s pid %s\n' "$service" "$state" "$(configured_address "$service")" "$pid"
}

main() {
  take_lock
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  ensure_packages
  declare -A state=()
  local pending=() service
  # Kafka first: it boots slowest, and the others start while its JVM warms up.
  for service in kafka mysql etcd redis; do
    if ! is_managed "$service"; then
      state[$service]="external"
      service_answers "$service" ||
        { state[$service]="external, DOWN"; warn "$service: nothing answers at $(configured_address "$service")"; }
    elif service_answers "$service"; then
      state[$service]="already running"
    elif service_pid "$service" >/dev/null; then
      state[$service]="was starting"   # ours, alive, not answering yet: wait for it below
      pending+=("$service")
    else
      "start_$service"
      state[$service]="started"
      pending+=("$service")
    fi
  done
  for service in "${pending[@]}"; do
    await_service "$service"
  done
  local status=0
  for service in "${SERVICES[@]}"; do
    summary_line "$service" "${state[$service]}"
    [[ "${state[$service]}" != *DOWN* ]] || status=1
  done
  return "$status"
}

# `--ha` (or IM_INFRA_HA=1): the clustered infrastructure of ha.sh instead. Sourced by ha.sh for
# its functions, in which case nothing runs here.
[[ "${BASH_SOURCE[0]}" != "$0" ]] && return 0
if [[ "${1:-}" == --ha || "${IM_INFRA_HA:-}" == 1 ]]; then exec bash "$INFRA_LIB_DIR/ha.sh" up; fi
# `--kafka-libs`: only this checkout's Kafka jars (tests that run a broker of their own need them
# even when the infrastructure they share runs from another checkout).
if [[ "${1:-}" == --kafka-libs ]]; then
  take_lock
  ensure_packages
  fetch_kafka_libs
  exit 0
fi
main "$@"
