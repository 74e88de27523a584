// Readiness probe for the local Kafka broker: exits 0 once the broker answers a Metadata request
// and lists at least one live broker. An open port alone is not enough: Kafka binds its listener
// before it has joined the KRaft quorum and can serve requests.
// Speaks the wire protocol directly (Metadata v4, no topics) so that it needs no node_modules.
// v4 is old enough for any 2.x/3.x broker and new enough for Kafka 4, which dropped v0-v3.
// Usage: node kafka-probe.mjs host:port
import net from 'node:net';

const [host, port] = (process.argv[2] ?? '127.0.0.1:9192').split(':');
const clientId = Buffer.from('imcluster-infra-probe');

function metadataRequest() {
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let at = body.writeInt16BE(3, 0); // api key: Metadata
  at = body.writeInt16BE(4, at); // version 4: an empty topic list means "no topics"
  at = body.writeInt32BE(1, at); // correlation id
  at = body.writeInt16BE(clientId.length, at);
  at += clientId.copy(body, at);
  at = body.writeInt32BE(0, at); // topics: none, only the broker list is wanted
  body.writeInt8(0, at); // allow_auto_topic_creation: no
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

function fail(reason) {
  console.error(`kafka not ready: ${reason}`);
  process.exit(1);
}

const socket = net.connect({ host, port: Number(port) });
socket.setTimeout(5000, () => fail('timed out'));
socket.on('error', (err) => fail(err.message));
// Without this, a broker that hangs up without answering would let the process end with code 0.
socket.on('close', () => fail('connection closed before an answer'));
socket.on('connect', () => socket.write(metadataRequest()));

let received = Buffer.alloc(0);
socket.on('data', (chunk) => {
  received = Buffer.concat([received, chunk]);
  if (received.length < 16) return;
  // size (4) | correlation id (4) | throttle time (4) | broker count (4) | ...
  const brokers = received.readInt32BE(12);
  socket.destroy();
  if (brokers < 1) fail('no live broker in metadata');
  console.log(`kafka ready at ${host}:${port}: ${brokers} broker(s)`);
  process.exit(0);
});
