import { before } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { socialScenarios } from '../scenarios/social.ts';

const cleanup = fileCleanup();
let node: StandaloneHandle;

before(async () => {
  node = await startStandalone(cleanup, tempDataDir(cleanup));
});

socialScenarios(() => ({ http: node.http, comets: [node] }));
