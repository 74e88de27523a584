import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '@imcluster/common';
import { ROOM_ID_RULE } from '@imcluster/protocol';
import { MAX_BROADCAST_SPEED, type PushTarget } from '../push.ts';
import { apiKeyRoute, userOf, userRoute } from './auth.ts';
import type { HttpContext } from './context.ts';
import { nodes } from './goim_routes.ts';
import { intQuery, listQuery } from './params.ts';
import type { RouteSchema } from './schema.ts';

const credentials = z.object({
  name: z.string().regex(/^[\p{L}\p{N}_.-]{1,64}$/u, 'name: 1-64 letters, digits, _ . -'),
  password: z.string().min(1).max(256),
});
const registration = credentials.extend({ invite: z.string().max(1024).optional().meta({ description: 'an invite from POST /api/v1/invites (IM_REGISTRATION=invite)' }) });
const passwordChange = z.object({ current: z.string().min(1).max(256), password: z.string().min(1).max(256) });
const inviteRequest = z.object({ ttl_sec: z.number().int().min(60).max(30 * 24 * 3600).default(7 * 24 * 3600).meta({ description: 'how long the invite is valid, seconds' }) });

const message = {
  operation: z.number().int().min(0).max(0xffffffff).meta({ description: 'op number clients receive' }),
  body: z.string().optional().meta({ description: 'the message as UTF-8 text' }),
  body_base64: z
    .string()
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not base64 (RFC 4648 alphabet, with its = padding)')
    .optional()
    .meta({ description: 'the message as base64 (binary; RFC 4648 with padding); wins over body' }),
};
const pushKeys = z.object({ ...message, keys: z.array(z.string().min(1).max(128)).min(1) });
const pushMids = z.object({ ...message, mids: z.array(z.number().int().positive()).min(1) });
const pushRoom = z.object({ ...message, room: z.string().meta({ description: `full room id, e.g. live://1000 (${ROOM_ID_RULE})` }) });
const pushAll = z.object({ ...message, speed: z.number().int().min(0).max(MAX_BROADCAST_SPEED).default(0).meta({ description: 'connections per second for the whole cluster; 0 = as fast as possible' }) });
const onlineTop = z.object({
  prefix: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().default('')).meta({ description: 'only rooms whose id starts with it, e.g. live://' }),
  limit: intQuery('most rooms listed').default(10),
});
const onlineRooms = z.object({ rooms: listQuery('full room ids') });

type Message = { operation: number; body?: string; body_base64?: string };

function bodyOf(input: Message): Buffer {
  if (input.body_base64 !== undefined) return Buffer.from(input.body_base64, 'base64');
  return Buffer.from(input.body ?? '', 'utf8');
}

const tags = ['api'];
const pushDoc = (summary: string, body: z.ZodType): RouteSchema => ({ body, doc: { summary, status: 202, tags } });

/** Our own JSON API: JSON in, JSON out, HTTP status codes that say what happened. */
export function apiRoutes(ctx: HttpContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/users', { schema: { body: registration, doc: { summary: 'Register a user; answers a token', status: 201, tags: ['users'] } } }, async (req, reply) => {
      const { name, password, invite } = req.body as z.infer<typeof registration>;
      const account = await ctx.users.register(name, password, { address: req.ip, invite });
      reply.status(201);
      return account;
    });
    app.post('/api/v1/login', { schema: { body: credentials, doc: { summary: 'Log in; answers a token', tags: ['users'] } } }, async (req) => {
      const { name, password } = req.body as z.infer<typeof credentials>;
      return ctx.users.login(name, password, req.ip);
    });
    app.post('/api/v1/logout', userRoute(ctx, { doc: { summary: 'Revoke every token of the caller and close its connections', status: 204, tags: ['users'] } }), async (req, reply) => {
      await ctx.users.logout(userOf(req));
      return reply.status(204).send();
    });
    app.post('/api/v1/password', userRoute(ctx, { body: passwordChange, doc: { summary: 'Change the password; revokes every earlier token and answers a new one', tags: ['users'] } }), async (req) => {
      const { current, password } = req.body as z.infer<typeof passwordChange>;
      return ctx.users.changePassword(userOf(req), current, password);
    });
    app.post('/api/v1/invites', apiKeyRoute(ctx, { body: inviteRequest, doc: { summary: 'An invite for registration (IM_REGISTRATION=invite)', status: 201, tags: ['users'] } }), async (req, reply) => {
      const { invite, expiresAt } = await ctx.users.invite((req.body as z.infer<typeof inviteRequest>).ttl_sec);
      reply.status(201);
      return { invite, expires_at: expiresAt };
    });

    // The key is checked before the body, so a caller without it learns nothing about the API.
    const push = (schema: RouteSchema, target: (input: never) => PushTarget) => ({
      ...apiKeyRoute(ctx, schema),
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const input = req.body as Message;
        const id = await ctx.push.push({ target: target(input as never), operation: input.operation, body: bodyOf(input) });
        reply.status(202);
        return { id };
      },
    });
    app.post('/api/v1/push/keys', push(pushDoc('Push to connections by key', pushKeys), (i: z.infer<typeof pushKeys>) => ({ type: 'KEYS', keys: i.keys })));
    app.post('/api/v1/push/mids', push(pushDoc('Push to every connection of the users', pushMids), (i: z.infer<typeof pushMids>) => ({ type: 'MIDS', mids: i.mids })));
    app.post('/api/v1/push/room', push(pushDoc('Push to a room', pushRoom), (i: z.infer<typeof pushRoom>) => ({ type: 'ROOM', room: i.room })));
    app.post('/api/v1/push/all', push(pushDoc('Push to every connection', pushAll), (i: z.infer<typeof pushAll>) => ({ type: 'BROADCAST', speed: i.speed })));

    const view = (summary: string, querystring?: z.ZodObject): RouteSchema => ({ ...(querystring ? { querystring } : {}), doc: { summary, tags: ['online'] } });
    app.get('/api/v1/online/top', { schema: view('Rooms with the most members', onlineTop) }, async (req) => {
      const { prefix, limit } = req.query as z.infer<typeof onlineTop>;
      return { rooms: await ctx.online.top(prefix, limit) };
    });
    app.get('/api/v1/online/rooms', { schema: view('Member counts of rooms', onlineRooms) }, async (req) => ({
      rooms: await ctx.online.rooms((req.query as z.infer<typeof onlineRooms>).rooms),
    }));
    app.get('/api/v1/online/total', { schema: view('Connections and comets in the cluster') }, async () => ctx.online.total());
    app.get('/api/v1/nodes', { schema: view('Comet addresses for clients and the heartbeat') }, async () => nodes(ctx));
  };
}
