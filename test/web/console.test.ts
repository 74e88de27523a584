import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createClient, directConversation, type ImClient } from '@imcluster/client/node';
import { TestBrowser } from '../helpers/browser.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { API_KEY, TestCluster } from '../helpers/cluster.ts';
import { post } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';

// The operator console in Debian's Chromium against a cluster of real processes (1 logic, 2
// comets, 1 job): it lists both comets, counts deliveries during a push burst, and drains the
// comet a demo page is on, which moves to the other comet without losing a chat message.
const cleanup = fileCleanup();
const WAIT = { timeout: 30_000 };
const browser = new TestBrowser(cleanup);
let cluster: TestCluster;
let consolePage: Page;

before(async () => {
  [cluster] = await Promise.all([TestCluster.start(cleanup, { comets: 2, jobs: 1 }), browser.launch()]);
  consolePage = await browser.page('console', { width: 1200, height: 900 });
  await consolePage.goto(`${cluster.http}/admin/`);
  await consolePage.getByRole('textbox', { name: 'API key' }).fill(API_KEY);
  await consolePage.getByRole('button', { name: 'Open console' }).click();
});

const deliveries = async (page: Page) => Number((await page.locator('#t-deliveries').textContent())!.replaceAll(',', ''));

it('asks for the API key, and lists both comets with their addresses and lease', async () => {
  const rows = consolePage.locator('#procs tr[data-service="comet"]');
  await consolePage.waitForFunction(() => document.querySelectorAll('#procs tr[data-service="comet"]').length === 2, undefined, WAIT);
  for (const comet of cluster.comets) {
    const row = rows.filter({ has: consolePage.locator(`code`, { hasText: comet.id }) });
    await row.locator('td', { hasText: comet.ws }).waitFor(WAIT);
    assert.equal((await row.locator('td.lease-held').textContent())?.trim(), 'held');
  }
  await consolePage.locator('#procs tr[data-service="job"] td.lease-held').waitFor(WAIT);
  await consolePage.locator('#procs tr[data-service="logic"]').waitFor(WAIT);
});

it('a refused key brings the key form back', async () => {
  const page = await browser.page('wrong-key');
  await page.goto(`${cluster.http}/admin/`);
  await page.getByRole('textbox', { name: 'API key' }).fill('not-the-api-key');
  await page.getByRole('button', { name: 'Open console' }).click();
  await page.getByRole('alert').filter({ hasText: 'That key was refused.' }).waitFor(WAIT);
  assert.equal(await page.locator('#console').isHidden(), true);
});

it('shows a rising delivery count during a push burst, and a drain moves a demo client to the other comet without losing a message', async () => {
  // A demo user in a room and in a conversation with a Node client that keeps sending.
  const [sender, viewer] = [await registerUser(cluster.http, 'send'), `view${randomBytes(3).toString('hex')}`];
  const demo = await browser.page('demo');
  await demo.goto(`${cluster.http}/demo/`);
  await demo.getByLabel('Name', { exact: true }).fill(viewer);
  await demo.getByLabel('Password', { exact: true }).fill(`${viewer}-password`);
  await demo.getByRole('button', { name: 'Register' }).click();
  await demo.locator('#conn[data-state="connected"]').waitFor(WAIT);
  const viewerId = await demo.evaluate(() => (JSON.parse(localStorage.getItem('imdemo:session')!) as { id: number }).id);
  await demo.getByRole('link', { name: 'Live room' }).click();
  await demo.locator('#live-room', { hasText: 'live://1000' }).waitFor(WAIT);

  const before = await deliveries(consolePage);
  for (let i = 0; i < 40; i++) assert.equal((await post(`${cluster.http}/api/v1/push/room`, { operation: 1000, room: 'live://1000', body: `burst ${i}` })).status, 202);
  await demo.locator('#danmaku li', { hasText: 'burst 39' }).waitFor(WAIT);
  // Frames written: job merges room pushes into batches, so 40 pushes may be fewer frames.
  await consolePage.waitForFunction((n) => Number(document.querySelector('#t-deliveries')!.textContent!.replaceAll(',', '')) > n, before, WAIT);
  await consolePage.locator('#charts figcaption', { hasText: /Deliveries\/s \(max (0\.[1-9]|[1-9])/ }).waitFor(WAIT); // the chart saw the burst
  await browser.readmePicture(consolePage, 'console.png');
  // The console's push form, to the room the demo page is in.
  await consolePage.getByLabel('Body').fill('from the console form');
  await consolePage.getByRole('button', { name: 'Push', exact: true }).click();
  await consolePage.locator('#push-result', { hasText: 'Accepted' }).waitFor(WAIT);
  await demo.locator('#danmaku li', { hasText: 'from the console form' }).waitFor(WAIT);

  const conv = directConversation(sender.id, viewerId);
  await demo.evaluate((c) => (location.hash = c), conv);
  const node: ImClient = createClient({ urls: cluster.comets.map((c) => c.tcp), transport: 'tcp', token: sender.token, chat: { ackDelayMs: 50 } });
  cleanup.after(() => node.close());
  await node.connect();
  const sent: string[] = [];
  const send = async (text: string) => {
    sent.push(text);
    await node.chat.send({ type: 'user', id: viewerId }, text);
  };
  await send('before the drain');
  await demo.locator('#messages li', { hasText: 'before the drain' }).waitFor(WAIT);

  const from = (await demo.locator('#conn').getAttribute('data-url'))!;
  const drained = cluster.comets.find((c) => from === `ws://${c.ws}/sub`)!;
  assert.ok(drained, `the demo page is on one of the comets (${from})`);
  let sending = true;
  const during = (async () => {
    for (let i = 0; sending; i++) {
      await send(`during the drain ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  await consolePage.locator(`button[data-drain="${drained.id}"]`).click(); // the confirm dialog is accepted
  await consolePage.locator('#procs-result', { hasText: `Comet ${drained.id} drained` }).waitFor(WAIT);
  await demo.waitForFunction((old) => {
    const badge = document.querySelector('#conn') as HTMLElement;
    return badge.dataset.state === 'connected' && badge.dataset.url !== old;
  }, from, WAIT);
  sending = false;
  await during;
  await send('after the drain');
  await demo.locator('#messages li', { hasText: 'after the drain' }).waitFor(WAIT);
  const shown = await demo.locator('#messages li .text').allTextContents();
  assert.deepEqual(shown, sent, 'every message once, in order, across the drain');
  await consolePage.waitForFunction(() => document.querySelectorAll('#procs tr[data-service="comet"]').length === 1, undefined, WAIT);
});
