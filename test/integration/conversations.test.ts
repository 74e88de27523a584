import { before } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { conversationScenarios } from '../scenarios/conversations.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, { comets: 2, jobs: 1 });
});

conversationScenarios(() => ({ http: cluster.logics[0]!.http, comets: cluster.comets }));
