#!/usr/bin/env bash
# `pnpm test:deploy`: the deployment files of deploy/ run and checked for real on this machine.
# 1. the Kubernetes chart rendered and every manifest decoded strictly (scripts/deploy/k8s.sh), and
#    Docker Compose v2 (built from the Go module proxy when the CLI lacks it), in the background;
# 2. a Docker engine (scripts/deploy/docker.sh; installs and starts it when missing);
# 3. the images (scripts/deploy/images.sh: stand-in bases once, then the infrastructure and
#    application images with Docker's layer cache);
# 4. test/deploy/*.test.ts with node's test runner: the compose cluster brought up on the host's
#    network, checked from outside, one comet restarted, everything it created removed.
# Fails when any step fails: nothing is skipped.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

started=$SECONDS
step() { info "== $1 ($((SECONDS - started)) s so far)"; }

# The Go builds (Compose, Helm, the checker) take CPU, the image builds mostly the network: both at once.
step "Compose and the Kubernetes checks, in the background (log: $DEPLOY_LOGS/tools.log)"
(ensure_compose && bash scripts/deploy/k8s.sh) >"$DEPLOY_LOGS/tools.log" 2>&1 &
tools=$!
step "Docker engine"
bash scripts/deploy/docker.sh
step "images"
bash scripts/deploy/images.sh
step "waiting for Compose and the Kubernetes checks"
wait "$tools" || fail_with_log "building Compose or checking the Kubernetes manifests failed" "$DEPLOY_LOGS/tools.log"
cat "$DEPLOY_LOGS/tools.log"
step "compose cluster"
DEPLOY_COMPOSE="$(compose_command)"
export DEPLOY_COMPOSE
# Images replaced by this run's builds, nothing else (the bases and current images stay cached):
# pruned on exit, after the tests, whose summary stays the last thing printed (CI reads it).
trap 'docker image prune --force --filter label=imcluster.image >/dev/null' EXIT
NODE_COMPILE_CACHE=node_modules/.cache/node-compile-cache node --test --test-reporter=spec test/deploy/*.test.ts
