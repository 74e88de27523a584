// The demo app: sign in, friends, groups, chat and a live room, on the client SDK in the browser.
// Logic serves it at /demo/; the SDK finds comets through this origin's /goim/nodes/weighted.
import { createClient, randomId, webStorage, type ImClient } from '@imcluster/client';
import { api } from '../shared/api.ts';
import { byId, field, onSubmit, say } from '../shared/dom.ts';
import { ChatView } from './chat.ts';
import { LiveView } from './live.ts';
import { forgetSession, Names, savedSession, signIn, type Demo, type Session } from './session.ts';
import { SocialView } from './social.ts';

/** One device id per browser profile: the server keeps chat cursors per device. */
function deviceId(): string {
  let id = localStorage.getItem('imdemo:device');
  if (!id) localStorage.setItem('imdemo:device', (id = `web-${randomId(12)}`));
  return id;
}

/** The connection badge: connected (and to which comet), or reconnecting with a countdown. */
function showConnection(client: ImClient): void {
  const badge = byId('conn');
  let countdown: ReturnType<typeof setInterval> | undefined;
  const show = (state: string, text: string) => {
    clearInterval(countdown);
    badge.dataset.state = state;
    badge.textContent = text;
  };
  client.on('connecting', () => show('connecting', 'connecting…'));
  client.on('connected', ({ url }) => {
    show('connected', `connected · ${url.replace(/^wss?:\/\//, '').replace(/\/sub$/, '')}`);
    badge.dataset.url = url;
  });
  client.on('disconnected', ({ code }) => show('reconnecting', `disconnected (${code})`));
  client.on('reconnecting', ({ delayMs }) => {
    const until = Date.now() + delayMs;
    const tick = () => (badge.textContent = `reconnecting in ${Math.max(0, Math.ceil((until - Date.now()) / 1000))} s`);
    show('reconnecting', '');
    tick();
    countdown = setInterval(tick, 250);
  });
  client.on('closed', ({ error }) => show('closed', error ? `offline: ${error.message}` : 'offline'));
}

function start(me: Session): void {
  byId('login').hidden = true;
  byId('app').hidden = false;
  byId('logout').hidden = false;
  byId('me').textContent = `signed in as ${me.name}`;
  const device = deviceId();
  const client = createClient({
    discovery: location.origin,
    token: me.token,
    deviceId: device,
    platform: 'web',
    // Livelier online counts than the 30 s default; the server closes only after IM_HEARTBEAT_SEC.
    heartbeatMs: 10_000,
    chat: { store: webStorage(localStorage, `imdemo:${me.id}:${device}`) },
  });
  const demo: Demo = { me, client, names: new Names(me), call: (method, path, body) => api(method, path, me.token, body) };
  showConnection(client);
  const chat = new ChatView(demo);
  const social = new SocialView(demo, () => chat.open);
  const live = new LiveView(demo);
  client.on('closed', ({ error }) => {
    if (error?.code === 'AUTH_FAILED') logout('Your session expired: sign in again.');
  });
  byId('logout').onclick = () => {
    client.close();
    logout('');
  };
  const route = () => showView(chat, live);
  window.addEventListener('hashchange', route);
  route();
  void social.refresh().catch((e: Error) => say('side-error', e.message));
  client.connect().catch(() => undefined); // failures show in the badge; 'closed' handles a refused token
}

/** `#live`, `#u:1:2` or `#g:3` (a conversation), or the list. */
function showView(chat: ChatView, live: LiveView): void {
  const hash = decodeURIComponent(location.hash.slice(1));
  const view = hash === 'live' ? 'live' : /^(u:\d+:\d+|g:\d+)$/.test(hash) ? 'chat' : 'list';
  byId('app').dataset.view = view;
  byId('chat').hidden = view === 'live';
  byId('live').hidden = view !== 'live';
  current('tab-chat', view !== 'live');
  current('tab-live', view === 'live');
  if (view === 'live') void live.enter().catch((e: Error) => say('live-error', e.message));
  else if (view === 'chat' && hash !== chat.open) void chat.show(hash).catch((e: Error) => say('chat-error', e.message));
  else if (view === 'list') chat.close();
}

function current(tab: string, on: boolean): void {
  if (on) byId(tab).setAttribute('aria-current', 'page');
  else byId(tab).removeAttribute('aria-current');
}

function logout(message: string): void {
  forgetSession();
  if (message) sessionStorage.setItem('imdemo:message', message);
  location.hash = '';
  location.reload();
}

function showLogin(): void {
  byId('login').hidden = false;
  say('login-error', sessionStorage.getItem('imdemo:message') ?? '');
  sessionStorage.removeItem('imdemo:message');
  onSubmit('login-form', 'login-error', async (_form, submitter) => {
    const action = submitter?.value === 'register' ? 'register' : 'login';
    const me = await signIn(action, field('login-name'), byId<HTMLInputElement>('login-password').value);
    start(me);
  });
  byId<HTMLInputElement>('login-name').focus();
}

const saved = savedSession();
if (saved) start(saved);
else showLogin();
