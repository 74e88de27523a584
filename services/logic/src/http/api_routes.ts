import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from '@imcluster/common';
import type { PushTarget } from '../push.ts';
import type { HttpContext } from './context.ts';
import { badRequest, HttpError } from './errors.ts';
import { nodes } from './goim_routes.ts';
import { intParam, listParam, stringParam } from './params.ts';

const credentials = z.object({
  name: z.string().regex(/^[\p{L}\p{N}_.-]{1,64}$/u, 'name: 1-64 letters, digits, _ . -'),
  password: z.string().min(6).max(256),
});

const message = {
  operation: z.number().int().min(0).max(0xffffffff),
  /** UTF-8 text body; or `body_base64` for binary. */
  body: z.string().optional(),
  body_base64: z.string().optional(),
};
const pushKeys = z.object({ ...message, keys: z.array(z.string().min(1).max(128)).min(1) });
const pushMids = z.object({ ...message, mids: z.array(z.number().int().positive()).min(1) });
const pushRoom = z.object({ ...message, room: z.string().regex(/^[\x21-\x7e]{1,128}$/) });
const pushAll = z.object({ ...message, speed: z.number().int().min(0).default(0) });

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw badRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

function bodyOf(input: { body?: string; body_base64?: string }): Buffer {
  if (input.body_base64 !== undefined) return Buffer.from(input.body_base64, 'base64');
  return Buffer.from(input.body ?? '', 'utf8');
}

/** Our own JSON API: JSON in, JSON out, HTTP status codes that say what happened. */
export function apiRoutes(ctx: HttpContext, requireApiKey: (req: FastifyRequest) => void) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/users', async (req, reply) => {
      const { name, password } = parse(credentials, req.body);
      reply.status(201);
      return ctx.users.register(name, password);
    });
    app.post('/api/v1/login', async (req) => {
      const { name, password } = parse(credentials, req.body);
      return ctx.users.login(name, password);
    });

    const push = async (target: PushTarget, input: { operation: number; body?: string; body_base64?: string }) => {
      const id = await ctx.push.push({ target, operation: input.operation, body: bodyOf(input) });
      return { id };
    };
    const authed = (handler: (req: FastifyRequest) => Promise<unknown>) => async (req: FastifyRequest, reply: { status(n: number): unknown }) => {
      requireApiKey(req);
      const result = await handler(req);
      reply.status(202);
      return result;
    };
    app.post('/api/v1/push/keys', authed(async (req) => {
      const input = parse(pushKeys, req.body);
      return push({ type: 'KEYS', keys: input.keys }, input);
    }));
    app.post('/api/v1/push/mids', authed(async (req) => {
      const input = parse(pushMids, req.body);
      return push({ type: 'MIDS', mids: input.mids }, input);
    }));
    app.post('/api/v1/push/room', authed(async (req) => {
      const input = parse(pushRoom, req.body);
      return push({ type: 'ROOM', room: input.room }, input);
    }));
    app.post('/api/v1/push/all', authed(async (req) => {
      const input = parse(pushAll, req.body);
      return push({ type: 'BROADCAST', speed: input.speed }, input);
    }));

    const q = (req: FastifyRequest) => req.query as Record<string, string | string[] | undefined>;
    app.get('/api/v1/online/top', async (req) => ({
      rooms: await ctx.online.top(typeof q(req).prefix === 'string' ? (q(req).prefix as string) : '', intParam(q(req), 'limit', 10)),
    }));
    app.get('/api/v1/online/rooms', async (req) => {
      const rooms = listParam(q(req), 'rooms');
      if (rooms.length === 0) stringParam(q(req), 'rooms');
      return { rooms: await ctx.online.rooms(rooms) };
    });
    app.get('/api/v1/online/total', async () => ctx.online.total());
    app.get('/api/v1/nodes', async () => ({ ...nodes(ctx), instances: ctx.comets.instances }));
  };
}

export { HttpError };
