/**
 * How a client reads pushes, fixed at auth: `goim` (op-9 batches, business ops kept) or `bili`
 * (Bilibili-live: op-5 packets, body coded per the client's protover).
 */
export type Dialect = 'goim' | 'bili';

/** A push as comet receives it from job: the sender's op and an opaque body. */
export interface OutMessage {
  op: number;
  body: Buffer;
}
