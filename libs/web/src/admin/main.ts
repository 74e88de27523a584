// The operator console: the processes registered in etcd, connections, top rooms, pushes, live
// charts and the drain of a comet, all through logic's API with the API key (as Bearer).
import { api, ApiError } from '../shared/api.ts';
import { byId, field, h, onSubmit, say } from '../shared/dom.ts';
import { Charts } from './charts.ts';
import type { ClusterSnapshot as Snapshot, ProcessView } from './cluster.ts';

const KEY = 'imconsole:key';
const EVERY_MS = 2000;

const key = () => sessionStorage.getItem(KEY) ?? '';
const admin = <T>(method: string, path: string, body?: unknown) => api<T>(method, path, key(), body);

function status(state: string, text: string): void {
  const badge = byId('status');
  badge.dataset.state = state;
  badge.textContent = text;
}

function askForKey(message = ''): void {
  sessionStorage.removeItem(KEY);
  byId('console').hidden = true;
  byId('forget').hidden = true;
  byId('key').hidden = false;
  say('key-error', message);
  status('closed', 'not signed in');
  byId<HTMLInputElement>('key-input').focus();
}

function processRow(p: ProcessView, comets: number): HTMLElement {
  const addrs = Object.entries(p.addrs).map(([name, address]) => h('div', {}, `${name} `, h('code', {}, address)));
  const drain = p.service === 'comet' && h('button', { class: 'danger', 'data-drain': p.id, disabled: comets < 2, 'aria-label': `Drain comet ${p.id}`, onclick: () => void drainComet(p.id) }, 'Drain');
  return h(
    'tr',
    { 'data-id': p.id, 'data-service': p.service },
    h('td', {}, p.service),
    h('td', {}, h('code', {}, p.id)),
    h('td', {}, ...addrs),
    h('td', { class: `lease-${p.lease}`, title: p.error ?? '' }, p.lease, p.error ? h('div', { class: 'muted' }, p.error) : undefined),
    h('td', { class: 'connections' }, p.connections === undefined ? '' : String(p.connections)),
    h('td', {}, drain),
  );
}

async function drainComet(id: string): Promise<void> {
  if (!confirm(`Drain comet ${id}? It leaves the registry and its clients reconnect to other comets (close code 3001). Restart its process to bring it back.`)) return;
  say('procs-result', `draining ${id}…`);
  try {
    const { clients } = await admin<{ clients: number }>('POST', `/api/v1/admin/comets/${encodeURIComponent(id)}/drain`);
    say('procs-result', `Comet ${id} drained: ${clients} client(s) told to reconnect elsewhere.`);
  } catch (error) {
    say('procs-result', `Drain refused: ${(error as Error).message}`);
  }
}

function render(snapshot: Snapshot, charts: Charts): void {
  const comets = snapshot.processes.filter((p) => p.service === 'comet').length;
  byId('t-comets').textContent = String(comets);
  for (const name of ['connections', 'pushes', 'deliveries', 'chatSends', 'lag'] as const) byId(`t-${name}`).textContent = snapshot.totals[name].toLocaleString('en');
  byId('procs').querySelector('tbody')!.replaceChildren(...snapshot.processes.map((p) => processRow(p, comets)));
  charts.add(snapshot.at, snapshot.totals);
}

async function refresh(charts: Charts): Promise<void> {
  try {
    const [snapshot, top] = await Promise.all([admin<Snapshot>('GET', '/api/v1/admin/cluster'), api<{ rooms: { room: string; count: number }[] }>('GET', '/api/v1/online/top?limit=10')]);
    render(snapshot, charts);
    const rows = top.rooms.map((r) => h('tr', {}, h('td', {}, h('code', {}, r.room)), h('td', {}, String(r.count))));
    byId('rooms').querySelector('tbody')!.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 2, class: 'muted' }, 'No room has members.'))]));
    status('connected', `updated ${new Date(snapshot.at).toLocaleTimeString()}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return askForKey('That key was refused.');
    status('reconnecting', `logic unreachable: ${(error as Error).message}`);
  }
}

/** The push form: goim's four targets, each through /api/v1/push/<target> with the API key. */
function pushForm(): void {
  onSubmit('push-form', 'push-result', async () => {
    const kind = byId<HTMLSelectElement>('push-kind').value;
    const to = field('push-to')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    const message = { operation: Number(field('push-op')), body: byId<HTMLTextAreaElement>('push-body').value };
    const target = kind === 'room' ? { room: to[0] ?? '' } : kind === 'mids' ? { mids: to.map(Number) } : kind === 'keys' ? { keys: to } : {};
    const { id } = await admin<{ id: string }>('POST', `/api/v1/push/${kind}`, { ...message, ...target });
    say('push-result', `Accepted: push ${id}.`);
  });
}

function open(charts: Charts): void {
  byId('key').hidden = true;
  byId('console').hidden = false;
  byId('forget').hidden = false;
  void refresh(charts);
}

function main(): void {
  const charts = new Charts(byId('charts'));
  byId('forget').onclick = () => askForKey();
  onSubmit('key-form', 'key-error', async () => {
    sessionStorage.setItem(KEY, byId<HTMLInputElement>('key-input').value);
    byId<HTMLInputElement>('key-input').value = '';
    open(charts);
  });
  pushForm();
  setInterval(() => {
    if (key()) void refresh(charts);
  }, EVERY_MS);
  if (key()) open(charts);
  else askForKey();
}

main();
