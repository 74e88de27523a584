import { before } from 'node:test';
import { fileCleanup } from '../../../../test/helpers/cleanup.ts';
import { startStandalone, tempDataDir } from '../../../../test/helpers/standalone.ts';
import type { Servers } from './helpers.ts';
import { clientScenarios } from './scenarios.ts';

const cleanup = fileCleanup();
let servers: Servers;

before(async () => {
  const node = await startStandalone(cleanup, tempDataDir(cleanup));
  servers = { http: `http://${node.http}`, ws: [node.ws], tcp: [node.tcp] };
});

clientScenarios(() => servers, cleanup);
