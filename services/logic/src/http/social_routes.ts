import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '@imcluster/common';
import { requireUser } from './auth.ts';
import type { HttpContext } from './context.ts';
import { badRequest } from './errors.ts';

const userId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const role = z.enum(['member', 'admin']);
const friendRequest = z.object({ to: userId });
const blockBody = z.object({ user: userId });
const groupBody = z.object({ name: z.string() });
const memberBody = z.object({ user: userId, role: role.default('member') });
const roleBody = z.object({ role });

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw badRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** A positive id from the path: digits only, so `1e3`, `0x10` and `-1` are refused. */
function idParam(req: FastifyRequest, name: string): number {
  const raw = (req.params as Record<string, string | undefined>)[name] ?? '';
  const id = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw badRequest(`${name}: not a positive integer id`);
  return id;
}

type Handler = (me: number, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * The social API (users, friends, blocks, groups): JSON in and out, every call authenticated as
 * the user of its `Authorization: Bearer <JWT>` header. Routes only translate: the rules are in
 * `social/`.
 */
export function socialRoutes(ctx: HttpContext) {
  const { social } = ctx;
  const as =
    (handler: Handler) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> =>
      handler(await requireUser(ctx, req), req, reply);
  const created = (reply: FastifyReply, body: unknown) => reply.status(201).send(body);
  const done = (reply: FastifyReply) => reply.status(204).send();

  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/users/:id', as(async (_me, req) => social.user(idParam(req, 'id'))));
    app.get('/api/v1/users', as(async (_me, req) => {
      const { name } = parse(z.object({ name: z.string().min(1).max(256) }), req.query);
      return social.userNamed(name);
    }));

    app.post('/api/v1/friends/requests', as(async (me, req) => social.friends.request(me, parse(friendRequest, req.body).to)));
    app.get('/api/v1/friends/requests', as(async (me) => social.friends.requests(me)));
    app.post('/api/v1/friends/requests/:from/accept', as(async (me, req) => social.friends.accept(me, idParam(req, 'from'))));
    app.get('/api/v1/friends', as(async (me) => social.friends.list(me)));
    app.delete('/api/v1/friends/:id', as(async (me, req, reply) => {
      await social.friends.remove(me, idParam(req, 'id'));
      return done(reply);
    }));

    app.post('/api/v1/blocks', as(async (me, req) => social.blocks.block(me, parse(blockBody, req.body).user)));
    app.get('/api/v1/blocks', as(async (me) => social.blocks.list(me)));
    app.delete('/api/v1/blocks/:id', as(async (me, req, reply) => {
      await social.blocks.unblock(me, idParam(req, 'id'));
      return done(reply);
    }));

    app.post('/api/v1/groups', as(async (me, req, reply) => created(reply, await social.groups.create(me, parse(groupBody, req.body).name))));
    app.get('/api/v1/groups', as(async (me) => social.groups.mine(me)));
    app.get('/api/v1/groups/:id', as(async (me, req) => social.groups.get(me, idParam(req, 'id'))));
    app.delete('/api/v1/groups/:id', as(async (me, req, reply) => {
      await social.groups.dissolve(me, idParam(req, 'id'));
      return done(reply);
    }));
    app.post('/api/v1/groups/:id/leave', as(async (me, req, reply) => {
      await social.groups.leave(me, idParam(req, 'id'));
      return done(reply);
    }));
    app.post('/api/v1/groups/:id/members', as(async (me, req, reply) => {
      const { user, role } = parse(memberBody, req.body);
      return created(reply, await social.groups.add(me, idParam(req, 'id'), user, role));
    }));
    app.patch('/api/v1/groups/:id/members/:user', as(async (me, req) => {
      const { role } = parse(roleBody, req.body);
      return social.groups.setRole(me, idParam(req, 'id'), idParam(req, 'user'), role);
    }));
    app.delete('/api/v1/groups/:id/members/:user', as(async (me, req, reply) => {
      await social.groups.remove(me, idParam(req, 'id'), idParam(req, 'user'));
      return done(reply);
    }));
  };
}
