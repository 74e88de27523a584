import { before } from 'node:test';
import { fileCleanup } from '../../../../test/helpers/cleanup.ts';
import { TestCluster } from '../../../../test/helpers/cluster.ts';
import type { Servers } from './helpers.ts';
import { clientScenarios } from './scenarios.ts';

const cleanup = fileCleanup();
let servers: Servers;

before(async () => {
  const cluster = await TestCluster.start(cleanup, { comets: 2, jobs: 1 });
  servers = { http: cluster.http, ws: cluster.comets.map((c) => c.ws), tcp: cluster.comets.map((c) => c.tcp) };
});

clientScenarios(() => servers, cleanup);
