import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { TestBrowser } from '../helpers/browser.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { post } from '../helpers/push.ts';
import { startStandalone, tempDataDir } from '../helpers/standalone.ts';

// The demo app in Debian's Chromium against a standalone node (`pnpm start` as a real process):
// two browser profiles register, befriend, chat, see each other's "Seen", reload, and watch a room.
const cleanup = fileCleanup();
const WAIT = { timeout: 30_000 };
let http: string;
const browser = new TestBrowser(cleanup);

before(async () => {
  const [node] = await Promise.all([startStandalone(cleanup, tempDataDir(cleanup)), browser.launch()]);
  http = `http://${node.http}`;
});

/** Registers `name` on the demo's sign-in form and waits for the connection badge to say connected. */
async function register(page: Page, name: string): Promise<void> {
  await page.goto(`${http}/demo/`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill(`${name}-password`);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.locator('#conn[data-state="connected"]').waitFor(WAIT);
}

const message = (page: Page, text: string) => page.locator('#messages li', { hasText: text });
/** The two users of the first test, who then make a group in the second. */
let users: { a: Page; b: Page; bob: string } | undefined;

it('two users register, befriend, chat both ways and see "Seen"; a reload keeps the conversation; a recall reaches the other side', async () => {
  const suffix = randomBytes(3).toString('hex');
  const [alice, bob] = [`alice${suffix}`, `bob${suffix}`];
  const [a, b] = await Promise.all([browser.page('alice'), browser.page('bob')]);
  await Promise.all([register(a, alice), register(b, bob)]);
  users = { a, b, bob };

  await a.getByLabel('Add a friend by name').fill(bob);
  await a.getByRole('button', { name: 'Add', exact: true }).first().click();
  await b.getByRole('button', { name: `Accept ${alice}` }).click(WAIT); // the friend_request notice refreshed the list
  await a.getByRole('button', { name: `Chat with ${bob}` }).click(WAIT);

  await a.getByRole('textbox', { name: 'Message', exact: true }).fill('hello bob');
  await a.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await message(a, 'hello bob').waitFor(WAIT);
  // Bob's list shows the new conversation with an unread badge, then the message once opened.
  const unread = b.getByRole('button', { name: `${alice}, 1 unread` });
  await unread.waitFor(WAIT);
  await unread.click();
  await message(b, 'hello bob').waitFor(WAIT);
  await b.getByRole('textbox', { name: 'Message', exact: true }).fill('hi alice');
  await b.getByRole('button', { name: 'Send' }).first().click();

  await message(a, 'hi alice').waitFor(WAIT);
  await message(a, 'hello bob').locator('.seen').waitFor(WAIT); // bob read it
  await message(b, 'hi alice').locator('.seen').waitFor(WAIT); // alice has the conversation open
  await browser.readmePicture(a, 'demo-chat.png');

  await a.reload();
  await a.locator('#conn[data-state="connected"]').waitFor(WAIT);
  await message(a, 'hello bob').waitFor(WAIT);
  await message(a, 'hi alice').waitFor(WAIT);
  assert.equal(await a.locator('#messages li').count(), 2, 'the conversation as it was, once each');
  await message(a, 'hello bob').locator('.seen').waitFor(WAIT);

  await message(a, 'hello bob').getByRole('button', { name: 'Recall this message' }).click();
  await message(b, 'message recalled').waitFor(WAIT);
  assert.equal(await message(b, 'hello bob').count(), 0);
});

it('a group: created, a member added, 32 messages, and the member scrolls back past the first page of 30', async () => {
  assert.ok(users, 'the users of the first test');
  const { a, b, bob } = users;
  const team = `team${randomBytes(3).toString('hex')}`;
  await a.getByLabel('New group').fill(team);
  await a.getByRole('button', { name: 'Create' }).click();
  await a.locator('#chat-title', { hasText: team }).waitFor(WAIT);
  await a.getByLabel('Add a member by name').fill(bob);
  await a.locator('#member-form').getByRole('button', { name: 'Add' }).click();
  // A failure shows in #chat-error: name it (a flake seen once, 2 December, left no trace of why).
  await a.getByRole('status').filter({ hasText: `${bob} was added to the group.` }).waitFor(WAIT).catch(async (error: unknown) => {
    throw new Error(`${bob} not added; the page says: "${await a.locator('#chat-error').textContent()}"`, { cause: error });
  });
  const box = a.getByRole('textbox', { name: 'Message', exact: true });
  for (let i = 1; i <= 32; i++) {
    await box.fill(`team ${i}`);
    await box.press('Enter');
  }
  await message(a, 'team 32').waitFor(WAIT);

  await b.getByRole('button', { name: `${team}, 32 unread` }).click(WAIT);
  await message(b, 'team 32').waitFor(WAIT);
  assert.equal(await b.locator('#messages li').count(), 30, 'the latest page');
  await b.getByRole('button', { name: 'Load earlier messages' }).click();
  await message(b, 'team 1').first().waitFor(WAIT);
  const texts = await b.locator('#messages li .text').allTextContents();
  assert.deepEqual(texts, Array.from({ length: 32 }, (_, i) => `team ${i + 1}`), 'all of them once, in order');
  assert.equal(await b.getByRole('button', { name: 'Load earlier messages' }).isHidden(), true, 'nothing older');
});

it('a room push sent through the HTTP API and a danmaku from the form scroll by on the live page, with the online count', async () => {
  const page = await browser.page('live', { width: 390, height: 700 }); // a phone's width
  await register(page, `viewer${randomBytes(3).toString('hex')}`);
  const room = `live://${Date.now() % 1_000_000_000}`;
  await page.getByRole('link', { name: 'Live room' }).click();
  await page.getByLabel('Room', { exact: true }).fill(room);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('#live-room', { hasText: room }).waitFor(WAIT);

  const pushed = await post(`${http}/api/v1/push/room`, { operation: 1000, room, body: 'pushed through the API' });
  assert.equal(pushed.status, 202);
  await page.locator('#danmaku li', { hasText: 'pushed through the API' }).waitFor(WAIT);
  await page.getByLabel('Danmaku').fill('hello from the form');
  await page.getByLabel('Danmaku').press('Enter');
  await page.locator('#danmaku li', { hasText: 'hello from the form' }).waitFor(WAIT);
  // The comet reports room counts every IM_COMET_RENEW_ONLINE_MS (300 ms here); heartbeats bring them.
  await page.locator('#online', { hasText: /^[1-9]/ }).waitFor({ timeout: 40_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await browser.readmePicture(page, 'demo-live.png');
});
