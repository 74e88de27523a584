import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '@imcluster/common';
import { userOf, userRoute } from './auth.ts';
import type { HttpContext } from './context.ts';
import { idParam } from './params.ts';
import type { RouteSchema } from './schema.ts';

const userId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const role = z.enum(['member', 'admin']);
const friendRequest = z.object({ to: userId });
const blockBody = z.object({ user: userId });
const groupBody = z.object({ name: z.string() });
const memberBody = z.object({ user: userId, role: role.default('member') });
const roleBody = z.object({ role });
const byName = z.object({ name: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string({ error: 'required' }).min(1).max(256)) });
const id = z.object({ id: idParam('user or group id') });
const from = z.object({ from: idParam('the user who asked') });
const member = z.object({ id: idParam('group id'), user: idParam('member user id') });

type Handler = (me: number, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * The social API (users, friends, blocks, groups): JSON in and out, every call authenticated as
 * the user of its `Authorization: Bearer <JWT>` header, before the body is looked at. Routes only
 * translate: the rules are in `social/`.
 */
export function socialRoutes(ctx: HttpContext) {
  const { social } = ctx;
  const authenticated = (summary: string, parts: Omit<RouteSchema, 'doc'> = {}, status?: number) =>
    userRoute(ctx, { ...parts, doc: { summary, tags: ['social'], ...(status ? { status } : {}) } });
  const as =
    (handler: Handler) =>
    (req: FastifyRequest, reply: FastifyReply): Promise<unknown> =>
      handler(userOf(req), req, reply);
  const created = (reply: FastifyReply, body: unknown) => reply.status(201).send(body);
  const done = (reply: FastifyReply) => reply.status(204).send();
  const body = <S extends z.ZodType>(_schema: S, req: FastifyRequest) => req.body as z.infer<S>;
  const params = <S extends z.ZodType>(_schema: S, req: FastifyRequest) => req.params as z.infer<S>;

  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/users/:id', authenticated('A user by id', { params: id }), as(async (_me, req) => social.user(params(id, req).id)));
    app.get('/api/v1/users', authenticated('A user by name', { querystring: byName }), as(async (_me, req) => social.userNamed((req.query as z.infer<typeof byName>).name)));

    app.post('/api/v1/friends/requests', authenticated('Ask a user to be friends', { body: friendRequest }), as(async (me, req) => social.friends.request(me, body(friendRequest, req).to)));
    app.get('/api/v1/friends/requests', authenticated('Friend requests waiting for me'), as(async (me) => social.friends.requests(me)));
    app.post('/api/v1/friends/requests/:from/accept', authenticated('Accept a friend request', { params: from }), as(async (me, req) => social.friends.accept(me, params(from, req).from)));
    app.get('/api/v1/friends', authenticated('My friends'), as(async (me) => social.friends.list(me)));
    app.delete('/api/v1/friends/:id', authenticated('End a friendship', { params: id }, 204), as(async (me, req, reply) => {
      await social.friends.remove(me, params(id, req).id);
      return done(reply);
    }));

    app.post('/api/v1/blocks', authenticated('Block a user', { body: blockBody }), as(async (me, req) => social.blocks.block(me, body(blockBody, req).user)));
    app.get('/api/v1/blocks', authenticated('Users I blocked'), as(async (me) => social.blocks.list(me)));
    app.delete('/api/v1/blocks/:id', authenticated('Unblock a user', { params: id }, 204), as(async (me, req, reply) => {
      await social.blocks.unblock(me, params(id, req).id);
      return done(reply);
    }));

    app.post('/api/v1/groups', authenticated('Create a group', { body: groupBody }, 201), as(async (me, req, reply) => created(reply, await social.groups.create(me, body(groupBody, req).name))));
    app.get('/api/v1/groups', authenticated('My groups'), as(async (me) => social.groups.mine(me)));
    app.get('/api/v1/groups/:id', authenticated('A group and its members (members only)', { params: id }), as(async (me, req) => social.groups.get(me, params(id, req).id)));
    app.delete('/api/v1/groups/:id', authenticated('Dissolve a group (owner only)', { params: id }, 204), as(async (me, req, reply) => {
      await social.groups.dissolve(me, params(id, req).id);
      return done(reply);
    }));
    app.post('/api/v1/groups/:id/leave', authenticated('Leave a group', { params: id }, 204), as(async (me, req, reply) => {
      await social.groups.leave(me, params(id, req).id);
      return done(reply);
    }));
    app.post('/api/v1/groups/:id/members', authenticated('Add a member (owner or admin)', { params: id, body: memberBody }, 201), as(async (me, req, reply) => {
      const { user, role } = body(memberBody, req);
      return created(reply, await social.groups.add(me, params(id, req).id, user, role));
    }));
    app.patch('/api/v1/groups/:id/members/:user', authenticated("Change a member's role (owner only)", { params: member, body: roleBody }), as(async (me, req) => {
      const { id: group, user } = params(member, req);
      return social.groups.setRole(me, group, user, body(roleBody, req).role);
    }));
    app.delete('/api/v1/groups/:id/members/:user', authenticated('Remove a member', { params: member }, 204), as(async (me, req, reply) => {
      const { id: group, user } = params(member, req);
      await social.groups.remove(me, group, user);
      return done(reply);
    }));
  };
}
