import { before } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { e2eScenarios } from '../scenarios/e2e.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, { comets: 2, jobs: 1 });
});

e2eScenarios(() => ({ http: cluster.logics[0]!.http, comets: cluster.comets }));
