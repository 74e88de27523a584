import assert from 'node:assert/strict';
import net from 'node:net';
import { it } from 'node:test';
import { Health, Metrics } from '@imcluster/metrics';
import { createCometClient, unary, type DrainReply } from '@imcluster/proto';
import { MemoryRegistry } from '@imcluster/registry';
import { Comet } from '../src/comet.ts';
import { loadCometConfig } from '../src/config.ts';
import { credentials, logger } from './helpers.ts';

it('Drain over gRPC takes the comet out of the registry and out of readiness, stops its listeners, and answers 0 the second time', async (t) => {
  const registry = new MemoryRegistry({ logger });
  const health = new Health();
  const config = loadCometConfig({ IM_MODE: 'standalone', IM_COMET_ID: 'c-drain', IM_COMET_TCP_PORT: '0', IM_COMET_WS_PORT: '0', IM_COMET_GRPC_PORT: '0', IM_COMET_DRAIN_MS: '0' });
  const comet = new Comet(config, { registry, logger, metrics: new Metrics(), health, cluster: credentials });
  const addresses = await comet.start({ metricsAddress: '127.0.0.1:9' });
  const client = createCometClient(addresses.grpc, credentials);
  t.after(async () => {
    client.close();
    await comet.close();
    await registry.close();
  });
  assert.deepEqual((await registry.list('comet')).map((i) => i.addrs.metrics), ['127.0.0.1:9'], 'registered with its metrics address');

  const drain = () => unary<DrainReply>((md, opts, cb) => client.drain({}, md, opts, cb), 5000);
  assert.equal((await drain()).clients, 0);
  assert.deepEqual(await registry.list('comet'), [], 'left the registry');
  const ready = await health.ready();
  assert.equal(ready.ready, false);
  assert.match(ready.checks['comet.draining']!, /^draining/);
  const [host, port] = addresses.tcp.split(':');
  const refused = await new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(port), host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
  assert.ok(refused, 'no longer accepting sockets');
  assert.equal((await drain()).clients, 0, 'a second drain has nothing to do');
});
