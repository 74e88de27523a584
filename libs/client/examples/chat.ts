// A chat in the terminal, on @imcluster/client. With a standalone node running (`pnpm start`):
//
//   node libs/client/examples/chat.ts --name alice --to bob
//   node libs/client/examples/chat.ts --name bob --to alice      (another terminal)
//
// Each user is registered on first use (the password defaults to "<name>-password"). Type a line
// to send it; /history shows older messages; /quit or Ctrl-D leaves.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createClient, directConversation, type ChatMessage } from '@imcluster/client/node';

const { values: args } = parseArgs({
  options: {
    logic: { type: 'string', default: 'http://127.0.0.1:3111' },
    name: { type: 'string' },
    password: { type: 'string' },
    to: { type: 'string' },
    device: { type: 'string', default: 'terminal' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help || !args.name || !args.to) {
  console.log('usage: chat.ts --name <you> --to <other user> [--password <pw>] [--logic http://127.0.0.1:3111] [--device <id>]');
  process.exit(args.help ? 0 : 2);
}

async function api<T>(method: string, path: string, body?: object, token?: string): Promise<{ status: number; json: T }> {
  const res = await fetch(`${args.logic}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as T };
}

/** Logs in, or registers the name on first use. */
async function signIn(name: string, password: string): Promise<{ id: number; token: string }> {
  const login = await api<{ id: number; token: string }>('POST', '/api/v1/login', { name, password });
  if (login.status === 200) return login.json;
  const registered = await api<{ id: number; token: string; message?: string }>('POST', '/api/v1/users', { name, password });
  if (registered.status !== 201) throw new Error(`cannot sign in as ${name}: ${registered.json.message}`);
  return registered.json;
}

/** The other user's id; waits for them to sign in for the first time. */
async function find(name: string, token: string): Promise<number> {
  for (let said = false; ; said = true) {
    const found = await api<{ id: number }>('GET', `/api/v1/users?name=${encodeURIComponent(name)}`, undefined, token);
    if (found.status === 200) return found.json.id;
    if (!said) console.log(`* waiting for ${name} to sign in`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const me = await signIn(args.name, args.password ?? `${args.name}-password`);
const peerId = await find(args.to, me.token);
const conv = directConversation(me.id, peerId);
const names = new Map([[me.id, args.name], [peerId, args.to]]);
const show = (m: ChatMessage) => console.log(`  [${m.seq}] ${names.get(m.from) ?? m.from}: ${m.recalled ? '(recalled)' : m.payload}`);

const client = createClient({ discovery: args.logic, token: me.token, deviceId: args.device });
client.on('connected', (e) => console.log(`* connected to ${e.url} as ${args.name} (#${me.id})`));
client.on('disconnected', (e) => console.log(`* disconnected (${e.code} ${e.reason})${e.willReconnect ? '' : ', giving up'}`));
client.on('reconnecting', (e) => console.log(`* reconnecting in ${e.delayMs} ms (attempt ${e.attempt})`));
client.on('message', (m) => {
  if (m.conv !== conv) return;
  show(m);
  if (m.from !== me.id) client.chat.markRead(conv, m.seq);
});
client.on('receipt', (r) => r.conv === conv && r.reader !== me.id && console.log(`* ${args.to} read up to ${r.seq}`));
client.on('recalled', (r) => r.conv === conv && console.log(`* message ${r.seq} was recalled`));
await client.connect();

let oldest: number | undefined;
async function history(): Promise<void> {
  const page = await client.chat.history(conv, { limit: 10, ...(oldest ? { before: oldest } : {}) });
  if (page.messages.length === 0) return console.log('* no older messages');
  console.log('* history:');
  page.messages.forEach(show);
  oldest = page.messages[0]!.seq;
}

const input = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
console.log(`* chatting with ${args.to}: type a message, /history, /quit`);
for await (const line of input) {
  const text = line.trim();
  if (text === '/quit') break;
  if (text === '/history') await history().catch((e: Error) => console.log(`* ${e.message}`));
  else if (text) client.chat.send({ type: 'user', id: peerId }, text).catch((e: Error & { code?: string }) => console.log(`* not sent (${e.code}): ${e.message}`));
}
client.close();
