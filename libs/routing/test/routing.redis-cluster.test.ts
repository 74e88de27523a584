// The routing contract on a Redis Cluster, to prove no command or transaction crosses hash slots.
// Opt-in: set IM_REDIS_CLUSTER_NODES=host:port[,host:port...] (any nodes of a running cluster).
import { after, describe, type TestContext } from 'node:test';
import { Cluster } from 'ioredis';
import { RedisRouting } from '../src/routing.redis.ts';
import { namespacePattern } from '../src/keys.ts';
import { routingContract } from './routing.contract.ts';
import { randomNamespace } from './helpers.ts';

const seeds = (process.env.IM_REDIS_CLUSTER_NODES ?? '').split(',').filter(Boolean);
const nodes = seeds.map((hostPort) => {
  const [host = '127.0.0.1', port = '6379'] = hostPort.split(':');
  return { host, port: Number(port) };
});

if (nodes.length === 0) {
  describe('Routing contract: redis cluster', { skip: 'set IM_REDIS_CLUSTER_NODES to run against a Redis Cluster' }, () => undefined);
} else {
  // The test's own client, to clean up; each routing creates its client from the seeds, as services do.
  const cluster = new Cluster(nodes);
  after(() => cluster.quit());

  const deleteNamespace = async (namespace: string): Promise<void> => {
    for (const node of cluster.nodes('master')) {
      for await (const keys of node.scanStream({ match: namespacePattern(namespace), count: 1_000 })) {
        await Promise.all((keys as string[]).map((key) => cluster.unlink(key)));
      }
    }
  };

  routingContract('redis cluster', async (t: TestContext, { ttlSec, reportTtlSec }) => {
    const namespace = randomNamespace();
    // The contract is about what the tables hold; a loaded machine may exceed the production deadline.
    const routing = new RedisRouting({ redis: { clusterNodes: seeds }, namespace, ttlSec, timeoutMs: 60_000, ...(reportTtlSec ? { reportTtlSec } : {}) });
    t.after(async () => {
      await routing.close();
      await deleteNamespace(namespace);
    });
    return routing;
  });
}
