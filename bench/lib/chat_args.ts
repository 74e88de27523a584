import { int, loopbackUrl, parseFlags } from './args.ts';

export interface ChatOptions {
  pairs: number;
  group: number;
  /** Offered messages per second over all senders of a phase; 0 = closed loop (keep every window full). */
  rate: number;
  /** Messages in flight (sent, not yet answered) per connection at most. */
  inflight: number;
  seconds: number;
  warmupSec: number;
  drainSec: number;
  timeoutSec: number;
  ackEveryMs: number;
  http: URL;
  ws: URL[];
  out: string;
  /** The infrastructure's .infra directory, for its processes' CPU; undefined = the repo's own. */
  infra: string | undefined;
}

export const CHAT_USAGE = `Usage: pnpm bench:chat -- [options]
  --pairs P            one-to-one phase: P pairs of users, each user sends to the other (default 50; 0 skips the phase)
  --group G            group phase: one group of G members, every member sends to it (default 50; 0 skips the phase)
  --rate R             offered messages per second in each phase, all senders together, round-robin;
                       0 = closed loop: every sender keeps its window full (default 200)
  --inflight N         messages in flight per connection at most (sent, no op 5 yet); 1 = each sender
                       waits for the ack of one message before sending the next (default 1)
  --seconds S          how long each phase sends (default 20)
  --warmup S           unmeasured sending before each phase, same rate (default 3; 0 = none)
  --drain S            after sending, wait up to S seconds for the replies and deliveries (default 10)
  --timeout S          a send with no op-5 reply after S seconds counts as timed out (default 10)
  --ack-every MS       receivers acknowledge (op 21) what they hold this often (default 500)
  --http URL           logic's HTTP API (default http://127.0.0.1:3111)
  --ws LIST            comet WebSocket URLs, comma-separated (default ws://127.0.0.1:3102/sub,ws://127.0.0.1:3202/sub)
  --out DIR            where the JSON result goes (default bench/results)
  --infra DIR          the .infra directory of the checkout that runs the infrastructure, to read its
                       processes' CPU (default: this checkout's .infra)`;

const NAMES = ['pairs', 'group', 'rate', 'inflight', 'seconds', 'warmup', 'drain', 'timeout', 'ack-every', 'http', 'ws', 'out', 'infra'] as const;

/** Parses and bounds every option; throws with a message meant for the user. */
export function parseChatOptions(argv: string[]): ChatOptions | 'help' {
  const s = parseFlags(argv, NAMES);
  if (s === 'help') return 'help';
  const pairs = int(s('pairs'), 'pairs', 50, 0, 5000);
  const group = int(s('group'), 'group', 50, 0, 5000);
  if (pairs === 0 && group === 0) throw new Error('--pairs and --group are both 0: nothing to measure');
  return {
    pairs,
    group,
    rate: int(s('rate'), 'rate', 200, 0, 1_000_000),
    inflight: int(s('inflight'), 'inflight', 1, 1, 10_000),
    seconds: int(s('seconds'), 'seconds', 20, 1, 3600),
    warmupSec: int(s('warmup'), 'warmup', 3, 0, 600),
    drainSec: int(s('drain'), 'drain', 10, 0, 600),
    timeoutSec: int(s('timeout'), 'timeout', 10, 1, 600),
    ackEveryMs: int(s('ack-every'), 'ack-every', 500, 10, 60_000),
    http: loopbackUrl(s('http') ?? 'http://127.0.0.1:3111', 'http'),
    ws: (s('ws') ?? 'ws://127.0.0.1:3102/sub,ws://127.0.0.1:3202/sub').split(',').map((u) => loopbackUrl(u.trim(), 'ws')),
    out: s('out') ?? 'bench/results',
    infra: s('infra'),
  };
}
