import type { OutboxEntry } from './types.ts';

type Maybe<T> = T | Promise<T>;

/**
 * Where the chat state of a device lives between sessions: the outbox (sends not yet
 * acknowledged, in send order) and, per conversation, the highest seq handed to the app with none
 * missing below it. The default keeps both in memory; a browser app passes webStorage(localStorage)
 * (or its own IndexedDB store) so that a reload re-sends what was pending and does not show
 * messages twice. A store may answer synchronously or with a promise; the SDK makes its calls one
 * at a time, in order (it waits for a returned promise before the next call).
 */
export interface ChatStore {
  loadOutbox(): Maybe<OutboxEntry[]>;
  addToOutbox(entry: OutboxEntry): Maybe<void>;
  removeFromOutbox(clientMsgId: string): Maybe<void>;
  loadCursors(): Maybe<Record<string, number>>;
  saveCursor(conv: string, seq: number): Maybe<void>;
}

/** The default store: nothing survives the process or the page. */
export function memoryStore(): ChatStore {
  const outbox = new Map<string, OutboxEntry>();
  const cursors: Record<string, number> = {};
  return {
    loadOutbox: () => [...outbox.values()],
    addToOutbox: (entry) => void outbox.set(entry.clientMsgId, entry),
    removeFromOutbox: (id) => void outbox.delete(id),
    loadCursors: () => ({ ...cursors }),
    saveCursor: (conv, seq) => void (cursors[conv] = seq),
  };
}

/** The part of the Web Storage API the store uses (localStorage, sessionStorage). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * A store in Web Storage under `prefix` (use one prefix per user): the outbox as one JSON array,
 * the cursors as one JSON object. Suits the small outboxes of chat apps; for thousands of pending
 * messages write an IndexedDB store against the same interface.
 */
export function webStorage(storage: WebStorageLike, prefix = 'imcluster'): ChatStore {
  const read = <T>(key: string, empty: T): T => {
    try {
      return (JSON.parse(storage.getItem(`${prefix}:${key}`) ?? 'null') as T | null) ?? empty;
    } catch {
      return empty;
    }
  };
  const write = (key: string, value: unknown) => storage.setItem(`${prefix}:${key}`, JSON.stringify(value));
  return {
    loadOutbox: () => read<OutboxEntry[]>('outbox', []),
    addToOutbox: (entry) => write('outbox', [...read<OutboxEntry[]>('outbox', []), entry]),
    removeFromOutbox: (id) => write('outbox', read<OutboxEntry[]>('outbox', []).filter((e) => e.clientMsgId !== id)),
    loadCursors: () => read<Record<string, number>>('cursors', {}),
    saveCursor: (conv, seq) => write('cursors', { ...read<Record<string, number>>('cursors', {}), [conv]: seq }),
  };
}
