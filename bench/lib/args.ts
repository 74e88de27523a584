import { parseArgs } from 'node:util';
import type { CometAddr, Transport } from './ipc.ts';
import { localSecret } from './secrets.ts';

/** Open files are capped at 20,000 per process here; leave room for the process's own files. */
export const MAX_CONNS_PER_CLIENT = 9000;

export interface FanoutOptions {
  conns: number;
  rooms: number;
  rate: number;
  seconds: number;
  transport: Transport | 'mix';
  clients: number;
  http: URL;
  comets: CometAddr[];
  apiKey: string;
  operation: number;
  size: number;
  pushConcurrency: number;
  connectConcurrency: number;
  connectTimeoutSec: number;
  drainSec: number;
  heartbeatSec: number;
  idleSec: number;
  out: string;
}

export const USAGE = `Usage: pnpm bench:fanout -- [options]
  --conns N            client connections to open (default 1000)
  --rooms R            rooms live://bench-0 .. bench-(R-1), connections spread evenly (default 1)
  --rate M             room pushes per second, all rooms together, round-robin (default 10)
  --seconds S          how long to push (default 10)
  --transport T        tcp | ws | mix (default mix: half of each)
  --clients K          client processes (default ceil(N/8000); at most ${MAX_CONNS_PER_CLIENT} connections each)
  --http URL           logic's HTTP API (default http://127.0.0.1:3111)
  --comets LIST|N      host:tcpPort:wsPort,... (default 127.0.0.1:3101:3102,127.0.0.1:3201:3202), or N: the
                       first N comets of pnpm cluster:up (IM_CLUSTER_COMETS=N)
  --api-key KEY        push API key (default $IM_API_KEY, else the local cluster's in .cluster/secrets.env)
  --operation OP       business operation of the pushes (default 1000)
  --size B             push body bytes, at least 16 (default 16)
  --push-concurrency C HTTP push requests in flight at most (default 64)
  --connect-concurrency C  connection attempts in flight at most, all processes (default 1000)
  --connect-timeout S  give up on a connection not authenticated after S seconds (default 20)
  --drain S            after pushing, wait up to S seconds for deliveries to arrive (default 5)
  --heartbeat S        heartbeat period per connection (default 60)
  --idle S             after connecting, hold the connections S seconds with heartbeats only before
                       pushing; the process table gets an idle CPU column (default 0)
  --out DIR            where the JSON result goes (default bench/results)`;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/;

/** An integer option within [min, max], or the fallback when absent; throws a message for the user. */
export function int(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}], got ${value}`);
  return n;
}

export function loopback(host: string, what: string): string {
  if (!LOOPBACK.test(host)) throw new Error(`${what}: only loopback addresses are allowed, got ${host}`);
  return host;
}

/** A list, or a count N: the first N comets of `pnpm cluster:up` (comet i on ports 3i01 and 3i02). */
function parseComets(list: string): CometAddr[] {
  if (/^\d+$/.test(list)) {
    const count = int(list, 'comets', 2, 1, 50);
    return Array.from({ length: count }, (_, i) => ({ host: '127.0.0.1', tcpPort: 3101 + 100 * i, wsPort: 3102 + 100 * i }));
  }
  return list.split(',').map((item) => {
    const match = /^(.+):(\d+):(\d+)$/.exec(item.trim());
    if (!match) throw new Error(`--comets: expected host:tcpPort:wsPort, got ${item}`);
    return { host: loopback(match[1]!, '--comets'), tcpPort: Number(match[2]), wsPort: Number(match[3]) };
  });
}

function parseTransport(value: string | undefined): Transport | 'mix' {
  const t = value ?? 'mix';
  if (t !== 'tcp' && t !== 'ws' && t !== 'mix') throw new Error(`--transport must be tcp, ws or mix, got ${t}`);
  return t;
}

const STRING_OPTIONS = [
  'conns', 'rooms', 'rate', 'seconds', 'transport', 'clients', 'http', 'comets', 'api-key', 'operation', 'size',
  'push-concurrency', 'connect-concurrency', 'connect-timeout', 'drain', 'heartbeat', 'idle', 'out',
] as const;

/**
 * The bench scripts' common parser: every option takes a value except `--help`/`-h`. Returns a
 * getter of the raw values, or 'help'; unknown options throw.
 */
export function parseFlags(argv: string[], names: readonly string[]): ((name: string) => string | undefined) | 'help' {
  // pnpm passes a literal "--" through to the script: it separates nothing here.
  const args = argv.filter((a) => a !== '--');
  const options = Object.fromEntries([...names.map((o) => [o, { type: 'string' }]), ['help', { type: 'boolean', short: 'h' }]]);
  const { values: v } = parseArgs({ args, options, strict: true }) as { values: Record<string, string | boolean | undefined> };
  if (v.help) return 'help';
  return (name) => v[name] as string | undefined;
}

/** A loopback http(s) URL; throws a message for the user. */
export function loopbackUrl(value: string, name: string): URL {
  const url = new URL(value);
  loopback(url.hostname, `--${name}`);
  return url;
}

/** Parses and bounds every option; throws with a message meant for the user. */
export function parseOptions(argv: string[]): FanoutOptions | 'help' {
  const s = parseFlags(argv, STRING_OPTIONS);
  if (s === 'help') return 'help';
  const conns = int(s('conns'), 'conns', 1000, 1, 200_000);
  const clients = int(s('clients'), 'clients', Math.ceil(conns / 8000), 1, 64);
  if (Math.ceil(conns / clients) > MAX_CONNS_PER_CLIENT) throw new Error(`--clients ${clients} would put more than ${MAX_CONNS_PER_CLIENT} connections in one process`);
  const http = loopbackUrl(s('http') ?? 'http://127.0.0.1:3111', 'http');
  return {
    conns,
    rooms: int(s('rooms'), 'rooms', 1, 1, conns),
    rate: int(s('rate'), 'rate', 10, 1, 100_000),
    seconds: int(s('seconds'), 'seconds', 10, 1, 3600),
    transport: parseTransport(s('transport')),
    clients,
    http,
    comets: parseComets(s('comets') ?? '127.0.0.1:3101:3102,127.0.0.1:3201:3202'),
    apiKey: s('api-key') ?? localSecret('IM_API_KEY') ?? 'imcluster-dev-api-key',
    operation: int(s('operation'), 'operation', 1000, 1000, 0xffffffff),
    size: int(s('size'), 'size', 16, 16, 32 * 1024),
    pushConcurrency: int(s('push-concurrency'), 'push-concurrency', 64, 1, 1024),
    connectConcurrency: int(s('connect-concurrency'), 'connect-concurrency', 1000, 1, 10_000),
    connectTimeoutSec: int(s('connect-timeout'), 'connect-timeout', 20, 1, 600),
    drainSec: int(s('drain'), 'drain', 5, 0, 600),
    heartbeatSec: int(s('heartbeat'), 'heartbeat', 60, 1, 3600),
    idleSec: int(s('idle'), 'idle', 0, 0, 3600),
    out: s('out') ?? 'bench/results',
  };
}
