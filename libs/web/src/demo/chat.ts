import type { ChatMessage, Target } from '@imcluster/client';
import { byId, clock, h, say } from '../shared/dom.ts';
import type { Demo } from './session.ts';

const PAGE = 30;

interface ConvState {
  lastSeq: number;
  unread: number;
}

/** `u:a:b` is the user who is not me; `g:n` the group. */
export function targetOf(conv: string, me: number): Target {
  const [kind, a, b] = conv.split(':');
  if (kind === 'g') return { type: 'group', id: Number(a) };
  return { type: 'user', id: Number(a) === me ? Number(b) : Number(a) };
}

/**
 * The conversation list with unread badges, and the open conversation: its history (scrolled back
 * a page at a time), live messages, read receipts ("Seen"), recalls and the composer. Messages come
 * from the SDK once each, in order; the page keys them by seq so history and live ones merge.
 */
export class ChatView {
  readonly #demo: Demo;
  readonly #convs = new Map<string, ConvState>();
  /** The highest seq another member has read, per conversation (kept across reloads). */
  readonly #seen: Record<string, number>;
  readonly #seenKey: string;
  readonly #shown = new Map<number, ChatMessage>();
  #open: string | undefined;
  #oldest = 0;

  constructor(demo: Demo) {
    this.#demo = demo;
    this.#seenKey = `imdemo:seen:${demo.me.id}`;
    this.#seen = JSON.parse(localStorage.getItem(this.#seenKey) ?? '{}') as Record<string, number>;
    const { client } = demo;
    client.on('message', (m) => this.#onMessage(m));
    client.on('receipt', (r) => {
      if (r.reader === demo.me.id || r.seq <= (this.#seen[r.conv] ?? 0)) return;
      this.#seen[r.conv] = r.seq;
      localStorage.setItem(this.#seenKey, JSON.stringify(this.#seen));
      if (r.conv === this.#open) this.#markSeen();
    });
    client.on('recalled', (r) => {
      const m = r.conv === this.#open ? this.#shown.get(r.seq) : undefined;
      if (m) this.#render({ ...m, payload: null, recalled: true });
    });
    client.on('synced', () => void this.refresh());
    // Sends restored from the store after a reload have no promise: their refusals come this way.
    client.on('sendFailed', (f) => say('chat-error', `not sent: ${f.error.message}`));
    // Not through onSubmit: the composer stays usable while sends wait for their acks (the SDK
    // queues them in call order), so Enter after Enter sends each line.
    byId('composer').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId<HTMLInputElement>('text');
      const text = input.value.trim();
      if (!text || !this.#open) return;
      input.value = '';
      say('chat-error', '');
      demo.client.chat.send(targetOf(this.#open, demo.me.id), text).catch((error: Error) => say('chat-error', `not sent: ${error.message}`));
    });
    byId('older').addEventListener('click', () => void this.#older());
    byId('scroller').addEventListener('scroll', (e) => {
      if ((e.target as HTMLElement).scrollTop === 0 && !byId('older').hidden) void this.#older();
    });
  }

  get open(): string | undefined {
    return this.#open;
  }

  /** Reads the conversation list again (after every reconnect's sync, and after social changes). */
  async refresh(): Promise<void> {
    const list = await this.#demo.client.chat.conversations({ limit: 100 });
    for (const c of list) this.#convs.set(c.conv, { lastSeq: c.lastSeq, unread: c.conv === this.#open ? 0 : c.unread });
    await this.#renderList();
  }

  /** Shows a conversation: its latest page of history, then live messages as they come. */
  async show(conv: string): Promise<void> {
    this.#open = conv;
    this.#shown.clear();
    this.#oldest = 0;
    byId('messages').replaceChildren();
    say('chat-error', '');
    say('chat-note', '');
    const { me, names, client } = this.#demo;
    byId('chat-title').textContent = await names.conversation(conv, me.id);
    byId('composer').hidden = false;
    byId('member-form').hidden = !conv.startsWith('g:');
    const state = this.#convs.get(conv) ?? { lastSeq: 0, unread: 0 };
    state.unread = 0;
    this.#convs.set(conv, state);
    void this.#renderList();
    const page = await client.chat.history(conv, { limit: PAGE });
    if (this.#open !== conv) return;
    for (const m of page.messages) this.#render(m);
    this.#oldest = page.messages[0]?.seq ?? 0;
    byId('older').hidden = !page.hasMore;
    this.#scrollToEnd();
    this.#read(page.lastSeq);
    byId<HTMLInputElement>('text').focus();
  }

  close(): void {
    this.#open = undefined;
    void this.#renderList();
  }

  async #older(): Promise<void> {
    const conv = this.#open;
    if (!conv || this.#oldest <= 1) return;
    const scroller = byId('scroller');
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    const page = await this.#demo.client.chat.history(conv, { before: this.#oldest, limit: PAGE });
    if (this.#open !== conv) return;
    for (const m of page.messages) this.#render(m);
    this.#oldest = page.messages[0]?.seq ?? this.#oldest;
    byId('older').hidden = !page.hasMore;
    scroller.scrollTop = scroller.scrollHeight - fromBottom;
  }

  #onMessage(m: ChatMessage): void {
    const state = this.#convs.get(m.conv) ?? { lastSeq: 0, unread: 0 };
    state.lastSeq = Math.max(state.lastSeq, m.seq);
    if (m.conv !== this.#open && m.from !== this.#demo.me.id) state.unread++;
    // Most recent first: a conversation with a new message moves to the top.
    this.#convs.delete(m.conv);
    this.#convs.set(m.conv, state);
    void this.#renderList();
    if (m.conv !== this.#open) return;
    const atEnd = this.#nearEnd();
    this.#render(m);
    if (atEnd || m.from === this.#demo.me.id) this.#scrollToEnd();
    this.#read(m.seq);
  }

  #read(seq: number): void {
    if (this.#open && seq > 0) this.#demo.client.chat.markRead(this.#open, seq);
  }

  async #renderList(): Promise<void> {
    const { me, names } = this.#demo;
    const convs = [...this.#convs.entries()].reverse();
    const items = await Promise.all(
      convs.map(async ([conv, state]) => {
        const name = await names.conversation(conv, me.id);
        const label = state.unread > 0 ? `${name}, ${state.unread} unread` : name;
        return h(
          'li',
          { 'data-conv': conv },
          h('button', { class: 'open', 'aria-current': conv === this.#open ? 'true' : undefined, 'aria-label': label, onclick: () => (location.hash = conv) }, `${conv.startsWith('g:') ? '# ' : ''}${name}`),
          state.unread > 0 && h('span', { class: 'badge', 'aria-hidden': 'true' }, String(state.unread)),
        );
      }),
    );
    byId('convs').replaceChildren(...(items.length ? items : [h('li', { class: 'muted' }, 'No conversation yet.')]));
  }

  /** Adds or replaces the message's line, in seq order. */
  #render(m: ChatMessage): void {
    this.#shown.set(m.seq, m);
    const list = byId('messages');
    const mine = m.from === this.#demo.me.id;
    const text = h('span', { class: 'text' }, m.recalled ? 'message recalled' : (m.payload ?? ''));
    const who = h('span', { class: 'who' }, mine ? 'you' : '');
    if (!mine) void this.#demo.names.user(m.from).then((name) => (who.textContent = name));
    const recall = mine && !m.recalled && h('button', { class: 'link', 'aria-label': 'Recall this message', onclick: () => void this.#recall(m) }, 'Recall');
    const line = h('li', { class: `${mine ? 'mine' : ''} ${m.recalled ? 'recalled' : ''}`, 'data-seq': m.seq }, who, text, h('time', { datetime: new Date(m.ts).toISOString() }, clock(m.ts)), recall);
    const existing = list.querySelector(`li[data-seq="${m.seq}"]`);
    if (existing) existing.replaceWith(line);
    else {
      const after = [...list.children].find((li) => Number((li as HTMLElement).dataset.seq) > m.seq);
      list.insertBefore(line, after ?? null);
    }
    this.#markSeen();
  }

  async #recall(m: ChatMessage): Promise<void> {
    say('chat-error', '');
    try {
      await this.#demo.client.chat.recall(m.conv, m.seq);
    } catch (error) {
      say('chat-error', `could not recall: ${(error as Error).message}`);
    }
  }

  /** "Seen" under my latest message another member has read up to. */
  #markSeen(): void {
    const list = byId('messages');
    for (const old of list.querySelectorAll('.seen')) old.remove();
    const upTo = this.#open ? (this.#seen[this.#open] ?? 0) : 0;
    const mine = [...this.#shown.values()].filter((m) => m.from === this.#demo.me.id && m.seq <= upTo).sort((a, b) => b.seq - a.seq)[0];
    if (mine) list.querySelector(`li[data-seq="${mine.seq}"]`)?.append(h('span', { class: 'seen' }, 'Seen'));
  }

  #nearEnd(): boolean {
    const s = byId('scroller');
    return s.scrollHeight - s.scrollTop - s.clientHeight < 60;
  }

  #scrollToEnd(): void {
    const s = byId('scroller');
    s.scrollTop = s.scrollHeight;
  }
}
