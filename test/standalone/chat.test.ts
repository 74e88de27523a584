import { before } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { chatScenarios } from '../scenarios/chat.ts';

const cleanup = fileCleanup();
let node: StandaloneHandle;

before(async () => {
  node = await startStandalone(cleanup, tempDataDir(cleanup), { IM_CHAT_RESEND_SCHEDULE_MS: '1000,1000,1000' });
});

chatScenarios(() => ({ http: node.http, comets: [node] }));
