import { before } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { conversationScenarios } from '../scenarios/conversations.ts';

const cleanup = fileCleanup();
let node: StandaloneHandle;

before(async () => {
  node = await startStandalone(cleanup, tempDataDir(cleanup));
});

conversationScenarios(() => ({ http: node.http, comets: [node] }));
