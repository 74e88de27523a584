# Kafka for docker-compose.yml: one KRaft process that is broker and controller, Java 17 from
# Debian bookworm, the broker's jars from Maven Central (the POM scripts/infra uses, so the version
# is the one the tests run against). kafka-start.sh writes the configuration from KAFKA_* variables
# and formats the data folder on the first start. Data in /data.
# Build context: the repository root.
ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS jars
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates maven \
 && rm -rf /var/lib/apt/lists/*
# Certificates to trust besides Debian's (PEM), for builds behind a TLS-inspecting proxy.
ARG EXTRA_CA_CERTS=""
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" | awk '/BEGIN CERT/ { n++ } { print > ("/usr/local/share/ca-certificates/extra-" n ".crt") }' \
      && update-ca-certificates; \
    fi
COPY scripts/infra/kafka/pom.xml /build/pom.xml
RUN mvn -B -q -f /build/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory=/opt/kafka/libs \
 && rm -rf /root/.m2

FROM ${DEBIAN_IMAGE}
# The JRE's post-install step wants a man folder that slim images leave out.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /opt/kafka --shell /usr/sbin/nologin kafka \
 && install -d -o kafka -g kafka /data /opt/kafka/config
COPY --from=jars /opt/kafka/libs /opt/kafka/libs
COPY deploy/infra/kafka-start.sh /usr/local/bin/kafka-start
USER kafka
EXPOSE 9092 9093
CMD ["kafka-start"]
