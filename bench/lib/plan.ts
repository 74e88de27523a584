import type { ClientPlan, Transport } from './ipc.ts';

/** Where global connection `i` goes: comets vary fastest, then rooms, then transports (for mix). */
export function placement(plan: ClientPlan, i: number): { comet: number; room: number; transport: Transport } {
  const comets = plan.comets.length;
  const comet = i % comets;
  const room = Math.floor(i / comets) % plan.rooms;
  if (plan.transport !== 'mix') return { comet, room, transport: plan.transport };
  // Alternate whole comet x room cycles so every room gets both transports; with fewer than two
  // cycles, alternate inside the cycle instead (rooms then lean to one transport, all still used).
  const cycles = plan.totalConns / (comets * plan.rooms);
  const flip = cycles >= 2 ? Math.floor(i / (comets * plan.rooms)) : Math.floor(i / comets);
  return { comet, room, transport: flip % 2 === 0 ? 'tcp' : 'ws' };
}

/** The room id as the push API takes it (`type=live&room=<id>`). */
export function roomId(room: number): string {
  return `bench-${room}`;
}

/** The room as clients name it in their auth body. */
export function roomName(room: number): string {
  return `live://${roomId(room)}`;
}

/** Splits `conns` connections into `clients` contiguous, near-equal shares. */
export function splitPlans(base: Omit<ClientPlan, 'id' | 'first' | 'count'>, clients: number): ClientPlan[] {
  const plans: ClientPlan[] = [];
  const per = Math.floor(base.totalConns / clients);
  const extra = base.totalConns % clients;
  let first = 0;
  for (let id = 0; id < clients; id++) {
    const count = per + (id < extra ? 1 : 0);
    plans.push({ ...base, id, first, count });
    first += count;
  }
  return plans;
}
