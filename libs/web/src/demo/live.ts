import type { Push } from '@imcluster/client';
import { ApiError } from '../shared/api.ts';
import { byId, field, h, onSubmit } from '../shared/dom.ts';
import type { Demo } from './session.ts';

const KEEP = 200;

/** What a push shows: `{"from","text"}` from the danmaku route, or the body as text. */
function lineOf(push: Push): HTMLElement {
  const text = push.text();
  try {
    const d = JSON.parse(text) as { from?: unknown; text?: unknown };
    if (typeof d.text === 'string') return h('li', {}, h('span', { class: 'who' }, String(d.from ?? '')), d.text);
  } catch {
    // not JSON: shown as it came
  }
  return h('li', {}, text);
}

/**
 * The live room: the client joins a room (op 12), room pushes scroll by, the online count comes
 * from heartbeat replies, and the danmaku form posts to the demo-only route.
 */
export class LiveView {
  readonly #demo: Demo;

  constructor(demo: Demo) {
    this.#demo = demo;
    demo.client.on('push', (p) => {
      if (p.kind !== 'room') return;
      const list = byId('danmaku');
      list.append(lineOf(p));
      while (list.children.length > KEEP) list.firstElementChild?.remove();
      list.scrollTop = list.scrollHeight;
    });
    demo.client.on('online', ({ count }) => {
      if (demo.client.room) byId('online').textContent = String(count);
    });
    onSubmit('room-form', 'live-error', () => this.join(field('room')));
    onSubmit('danmaku-form', 'live-error', async () => {
      const input = byId<HTMLInputElement>('danmaku-text');
      try {
        await demo.call('POST', '/api/v1/demo/danmaku', { room: demo.client.room || field('room'), text: input.value });
        input.value = '';
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) throw new Error('This server does not take danmaku from users (IM_DEMO_DANMAKU is off); push with the API instead.');
        throw error;
      }
    });
  }

  /** Joins the room the form names, unless already in one. */
  async enter(): Promise<void> {
    if (!this.#demo.client.room) await this.join(field('room'));
  }

  async join(room: string): Promise<void> {
    if (room === this.#demo.client.room) return;
    await this.#demo.client.changeRoom(room);
    byId('live-room').textContent = room;
    byId('online').textContent = '…';
    byId('danmaku').replaceChildren();
  }
}
