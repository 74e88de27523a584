/** Messages between the fan-out driver and its forked client processes (structured-clone IPC). */

export type Transport = 'tcp' | 'ws';

export interface CometAddr {
  host: string;
  tcpPort: number;
  wsPort: number;
}

/** What one client process is asked to do: connections [first, first + count) of the global plan. */
export interface ClientPlan {
  id: number;
  first: number;
  count: number;
  totalConns: number;
  rooms: number;
  transport: Transport | 'mix';
  comets: CometAddr[];
  /** Connection attempts this process keeps in flight at most. */
  connectConcurrency: number;
  connectTimeoutMs: number;
  heartbeatSec: number;
  /** Business operation the clients accept (the push API's `operation`). */
  operation: number;
  /** Tag written into every push body of this run (see payload.ts). */
  runTag: number;
}

/** Counters a client process reports; every field is cumulative since the process started. */
export interface ClientCounts {
  /** Connections authenticated and still open. */
  held: number;
  /** Attempts that never got a code-0 auth reply. */
  failed: number;
  /** Authenticated connections that closed before the driver asked them to. */
  lost: number;
  /** Messages of our payload counted (one per message inside each op-9 batch). */
  delivered: number;
  /** op-9 batches (or bare pushes) received. */
  batches: number;
  /** Pushed messages whose body was not a payload of this run. */
  foreign: number;
}

export type ToDriver =
  | { type: 'progress'; id: number; counts: ClientCounts }
  | { type: 'ready'; id: number; counts: ClientCounts; membersPerRoom: number[]; membersPerComet: number[]; errors: Record<string, number> }
  | { type: 'final'; id: number; counts: ClientCounts; histogram: string; errors: Record<string, number>; lastRecvMs: number };

export type ToClient = { type: 'stop' };
