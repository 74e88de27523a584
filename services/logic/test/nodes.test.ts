import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpContext } from '../src/http/context.ts';
import { nodes } from '../src/http/goim_routes.ts';

/** The node list of a logic whose registry holds these comets. */
function nodesOf(...addrs: Record<string, string>[]) {
  const instances = addrs.map((a, i) => ({ id: `comet-${i + 1}`, service: 'comet', addrs: a }));
  return nodes({ comets: { instances }, config: { heartbeatSec: 300 } } as unknown as HttpContext).nodes;
}

describe('node lists hand clients the public addresses', () => {
  it('uses the public TCP address and WebSocket URL a comet registered, else its advertised ones', () => {
    const internal = { tcp: '10.1.2.3:3101', ws: '10.1.2.3:3102', grpc: '10.1.2.3:3109' };
    const [published, plain] = nodesOf({ ...internal, publicTcp: 'tcp.example.com:3101', publicWs: 'wss://im.example.com/sub' }, internal);
    assert.deepEqual(published, { id: 'comet-1', tcp: 'tcp.example.com:3101', ws: 'wss://im.example.com/sub', tls: false, weight: 1 });
    assert.deepEqual(plain, { id: 'comet-2', tcp: '10.1.2.3:3101', ws: 'ws://10.1.2.3:3102/sub', tls: false, weight: 1 });
  });
});
