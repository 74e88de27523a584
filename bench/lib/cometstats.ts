import { createCometClient, unary, type CometClient, type StatsReply } from '@imcluster/proto';
import { localSecret } from './secrets.ts';

/** The comet's own counters (its gRPC Stats call), as numbers. */
export interface CometCounters {
  connections: number;
  roomBatches: number;
  roomMessages: number;
  /** Key pushes received (user and connection pushes: chat deliveries, receipts, notices). */
  keyPushes: number;
  framesDropped: number;
  slowDisconnects: number;
}

interface Instance {
  id: string;
  tcp: string;
  grpc: string;
}

const CALL_TIMEOUT_MS = 3000;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/;

/** Comets registered with logic (goim's /goim/nodes/instances, an operator route), loopback ones only. */
async function instances(http: URL): Promise<Instance[]> {
  const headers = { authorization: `Bearer ${localSecret('IM_API_KEY') ?? ''}` };
  const res = await fetch(new URL('/goim/nodes/instances', http), { headers, signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { data?: { id: string; addrs?: { tcp?: string; grpc?: string } }[] };
  return (body.data ?? [])
    .map((i) => ({ id: i.id, tcp: i.addrs?.tcp ?? '', grpc: i.addrs?.grpc ?? '' }))
    .filter((i) => LOOPBACK.test(i.grpc));
}

function toCounters(reply: StatsReply): CometCounters {
  return {
    connections: Number(reply.connections ?? 0),
    roomBatches: Number(reply.roomBatches ?? 0),
    roomMessages: Number(reply.roomMessages ?? 0),
    keyPushes: Number(reply.keyPushes ?? 0),
    framesDropped: Number(reply.framesDropped ?? 0),
    slowDisconnects: Number(reply.slowDisconnects ?? 0),
  };
}

/**
 * Reads the comets' counters before and after the push window, so that what the clients counted
 * can be set against what the comets say they did (batches received, frames dropped as slow).
 * Best effort: a comet that does not answer is reported as null, never fails the run.
 */
export class CometProbe {
  readonly #clients = new Map<string, CometClient>();

  static async open(http: URL): Promise<CometProbe> {
    const probe = new CometProbe();
    const credentials = { secret: localSecret('IM_CLUSTER_SECRET') ?? '' };
    try {
      for (const i of await instances(http)) probe.#clients.set(i.id, createCometClient(i.grpc, credentials));
    } catch {
      // no comet list: the report simply has no comet counters
    }
    return probe;
  }

  async snapshot(): Promise<Record<string, CometCounters | null>> {
    const entries = await Promise.all(
      [...this.#clients].map(async ([id, client]) => {
        try {
          const reply = await unary<StatsReply>((md, opts, cb) => client.stats({}, md, opts, cb), CALL_TIMEOUT_MS);
          return [id, toCounters(reply)] as const;
        } catch {
          return [id, null] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
  }
}

/** after - before, per comet and counter (connections: the value after). */
export function counterDelta(before: Record<string, CometCounters | null>, after: Record<string, CometCounters | null>): Record<string, CometCounters | null> {
  const out: Record<string, CometCounters | null> = {};
  for (const [id, a] of Object.entries(after)) {
    const b = before[id];
    out[id] = a && b
      ? {
          connections: a.connections,
          roomBatches: a.roomBatches - b.roomBatches,
          roomMessages: a.roomMessages - b.roomMessages,
          keyPushes: a.keyPushes - b.keyPushes,
          framesDropped: a.framesDropped - b.framesDropped,
          slowDisconnects: a.slowDisconnects - b.slowDisconnects,
        }
      : null;
  }
  return out;
}
