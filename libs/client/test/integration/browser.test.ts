import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fileCleanup } from '../../../../test/helpers/cleanup.ts';
import { repoRoot } from '../../../../test/helpers/processes.ts';
import { startStandalone, tempDataDir } from '../../../../test/helpers/standalone.ts';
import { bundleBrowser } from '../../build.ts';
import { directConversation } from '../../src/node.ts';
import { client, inConv, newUser, post, record, waitFor, type Servers } from './helpers.ts';

// The bundled browser entry, loaded by a page in Debian's Chromium (installed by scripts/browser.sh,
// never downloaded by Playwright), talking to a standalone node next to a Node client.
const cleanup = fileCleanup();
let servers: Servers;
let page: Page;

/** Serves a page that imports the bundle and exposes it as `window.sdk`. */
async function servePage(bundle: string): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/sdk.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module">import * as sdk from "/sdk.js"; window.sdk = sdk;</script>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

before(async () => {
  const install = spawnSync('bash', ['scripts/browser.sh'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  assert.equal(install.status, 0, 'scripts/browser.sh failed');
  const executablePath = install.stdout.trim().split('\n').at(-1)!;
  const [node, bundle] = await Promise.all([startStandalone(cleanup, tempDataDir(cleanup)), bundleBrowser()]);
  servers = { http: `http://${node.http}`, ws: [node.ws], tcp: [node.tcp] };
  const browser: Browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--headless=new'] });
  cleanup.after(() => browser.close());
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(await servePage(bundle.code));
  await page.waitForFunction(() => 'sdk' in window);
});

it('chats between the bundled SDK in Chromium and a Node client, both ways, in order', async () => {
  const [web, nodeUser] = [await newUser(servers), await newUser(servers)];
  const n = client(cleanup, servers, { token: nodeUser.token, transport: 'tcp' });
  const en = record(n);
  await n.connect();
  const conv = directConversation(web.id, nodeUser.id);

  const connected = await page.evaluate(
    async ({ url, token }) => {
      const w = window as unknown as { sdk: typeof import('../../src/index.ts'); c: import('../../src/index.ts').ImClient; got: unknown[] };
      w.got = [];
      w.c = w.sdk.createClient({ urls: [url], token, deviceId: 'chromium', chat: { store: w.sdk.webStorage(localStorage, 'im-test'), ackDelayMs: 50 } });
      w.c.on('message', (m) => w.got.push(m));
      return w.c.connect();
    },
    { url: `ws://${servers.ws[0]}/sub`, token: web.token },
  );
  assert.equal(connected.mid, web.id);

  const fromWeb = page.evaluate(async (to) => {
    const w = window as unknown as { c: import('../../src/index.ts').ImClient };
    const acks = [];
    for (let i = 0; i < 20; i++) acks.push(await w.c.chat.send({ type: 'user', id: to }, `web ${i}`));
    return acks.map((a) => a.seq);
  }, nodeUser.id);
  const fromNode = Promise.all(Array.from({ length: 20 }, (_, i) => n.chat.send({ type: 'user', id: web.id }, `node ${i}`)));
  const [webSeqs, nodeAcks] = await Promise.all([fromWeb, fromNode]);
  assert.equal(new Set([...webSeqs, ...nodeAcks.map((a) => a.seq)]).size, 40);

  await waitFor(() => inConv(en.message, conv).length >= 40, 'all 40 at the Node client');
  const seenInPage = await page.waitForFunction(() => {
    const got = (window as unknown as { got: { seq: number; payload: string }[] }).got;
    return got.length >= 40 && got;
  }, undefined, { timeout: 30_000 }).then((h) => h.jsonValue() as Promise<{ seq: number; payload: string; from: number }[]>);
  const expected = Array.from({ length: 40 }, (_, i) => i + 1);
  assert.deepEqual(seenInPage.map((m) => m.seq), expected, 'the page saw each once, in order');
  assert.deepEqual(inConv(en.message, conv).map((m) => m.seq), expected, 'the Node client too');
  assert.equal(seenInPage.filter((m) => m.from === nodeUser.id).length, 20);
  const saved = await page.waitForFunction(() => {
    const cursors = JSON.parse(localStorage.getItem('im-test:cursors') ?? '{}') as Record<string, number>;
    return Object.values(cursors).includes(40) && cursors;
  }, undefined, { timeout: 10_000 }).then((h) => h.jsonValue());
  assert.deepEqual(saved, { [conv]: 40 }, 'the cursor is kept in localStorage');
  assert.equal(await page.evaluate(() => localStorage.getItem('im-test:outbox')), '[]', 'nothing left to send');
});

it('decodes zlib batches with DecompressionStream in the page, and tells whether brotli is there', async () => {
  const room = `live://${Date.now() % 1_000_000_000}`;
  const brotli = await page.evaluate(async ({ url, room }) => {
    const w = window as unknown as { sdk: typeof import('../../src/index.ts'); viewer: import('../../src/index.ts').ImClient; danmaku: unknown[] };
    w.danmaku = [];
    w.viewer = w.sdk.createClient({ urls: [url], dialect: 'bili', protover: 2, room });
    w.viewer.on('push', (p) => w.danmaku.push(p.json()));
    await w.viewer.connect();
    return w.sdk.supportsBrotli();
  }, { url: `ws://${servers.ws[0]}/sub`, room });
  console.log(`Chromium ${page.context().browser()?.version()}: DecompressionStream('brotli') ${brotli ? 'supported' : 'not supported'}`);
  for (let n = 1; n <= 10; n++) await post(`${servers.http}/api/v1/push/room`, { operation: 1000, room, body: JSON.stringify({ n }) });
  const got = await page.waitForFunction(() => {
    const d = (window as unknown as { danmaku: { n: number }[] }).danmaku;
    return d.length >= 10 && d;
  }, undefined, { timeout: 30_000 }).then((h) => h.jsonValue() as Promise<{ n: number }[]>);
  assert.deepEqual(got.map((d) => d.n), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const closed = await page.evaluate(() => {
    const w = window as unknown as { viewer: import('../../src/index.ts').ImClient; c: import('../../src/index.ts').ImClient };
    w.viewer.close();
    w.c.close();
    return [w.viewer.state, w.c.state];
  });
  assert.deepEqual(closed, ['closed', 'closed']);
});
