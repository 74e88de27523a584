#!/bin/sh
# Entry point of deploy/infra/kafka.Dockerfile: writes server.properties from the environment,
# formats /data on the first start (KRaft refuses an unformatted log folder), then runs the broker.
#   KAFKA_CLUSTER_ID   22 characters of URL-safe base64 (16 bytes); fixed, so restarts reuse /data
#   KAFKA_NODE_ID, KAFKA_LISTENERS, KAFKA_ADVERTISED_LISTENERS, KAFKA_CONTROLLER_QUORUM_VOTERS
#   KAFKA_HEAP         JVM heap (default 512m)
set -eu
: "${KAFKA_CLUSTER_ID:?set KAFKA_CLUSTER_ID}"
config=/opt/kafka/config/server.properties
cat >"$config" <<PROPS
process.roles=broker,controller
node.id=${KAFKA_NODE_ID:-1}
controller.quorum.voters=${KAFKA_CONTROLLER_QUORUM_VOTERS:-1@localhost:9093}
listeners=${KAFKA_LISTENERS:-PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093}
advertised.listeners=${KAFKA_ADVERTISED_LISTENERS:-PLAINTEXT://kafka:9092}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# The services create their topic with IM_KAFKA_PARTITIONS partitions; a typo must not create one.
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
PROPS
cat >/opt/kafka/config/log4j.properties <<'PROPS'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
PROPS
heap="${KAFKA_HEAP:-512m}"
set -- "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
  -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties -cp '/opt/kafka/libs/*'
if [ ! -s /data/meta.properties ]; then
  java "$@" kafka.tools.StorageTool format -t "$KAFKA_CLUSTER_ID" -c "$config"
fi
exec java "$@" kafka.Kafka "$config"
