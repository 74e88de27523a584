# Shared settings and helpers for scripts/infra/{up,down,status}.sh. Sourced, not run.
# The settings below are used by the scripts that source this file, hence SC2034 off.
# shellcheck shell=bash disable=SC2034

INFRA_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_LIB_DIR/../.." && pwd)"
INFRA_DIR="$REPO_ROOT/.infra"      # git-ignored; everything the local services write lives here
RUN_DIR="$INFRA_DIR/run"           # pid files
LOG_DIR="$INFRA_DIR/logs"          # one log per service (Kafka's own log4j files: kafka/logs)

# The addresses the project connects to. Ports are the usual ones plus 100, so that a system-wide
# etcd/Redis/MySQL/Kafka on the default port never gets mixed up with ours.
DEFAULT_ETCD_ENDPOINTS="http://127.0.0.1:2479"
DEFAULT_REDIS_URL="redis://127.0.0.1:6479"
DEFAULT_MYSQL_URL="mysql://im:im@127.0.0.1:3406/imcluster"
DEFAULT_KAFKA_BROKERS="127.0.0.1:9192"
: "${IM_ETCD_ENDPOINTS:=$DEFAULT_ETCD_ENDPOINTS}"
: "${IM_REDIS_URL:=$DEFAULT_REDIS_URL}"
: "${IM_MYSQL_URL:=$DEFAULT_MYSQL_URL}"
: "${IM_KAFKA_BROKERS:=$DEFAULT_KAFKA_BROKERS}"

ETCD_PORT=2479
ETCD_PEER_PORT=2480
REDIS_PORT=6479
MYSQL_PORT=3406
KAFKA_PORT=9192
KAFKA_CONTROLLER_PORT=9193

ETCD_DATA="$INFRA_DIR/etcd"
REDIS_DATA="$INFRA_DIR/redis"
MYSQL_DATA="$INFRA_DIR/mysql"
MYSQL_SOCKET="$MYSQL_DATA/mysqld.sock"
KAFKA_HOME="$INFRA_DIR/kafka"
KAFKA_LOG_DIR="$KAFKA_HOME/logs"   # the broker's log4j files
# A small heap suits a laptop and a 2-core CI machine (the HA brokers take less, see ha.sh).
KAFKA_HEAP=(-Xms256m -Xmx1g)

SERVICES=(etcd redis mysql kafka)

# mariadbd and friends live in /usr/sbin, which a non-root PATH often lacks.
PATH="$PATH:/usr/sbin:/sbin"

info() { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# The logs worth reading when service $1 misbehaves: its console output, plus Kafka's log4j file.
service_logs() {
  log_file "$1"
  [[ "$1" != kafka* ]] || echo "$KAFKA_LOG_DIR/server.log"
}

# The string a service's command line must contain. Checking it means a stale pid file whose
# number was reused by an unrelated process is never taken for (or killed as) our service.
process_marker() {
  case "$1" in
    etcd*) echo "etcd" ;;
    redis*) echo "redis-server" ;;
    mysql*) echo "mariadbd" ;;
    kafka*) echo "kafka.Kafka" ;;
  esac
}

# Prints the pid recorded for service $1, if any.
recorded_pid() {
  local file
  file="$(pid_file "$1")"
  [[ -s "$file" ]] && tr -dc '0-9' <"$file"
}

# Prints the pid of our running instance of service $1; fails if there is none. A pid file left
# by a process that is gone, or whose number now belongs to another program, does not count.
service_pid() {
  local pid
  pid="$(recorded_pid "$1")" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$(process_marker "$1")" || return 1
  echo "$pid"
}

# "host:port" of the first entry of a URL or list: "http://a:1,http://b:2" -> "a:1",
# "mysql://u:p@h:3406/db" -> "h:3406".
first_address() {
  local value="${1%%,*}"
  value="${value#*://}"
  value="${value##*@}"
  echo "${value%%/*}"
}

# The address that service $1 is configured to use.
configured_address() {
  case "$1" in
    etcd) first_address "$IM_ETCD_ENDPOINTS" ;;
    redis) first_address "$IM_REDIS_URL" ;;
    mysql) first_address "$IM_MYSQL_URL" ;;
    kafka) first_address "$IM_KAFKA_BROKERS" ;;
  esac
}

default_port() {
  case "$1" in
    etcd) echo "$ETCD_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    mysql) echo "$MYSQL_PORT" ;;
    kafka) echo "$KAFKA_PORT" ;;
  esac
}

# True when service $1 is ours to run: its variable still names the local default address.
# Anything else (another host or port, or a list of several endpoints) is the user's own cluster.
is_managed() {
  local var value address
  case "$1" in
    etcd) var=IM_ETCD_ENDPOINTS ;;
    redis) var=IM_REDIS_URL ;;
    mysql) var=IM_MYSQL_URL ;;
    kafka) var=IM_KAFKA_BROKERS ;;
  esac
  value="${!var}"
  [[ "$value" != *,* ]] || return 1
  address="$(configured_address "$1")"
  [[ "$address" == "127.0.0.1:$(default_port "$1")" || "$address" == "localhost:$(default_port "$1")" ]]
}

# True when the configured service $1 answers its own protocol. An open port proves little:
# Kafka binds before it can serve, and some networks accept any TCP connection.
service_answers() {
  case "$1" in
    etcd) etcd_answers ;;
    redis) [[ "$(timeout 5 redis-cli -u "$IM_REDIS_URL" ping 2>/dev/null)" == PONG ]] ;;
    mysql) mysql_answers ;;
    kafka) timeout 10 node "$INFRA_LIB_DIR/kafka-probe.mjs" "$(configured_address kafka)" >/dev/null 2>&1 ;;
  esac
}

etcd_answers() {
  ETCDCTL_API=3 timeout 5 etcdctl --endpoints="$IM_ETCD_ENDPOINTS" --dial-timeout=2s \
    --command-timeout=3s endpoint health >/dev/null 2>&1
}

# Logs in with the URL's user, password and database, so "up" means "usable by the project".
# (Percent-encoded characters in the password are not decoded.)
mysql_answers() {
  local rest="${IM_MYSQL_URL#*://}" credentials user password address database
  credentials="${rest%%@*}"
  [[ "$rest" == *@* ]] || credentials=""
  user="${credentials%%:*}"
  password="${credentials#*:}"
  [[ "$credentials" == *:* ]] || password=""
  address="$(configured_address mysql)"
  database="${rest#*/}"
  [[ "$rest" == */* ]] || database=""
  database="${database%%\?*}"
  MYSQL_PWD="$password" timeout 5 mariadb --no-defaults --protocol=tcp --connect-timeout=3 \
    -h"${address%:*}" -P"${address##*:}" -u"${user:-root}" -e 'select 1' ${database:+"$database"} \
    >/dev/null 2>&1
}

# wait_until SECONDS SERVICE CHECK...: polls CHECK until it succeeds. Gives up early when the
# service's process has died, so a broken start fails in seconds rather than at the timeout.
wait_until() {
  local seconds="$1" service="$2"
  shift 2
  local deadline=$((SECONDS + seconds)) logs
  mapfile -t logs < <(service_logs "$service")
  until "$@"; do
    # Only "is it alive": just launched, it may not have exec'd its final command line yet.
    if ! kill -0 "$(recorded_pid "$service")" 2>/dev/null; then
      fail_with_logs "$service exited during start-up" "${logs[@]}"
    fi
    if ((SECONDS >= deadline)); then
      fail_with_logs "$service did not answer within ${seconds}s" "${logs[@]}"
    fi
    sleep 0.5
  done
}

# fail_with_logs MESSAGE LOG...: prints the error and the end of each log, then exits.
fail_with_logs() {
  printf '[infra] ERROR: %s\n' "$1" >&2
  shift
  local log
  for log in "$@"; do
    [[ -s "$log" ]] || continue
    printf '[infra] last lines of %s:\n' "$log" >&2
    tail -n 25 "$log" | sed 's/^/    /' >&2
  done
  exit 1
}

# launch SERVICE COMMAND...: starts COMMAND detached, in its own session (so that a Ctrl-C or CI
# ending the caller's process group leaves it running), without stdin, all output appended to the
# service's log, its pid in the service's pid file. Without job control, setsid execs in place, so
# $! is the service's own pid.
launch() {
  local service="$1" log
  shift
  log="$(log_file "$service")"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  printf '==== %s starting: %s\n' "$(date '+%F %T')" "$*" >>"$log"
  set +m
  # 9>&-: the child must not inherit (and so keep holding) the lock taken by take_lock.
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  echo $! >"$(pid_file "$service")"
}

# Serialises up/down runs (several engineers or test runners may call them at once).
take_lock() {
  mkdir -p "$INFRA_DIR"
  exec 9>"$INFRA_DIR/.lock"
  if ! flock -w 600 9; then
    die "another infra script still holds $INFRA_DIR/.lock"
  fi
}
