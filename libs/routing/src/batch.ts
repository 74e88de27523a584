import { ReplyError, type Cluster, type Redis } from 'ioredis';
import { toRoutingError } from './errors.ts';

export type RedisClient = Redis | Cluster;

/** One Redis command as name and arguments; each touches a single key. */
export type Command = [name: string, ...args: (string | number)[]];

/** Commands per pipeline, so a comet refreshing 100k connections sends several moderate writes. */
const chunkSize = 2_000;

/**
 * Runs commands and returns their replies in order; throws the first command error, a
 * RoutingError (UNAVAILABLE) when Redis could not serve.
 *
 * Every chunk is handed to ioredis in the same tick, none waits for another: the commands of one
 * call reach each Redis connection in call order and before those of any later call. That is what
 * lets a comet rely on "refresh, then changeRoom" applying in that order.
 *
 * Standalone Redis: one explicit pipeline per chunk. Redis Cluster: ioredis rejects an explicit
 * pipeline whose keys live on different nodes, so each command goes on its own and ioredis routes
 * it by slot; with `enableAutoPipelining` on the Cluster client they still leave as one write per
 * node per tick.
 */
export async function runBatch(redis: RedisClient, commands: Command[]): Promise<unknown[]> {
  const chunks: Promise<unknown[]>[] = [];
  for (let i = 0; i < commands.length; i += chunkSize) {
    const chunk = commands.slice(i, i + chunkSize);
    chunks.push(redis.isCluster ? oneByOne(redis as Cluster, chunk) : pipelined(redis, chunk));
  }
  try {
    return (await Promise.all(chunks)).flat();
  } catch (error) {
    throw toRoutingError(error, commands[0]?.[0] ?? 'batch');
  }
}

async function pipelined(redis: RedisClient, chunk: Command[]): Promise<unknown[]> {
  const results = await redis.pipeline(chunk).exec();
  if (!results) throw new Error('redis pipeline was discarded');
  return results.map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}

function oneByOne(redis: Cluster, chunk: Command[]): Promise<unknown[]> {
  return Promise.all(chunk.map((command) => callFollowingMoves(redis, command)));
}

/**
 * ioredis follows a MOVED reply inside an automatic pipeline only when every failed command of
 * that pipeline got the same reply. After a failover one pipeline carries keys of many slots, so
 * each command fails with its own MOVED and the slot map is never refreshed: every later command
 * for those slots goes to the old node again. Refresh the map and send the command once more.
 */
async function callFollowingMoves(redis: Cluster, [name, ...args]: Command): Promise<unknown> {
  try {
    return await redis.call(name, ...args);
  } catch (error) {
    if (!(error instanceof ReplyError) || !(error as Error).message.startsWith('MOVED ')) throw error;
    await new Promise<void>((resolve) => redis.refreshSlotsCache(() => resolve()));
    return redis.call(name, ...args);
  }
}
