import { createCometClient, unary, type StatsReply } from '@imcluster/proto';
import { CLUSTER_SECRET } from './cluster.ts';

/** Reads a comet's counters over its gRPC Stats call. */
export async function cometStats(grpcAddress: string): Promise<StatsReply> {
  const client = createCometClient(grpcAddress, { secret: CLUSTER_SECRET });
  try {
    return await unary<StatsReply>((md, opts, cb) => client.stats({}, md, opts, cb), 5000);
  } finally {
    client.close();
  }
}
