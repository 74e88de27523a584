import { before } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { chatScenarios } from '../scenarios/chat.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, { comets: 2, jobs: 2, env: { IM_CHAT_RESEND_SCHEDULE_MS: '1000,1000,1000' } });
});

chatScenarios(() => ({ http: cluster.logics[0]!.http, comets: cluster.comets }));
