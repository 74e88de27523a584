/**
 * Login-flood scenario (issue 10, finding 3): N concurrent logins for unknown names against a
 * running logic, and meanwhile, one after the other (100 ms apart), a socket auth with a valid
 * token on a comet and an authenticated HTTP call, timed; before it, the same probes with no
 * flood, as the baseline. Prints one JSON line: probe latencies (p50, max), logins by status.
 *
 *   pnpm bench:login -- --logins 300 --http http://127.0.0.1:3111 --ws ws://127.0.0.1:3102/sub
 *
 * Registers one user: run against a logic with IM_AUTH_ADDRESS_PER_MIN=0 (as `pnpm cluster:up`
 * does), or the per-address limit answers most logins 429 before they reach the password check.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { decodePackets, encodePacket, Op } from '@imcluster/protocol';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    logins: { type: 'string', default: '300' },
    http: { type: 'string', default: 'http://127.0.0.1:3111' },
    ws: { type: 'string', default: 'ws://127.0.0.1:3102/sub' },
  },
});
const http = values.http;

async function post(path: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Opens a WebSocket, authenticates with `token`; resolves with the time to op 8 and its code. */
async function socketAuth(token: string): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  const ws = new WebSocket(values.ws, { perMessageDeflate: false });
  await once(ws, 'open');
  ws.send(encodePacket({ op: Op.Auth, seq: 1, body: JSON.stringify({ room_id: 'live://bench', token }) }));
  const [data] = (await once(ws, 'message')) as [Buffer];
  const reply = decodePackets(data, 1 << 20).find((p) => p.op === Op.AuthReply);
  ws.close();
  return { ms: performance.now() - started, code: reply ? (JSON.parse(reply.body.toString()) as { code: number }).code : -1 };
}

async function userCall(token: string): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  const res = await fetch(`${http}/api/v1/friends`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return { ms: performance.now() - started, code: res.status };
}

/** Runs the two probes one after the other, 100 ms apart, until `until` settles (or `count` times without it). */
async function probe(token: string, until: Promise<unknown> | undefined, count = 10) {
  let done = until === undefined;
  void until?.finally(() => (done = true));
  const results: { socket: { ms: number; code: number }; call: { ms: number; code: number } }[] = [];
  for (let i = 0; until ? !done : i < count; i++) {
    results.push({ socket: await socketAuth(token), call: await userCall(token) });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stats = (xs: { ms: number; code: number }[]) => {
    const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
    return { n: ms.length, p50: Math.round(ms[Math.floor(ms.length / 2)] ?? 0), max: Math.round(ms.at(-1) ?? 0), failed: xs.filter((x) => x.code !== 0 && x.code !== 200).length };
  };
  return { socketAuth: stats(results.map((r) => r.socket)), userCall: stats(results.map((r) => r.call)) };
}

const name = `flood${Date.now().toString(36)}`;
const registered = await post('/api/v1/users', { name, password: 'bench-password' });
if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
const { token } = (await registered.json()) as { token: string };

const baseline = await probe(token, undefined);
const started = performance.now();
const logins = Promise.all(
  Array.from({ length: Number(values.logins) }, (_, i) => post('/api/v1/login', { name: `${name}-nobody-${i}`, password: 'not-the-password' }).then((r) => r.status)),
);
const during = await probe(token, logins);
const statuses = await logins;
const byStatus: Record<string, number> = {};
for (const s of statuses) byStatus[s] = (byStatus[s] ?? 0) + 1;
console.log(JSON.stringify({ logins: statuses.length, floodMs: Math.round(performance.now() - started), byStatus, baseline, during }));
