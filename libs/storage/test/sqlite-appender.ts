import { once } from 'node:events';
import { SqliteStorage } from '../src/storage.sqlite.ts';

// A separate process of the multi-process SQLite test, started with fork(): its own event loop
// and connection to the file. Takes a job as JSON in argv[2], opens the database, sends 'ready',
// waits for 'go' (so that all processes append at the same time), appends `count` messages of
// `sender` to `conv`, `concurrency` at a time, and sends back the seqs it got and how long it took.

export interface AppenderJob {
  url: string;
  conv: string;
  sender: number;
  count: number;
  concurrency: number;
}

export interface AppenderResult {
  seqs: number[];
  ms: number;
}

const { url, conv, sender, count, concurrency } = JSON.parse(process.argv[2]!) as AppenderJob;
const storage = new SqliteStorage({ url, busyTimeoutMs: 30_000 });
const seqs: number[] = [];
let next = 0;

async function appendSome(): Promise<void> {
  while (next < count) {
    const i = next++;
    const { message } = await storage.appendMessage({ conv, sender, clientMsgId: `p${sender}-${i}`, contentType: 'text', payload: `${sender}/${i}` });
    seqs.push(message.seq);
  }
}

try {
  await storage.lastSeq(conv);
  const go = once(process, 'message');
  process.send!('ready');
  await go;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, appendSome));
  process.send!({ seqs, ms: performance.now() - start } satisfies AppenderResult);
} finally {
  await storage.close();
  process.disconnect!();
}
