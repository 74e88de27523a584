import { ClientError } from './errors.ts';

interface WeightedNodes {
  code: number;
  data?: { nodes?: { id: string; tcp?: string; ws?: string; weight?: number }[]; heartbeat?: number };
}

export interface Discovered {
  urls: string[];
  /** The server's heartbeat timeout, ms, when logic reports it. */
  serverHeartbeatMs?: number;
}

/**
 * Comet addresses from logic's `GET /goim/nodes/weighted` (goim's node list): the `ws` URLs for a
 * WebSocket transport, the `tcp` addresses for TCP. Logic lists only registered comets, so a
 * draining one has already left the list.
 */
export async function discover(logicUrl: string, kind: 'ws' | 'tcp'): Promise<Discovered> {
  let answer: WeightedNodes;
  try {
    const res = await fetch(`${logicUrl.replace(/\/+$/, '')}/goim/nodes/weighted`);
    answer = (await res.json()) as WeightedNodes;
  } catch (error) {
    throw new ClientError('DISCOVERY_FAILED', `node list not available: ${String(error)}`);
  }
  const urls = (answer.data?.nodes ?? []).flatMap((node) => node[kind] ?? []);
  if (answer.code !== 0 || urls.length === 0) throw new ClientError('DISCOVERY_FAILED', `no ${kind} comet in the node list`);
  const heartbeat = answer.data?.heartbeat;
  return { urls, ...(heartbeat ? { serverHeartbeatMs: heartbeat * 1000 } : {}) };
}
