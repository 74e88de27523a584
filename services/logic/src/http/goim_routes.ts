import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireApiKey } from './auth.ts';
import type { HttpContext } from './context.ts';
import { badRequest } from './errors.ts';
import { intParam, listParam, midList, stringParam } from './params.ts';
import type { PushTarget } from '../push.ts';

type Query = Record<string, string | string[] | undefined>;

/**
 * goim's HTTP API, same paths, parameters and `{"code":0,...}` answers, so goim backends switch by
 * adding the API key header. The raw request body is the message, whatever its content type.
 * Unlike goim, a bad request is answered with a 4xx status (and `code` = -status).
 */
export function goimRoutes(ctx: HttpContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    const push = async (req: FastifyRequest, target: PushTarget) => {
      requireApiKey(ctx, req);
      const query = req.query as Query;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const id = await ctx.push.push({ target, operation: intParam(query, 'operation'), body });
      return { code: 0, message: '', data: { id } };
    };
    const q = (req: FastifyRequest) => req.query as Query;

    app.post('/goim/push/keys', (req) => push(req, { type: 'KEYS', keys: listParam(q(req), 'keys') }));
    app.post('/goim/push/mids', (req) => push(req, { type: 'MIDS', mids: midList(listParam(q(req), 'mids')) }));
    app.post('/goim/push/room', (req) => push(req, { type: 'ROOM', room: roomOf(ctx, q(req)) }));
    app.post('/goim/push/all', (req) => push(req, { type: 'BROADCAST', speed: intParam(q(req), 'speed', 0) }));

    app.get('/goim/online/top', async (req) => {
      const type = stringParam(q(req), 'type');
      const top = await ctx.online.top(`${type}://`, intParam(q(req), 'limit', 10));
      return { code: 0, message: '', data: top.map((r) => ({ room_id: r.room.slice(type.length + 3), count: r.count })) };
    });
    app.get('/goim/online/room', async (req) => {
      const type = stringParam(q(req), 'type');
      const ids = listParam(q(req), 'rooms');
      const counts = await ctx.online.rooms(ids.map((id) => `${type}://${id}`));
      return { code: 0, message: '', data: Object.fromEntries(ids.map((id) => [id, counts[`${type}://${id}`] ?? 0])) };
    });
    app.get('/goim/online/total', async () => {
      const total = await ctx.online.total();
      return { code: 0, message: '', data: { conn_count: total.connections, comet_count: total.comets } };
    });
    app.get('/goim/nodes/weighted', async () => ({ code: 0, message: '', data: nodes(ctx) }));
    app.get('/goim/nodes/instances', async () => ({ code: 0, message: '', data: ctx.comets.instances }));
  };
}

/** goim names a room by `type` and id: `type=live&room=1000` is room `live://1000`. */
function roomOf(ctx: HttpContext, query: Query): string {
  const type = stringParam(query, 'type');
  if (!ctx.config.roomTypes.includes(type)) throw badRequest(`unknown room type ${type}; known: ${ctx.config.roomTypes.join(', ')}`);
  return `${type}://${stringParam(query, 'room')}`;
}

/** Where clients may connect, as goim's weighted node list (every comet weighs the same here). */
export function nodes(ctx: HttpContext) {
  return {
    nodes: ctx.comets.instances.map((i) => ({ id: i.id, tcp: i.addrs.tcp, ws: i.addrs.ws ? `ws://${i.addrs.ws}/sub` : undefined, weight: 1 })),
    heartbeat: ctx.config.heartbeatSec,
  };
}
