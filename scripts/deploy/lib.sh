# Shared settings and helpers of scripts/deploy/*.sh. Sourced, not run.
# shellcheck shell=bash disable=SC2034

DEPLOY_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$DEPLOY_LIB_DIR/../.." && pwd)"
# git-ignored: tools built here (Compose, Helm), the Docker daemon's log, downloads.
DEPLOY_DIR="$REPO_ROOT/.deploy"
TOOLS_BIN="$DEPLOY_DIR/bin"
DEPLOY_LOGS="$DEPLOY_DIR/logs"
DEPLOY_CACHE="$DEPLOY_DIR/cache"

# Tool versions, built from the Go module proxy (no binary download site is reachable on CI):
# module@version and the package of the command inside it.
COMPOSE_MODULE=github.com/docker/compose/v2@v2.40.3 COMPOSE_PACKAGE=./cmd
HELM_MODULE=helm.sh/helm/v3@v3.22.0 HELM_PACKAGE=./cmd/helm

# Debian release of the stand-in bases, from the mirror apt uses on this machine.
DEBIAN_SUITE=bookworm

mkdir -p "$TOOLS_BIN" "$DEPLOY_LOGS" "$DEPLOY_CACHE"
PATH="$TOOLS_BIN:$PATH:/usr/sbin:/sbin"

info() { printf '[deploy] %s\n' "$*"; }
die() { printf '[deploy] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if ((EUID == 0)); then "$@"; else sudo "$@"; fi
}

# fail_with_log MESSAGE LOG: the error, then the end of the log.
fail_with_log() {
  printf '[deploy] ERROR: %s; last lines of %s:\n' "$1" "$2" >&2
  tail -n 30 "$2" | sed 's/^/    /' >&2
  exit 1
}

# run_logged NAME COMMAND...: runs COMMAND with its output in $DEPLOY_LOGS/NAME.log; fails with the log's end.
run_logged() {
  local log="$DEPLOY_LOGS/$1.log"
  shift
  "$@" >"$log" 2>&1 || fail_with_log "$* failed" "$log"
}

# go_tool NAME MODULE@VERSION PACKAGE: builds a Go command into $TOOLS_BIN/NAME once (again when the
# version changes). Built inside the downloaded module, as its own main module: `go install
# module@version` refuses modules whose go.mod has replace or exclude directives (Compose's has).
go_tool() {
  local name="$1" module="$2" package="$3" stamp="$TOOLS_BIN/.$1.version" dir
  [[ -x "$TOOLS_BIN/$name" && "$(cat "$stamp" 2>/dev/null)" == "$module" ]] && return 0
  command -v go >/dev/null || die "Go is needed to build $name (from the Go module proxy)"
  info "building $name from $module (Go module proxy; several minutes the first time)"
  run_logged "go-download-$name" go mod download -json "$module"
  dir="$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' "$DEPLOY_LOGS/go-download-$name.log")"
  [[ -d $dir ]] || fail_with_log "go mod download $module gave no folder" "$DEPLOY_LOGS/go-download-$name.log"
  (cd "$dir" && run_logged "go-build-$name" env GOFLAGS=-buildvcs=false go build -o "$TOOLS_BIN/$name" "$package")
  echo "$module" >"$stamp"
}

# Docker Compose v2: the CLI's plugin when it has one, else built from the Go module proxy.
ensure_compose() {
  docker compose version >/dev/null 2>&1 || go_tool docker-compose "$COMPOSE_MODULE" "$COMPOSE_PACKAGE"
}

# The command of Docker Compose v2: the CLI plugin, or the binary ensure_compose built.
compose_command() {
  if docker compose version >/dev/null 2>&1; then echo "docker compose"; else echo "$TOOLS_BIN/docker-compose"; fi
}
