import { directConversation, groupConversation } from '@imcluster/client';
import { byId, field, h, onSubmit, say } from '../shared/dom.ts';
import type { Demo } from './session.ts';

interface GroupView {
  id: number;
  name: string;
}

/** Friends, friend requests and groups: the lists, and the forms that add to them. */
export class SocialView {
  readonly #demo: Demo;

  constructor(demo: Demo, openConversation: () => string | undefined) {
    this.#demo = demo;
    onSubmit('friend-form', 'side-error', async () => {
      const user = await this.#userNamed(field('friend-name'));
      const { state } = await demo.call<{ state: string }>('POST', '/api/v1/friends/requests', { to: user.id });
      byId<HTMLInputElement>('friend-name').value = '';
      say('side-note', state === 'requested' ? `Request sent to ${user.name}.` : `${user.name} and you are friends.`);
      await this.refresh();
    });
    onSubmit('group-form', 'side-error', async () => {
      const group = await demo.call<GroupView>('POST', '/api/v1/groups', { name: field('group-name') });
      byId<HTMLInputElement>('group-name').value = '';
      demo.names.knowGroup(group.id, group.name);
      await this.refresh();
      location.hash = groupConversation(group.id);
    });
    onSubmit('member-form', 'chat-error', async () => {
      const conv = openConversation();
      if (!conv?.startsWith('g:')) return;
      const user = await this.#userNamed(field('member-name'));
      await demo.call('POST', `/api/v1/groups/${conv.slice(2)}/members`, { user: user.id });
      byId<HTMLInputElement>('member-name').value = '';
      say('chat-note', `${user.name} was added to the group.`);
    });
    // Someone asked, accepted, or added me to a group: read the lists again.
    demo.client.on('notice', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    const { call, names, me } = this.#demo;
    const [{ friends }, { from }, { groups }] = await Promise.all([
      call<{ friends: number[] }>('GET', '/api/v1/friends'),
      call<{ from: number[] }>('GET', '/api/v1/friends/requests'),
      call<{ groups: GroupView[] }>('GET', '/api/v1/groups'),
    ]);
    const friendItems = await Promise.all(
      friends.map(async (id) => {
        const name = await names.user(id);
        return h('li', {}, h('button', { class: 'open', 'aria-label': `Chat with ${name}`, onclick: () => (location.hash = directConversation(me.id, id)) }, name));
      }),
    );
    byId('friends').replaceChildren(...(friendItems.length ? friendItems : [h('li', { class: 'muted' }, 'No friend yet.')]));
    const requestItems = await Promise.all(
      from.map(async (id) => {
        const name = await names.user(id);
        const accept = async () => {
          await call('POST', `/api/v1/friends/requests/${id}/accept`);
          await this.refresh();
        };
        return h('li', {}, h('span', {}, `${name} asks to be friends`), h('button', { 'aria-label': `Accept ${name}`, onclick: () => void accept().catch((e: Error) => say('side-error', e.message)) }, 'Accept'));
      }),
    );
    byId('requests').replaceChildren(...requestItems);
    for (const g of groups) names.knowGroup(g.id, g.name);
    byId('groups').replaceChildren(
      ...(groups.length
        ? groups.map((g) => h('li', {}, h('button', { class: 'open', 'aria-label': `Open group ${g.name}`, onclick: () => (location.hash = groupConversation(g.id)) }, `# ${g.name}`)))
        : [h('li', { class: 'muted' }, 'No group yet.')]),
    );
  }

  #userNamed(name: string): Promise<{ id: number; name: string }> {
    return this.#demo.call('GET', `/api/v1/users?name=${encodeURIComponent(name)}`);
  }
}
