# etcd for docker-compose.yml: Debian bookworm's etcd-server (3.4) and etcdctl. Configured through
# etcd's own ETCD_* variables (the compose file sets them). Data in /data.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends etcd-server etcd-client \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o etcd -g etcd -m 700 /data
USER etcd
ENV ETCD_DATA_DIR=/data
EXPOSE 2379 2380
ENTRYPOINT ["etcd"]
