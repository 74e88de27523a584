import { before } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { e2eScenarios } from '../scenarios/e2e.ts';

const cleanup = fileCleanup();
let node: StandaloneHandle;

before(async () => {
  node = await startStandalone(cleanup, tempDataDir(cleanup));
});

e2eScenarios(() => ({ http: node.http, comets: [node] }));
