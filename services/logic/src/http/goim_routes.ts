import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from '@imcluster/common';
import { apiKeyRoute, requireApiKey } from './auth.ts';
import type { HttpContext } from './context.ts';
import { badRequest } from './errors.ts';
import { intQuery, listQuery, midList, stringQuery } from './params.ts';
import type { RouteSchema } from './schema.ts';
import type { PushTarget } from '../push.ts';

const operation = intQuery('op number clients receive, 0-4294967295 (goim uses 1000 and up)');
const pushKeys = z.object({ operation, keys: listQuery('connection keys') });
const pushMids = z.object({ operation, mids: midList('user ids (positive integers)') });
const pushRoom = z.object({ operation, type: stringQuery('room type, one of IM_ROOM_TYPES'), room: stringQuery('room id within the type') });
const pushAll = z.object({ operation, speed: intQuery('connections per second for the whole cluster; 0 = as fast as possible').default(0) });
const onlineTop = z.object({ type: stringQuery('room type'), limit: intQuery('most rooms listed').default(10) });
const onlineRoom = z.object({ type: stringQuery('room type'), rooms: listQuery('room ids within the type') });

const tags = ['goim'];
const push = (summary: string, querystring: z.ZodObject): RouteSchema => ({ querystring, doc: { summary, auth: 'api-key', rawBody: true, tags } });
const view = (summary: string, querystring?: z.ZodObject): RouteSchema => ({ ...(querystring ? { querystring } : {}), doc: { summary, tags } });

/**
 * goim's HTTP API, same paths, parameters and `{"code":0,...}` answers, so goim backends switch by
 * adding the API key header. The raw request body is the message, whatever its content type.
 * Unlike goim, a bad request is answered with a 4xx status (and `code` = -status). The query is
 * checked before the API key, as goim does.
 */
export function goimRoutes(ctx: HttpContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    const send = async (req: FastifyRequest, target: PushTarget) => {
      requireApiKey(ctx, req);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const id = await ctx.push.push({ target, operation: (req.query as { operation: number }).operation, body });
      return { code: 0, message: '', data: { id } };
    };

    app.post('/goim/push/keys', { schema: push('Push to connections by key', pushKeys) }, (req) => send(req, { type: 'KEYS', keys: (req.query as z.infer<typeof pushKeys>).keys }));
    app.post('/goim/push/mids', { schema: push('Push to every connection of the users', pushMids) }, (req) => send(req, { type: 'MIDS', mids: (req.query as z.infer<typeof pushMids>).mids }));
    app.post('/goim/push/room', { schema: push('Push to a room (`type=live&room=1000` is room live://1000)', pushRoom) }, (req) =>
      send(req, { type: 'ROOM', room: roomOf(ctx, req.query as z.infer<typeof pushRoom>) }),
    );
    app.post('/goim/push/all', { schema: push('Push to every connection', pushAll) }, (req) => send(req, { type: 'BROADCAST', speed: (req.query as z.infer<typeof pushAll>).speed }));

    app.get('/goim/online/top', { schema: view('Rooms of a type with the most members', onlineTop) }, async (req) => {
      const { type, limit } = req.query as z.infer<typeof onlineTop>;
      const top = await ctx.online.top(`${type}://`, limit);
      return { code: 0, message: '', data: top.map((r) => ({ room_id: r.room.slice(type.length + 3), count: r.count })) };
    });
    app.get('/goim/online/room', { schema: view('Member counts of rooms of a type', onlineRoom) }, async (req) => {
      const { type, rooms: ids } = req.query as z.infer<typeof onlineRoom>;
      const counts = await ctx.online.rooms(ids.map((id) => `${type}://${id}`));
      return { code: 0, message: '', data: Object.fromEntries(ids.map((id) => [id, counts[`${type}://${id}`] ?? 0])) };
    });
    app.get('/goim/online/total', { schema: view('Connections and comets in the cluster') }, async () => {
      const total = await ctx.online.total();
      return { code: 0, message: '', data: { conn_count: total.connections, comet_count: total.comets } };
    });
    app.get('/goim/nodes/weighted', { schema: view('Comet addresses for clients, with the heartbeat') }, async () => ({ code: 0, message: '', data: nodes(ctx) }));
    // Internal addresses (gRPC, metrics) are for operators only.
    app.get('/goim/nodes/instances', apiKeyRoute(ctx, view('Registered comets with every address, internal ones included')), async () => ({
      code: 0,
      message: '',
      data: ctx.comets.instances,
    }));
  };
}

/** goim names a room by `type` and id: `type=live&room=1000` is room `live://1000`. */
function roomOf(ctx: HttpContext, query: { type: string; room: string }): string {
  if (!ctx.config.roomTypes.includes(query.type)) throw badRequest(`unknown room type ${query.type}; known: ${ctx.config.roomTypes.join(', ')}`);
  return `${query.type}://${query.room}`;
}

/**
 * Where clients may connect, as goim's weighted node list (every comet weighs the same here): the
 * client addresses only, never the internal ones. `tls` says the comet terminates TLS on both
 * (`wss://`, and TLS on the TCP port).
 */
export function nodes(ctx: HttpContext) {
  return {
    nodes: ctx.comets.instances.map((i) => {
      const tls = i.meta?.tls === 1;
      const ws = i.addrs.ws ? `${tls ? 'wss' : 'ws'}://${i.addrs.ws}/sub` : undefined;
      return { id: i.id, tcp: i.addrs.publicTcp ?? i.addrs.tcp, ws: i.addrs.publicWs ?? ws, tls, weight: 1 };
    }),
    heartbeat: ctx.config.heartbeatSec,
  };
}
