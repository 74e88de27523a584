#!/bin/sh
# Entry point of the image (deploy/Dockerfile): `imcluster <role>` runs a role as PID 1 (so it gets
# SIGTERM itself and drains or hands on); `imcluster healthcheck` asks the running role's /healthz.
set -eu
usage() { echo "usage: imcluster comet|logic|job|standalone|healthcheck" >&2; exit 2; }
[ $# -ge 1 ] || usage
role="$1"
case "$role" in
  comet | logic | job | standalone)
    shift
    exec node "/app/services/$role/src/main.ts" "$@"
    ;;
  healthcheck) ;;
  *) usage ;;
esac

# The role PID 1 runs, from its command line (node /app/services/<role>/src/main.ts).
running="$(tr '\0' '\n' </proc/1/cmdline | sed -n 's#^/app/services/\([a-z]*\)/src/main.ts$#\1#p')"
# Where that role serves /healthz: its metrics port (comet, job) or its HTTP API (logic, standalone).
case "$running" in
  comet) host="${IM_COMET_HOST:-127.0.0.1}" port="${IM_COMET_METRICS_PORT:-3103}" ;;
  job) host="${IM_JOB_METRICS_HOST:-127.0.0.1}" port="${IM_JOB_METRICS_PORT:-3121}" ;;
  logic | standalone) host="${IM_LOGIC_HOST:-127.0.0.1}" port="${IM_LOGIC_HTTP_PORT:-3111}" ;;
  *) echo "healthcheck: no imcluster role runs as PID 1" >&2; exit 1 ;;
esac
case "$host" in 0.0.0.0 | :: | "[::]") host=127.0.0.1 ;; esac
exec node -e "fetch('http://$host:$port/healthz', { signal: AbortSignal.timeout(4000) })
  .then((r) => process.exit(r.ok ? 0 : 1), (e) => { console.error(e.message); process.exit(1); })"
