import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { infraDefaults } from '@imcluster/common';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestClient } from '../helpers/client.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { PrivateKafka } from '../helpers/kafka.ts';
import { probe } from '../helpers/metrics.ts';
import { eventually } from '../helpers/processes.ts';
import { TcpProxy } from '../helpers/proxy.ts';

const cleanup = fileCleanup();

/** Waits until /readyz answers `status` with exactly these failing checks; returns the body. */
function readyz(address: string, status: 200 | 503, failing: string[], what: string) {
  return eventually(
    async () => {
      const answer = await probe(address, '/readyz');
      return answer.status === status && JSON.stringify(answer.body.failing) === JSON.stringify(failing) ? answer.body : undefined;
    },
    what,
    30_000,
    250,
  );
}

const hostPort = (url: string) => new URL(url).host;

describe('logic /readyz follows its dependencies, each reached through a proxy the test cuts and restores', () => {
  it('MySQL, Redis and etcd in turn: 503 naming the one that is down, 200 again when it is back, no restart', async () => {
    const mysql = await TcpProxy.start(cleanup, hostPort(process.env.IM_MYSQL_URL ?? infraDefaults.mysqlUrl));
    const redis = await TcpProxy.start(cleanup, hostPort(process.env.IM_REDIS_URL ?? infraDefaults.redisUrl));
    const etcd = await TcpProxy.start(cleanup, hostPort(process.env.IM_ETCD_ENDPOINTS?.split(',')[0] ?? infraDefaults.etcdEndpoints));
    const mysqlUrl = new URL(process.env.IM_MYSQL_URL ?? infraDefaults.mysqlUrl);
    mysqlUrl.port = String(mysql.port);
    const cluster = await TestCluster.start(cleanup, {
      logics: 1,
      comets: 0,
      env: { IM_MYSQL_URL: mysqlUrl.toString(), IM_REDIS_URL: `redis://127.0.0.1:${redis.port}`, IM_ETCD_ENDPOINTS: `http://127.0.0.1:${etcd.port}` },
    });
    const logic = cluster.logics[0]!;
    await readyz(logic.http, 200, [], 'logic ready');

    mysql.cut();
    const down = await readyz(logic.http, 503, ['logic.storage'], 'storage reported down');
    assert.notEqual(down.checks!['logic.storage'], 'ok');
    mysql.restore();
    await readyz(logic.http, 200, [], 'ready again after MySQL returned');

    redis.cut();
    await readyz(logic.http, 503, ['logic.routing'], 'routing reported down');
    redis.restore();
    await readyz(logic.http, 200, [], 'ready again after Redis returned');

    etcd.cut();
    await readyz(logic.http, 503, ['logic.registry'], 'registration reported lost');
    etcd.restore();
    await readyz(logic.http, 200, [], 'ready again after etcd returned');
    assert.ok(logic.process.alive, 'logic was not restarted');
    assert.equal((await probe(logic.http, '/healthz')).status, 200, 'alive throughout');
  });
});

describe('comet /readyz', () => {
  it('is 503 without a logic instance, 200 with one, and 503 while draining', async () => {
    const cluster = await TestCluster.start(cleanup, { logics: 0, comets: 0, env: { IM_COMET_DRAIN_MS: '6000' } });
    const comet = await cluster.addComet();
    await readyz(comet.metrics, 503, ['comet.logic'], 'comet without logic');
    await cluster.addLogic();
    await readyz(comet.metrics, 200, [], 'comet with logic');

    // Sixty anonymous viewers: the drain tells one every 50 ms, so it lasts about 3 s.
    const viewers = await Promise.all(Array.from({ length: 60 }, () => TestClient.ws(comet.ws)));
    await Promise.all(viewers.map((v) => v.auth({ room_id: 'live://drain' })));
    comet.process.kill('SIGTERM');
    const draining = await readyz(comet.metrics, 503, ['comet.draining', 'comet.registry'], 'draining comet not ready');
    assert.match(draining.checks!['comet.draining']!, /draining/);
    assert.equal(await comet.process.exited, 0);
  });
});

describe('job /readyz', () => {
  it('is 503 while no comet is registered and 200 once one is, holding its partitions', async () => {
    const cluster = await TestCluster.start(cleanup, { logics: 1, comets: 0 });
    const job = await cluster.addJob();
    const address = String((await job.ready()).metrics);
    await readyz(address, 503, ['job.comets'], 'job without comets');
    await cluster.addComet();
    const ready = await readyz(address, 200, [], 'job with a comet');
    assert.equal(ready.checks!['job.partitions'], 'ok');
  });
});

describe('/readyz follows Kafka, a private broker the test stops and starts again', () => {
  it('logic reports logic.queue and job reports job.partitions while it is down; both ready again after, no restart', async () => {
    const kafka = await PrivateKafka.start(cleanup);
    const cluster = await TestCluster.start(cleanup, { logics: 1, comets: 1, jobs: 1, env: { IM_KAFKA_BROKERS: kafka.brokers } });
    const logic = cluster.logics[0]!;
    const job = cluster.jobs[0]!;
    const jobAddress = String((await job.ready()).metrics);
    await readyz(logic.http, 200, [], 'logic ready');
    await readyz(jobAddress, 200, [], 'job ready, holding its partitions');

    await kafka.stop();
    const down = await readyz(logic.http, 503, ['logic.queue'], 'queue reported down');
    assert.notEqual(down.checks!['logic.queue'], 'ok');
    await readyz(jobAddress, 503, ['job.partitions'], 'job without its partitions');

    await kafka.start();
    await readyz(logic.http, 200, [], 'logic ready again after Kafka returned');
    await readyz(jobAddress, 200, [], 'job holds its partitions again');
    assert.ok(logic.process.alive, 'logic was not restarted');
    assert.ok(job.alive, 'job was not restarted');
  });
});
