import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from './auth.ts';
import type { HttpContext } from './context.ts';
import { badRequest } from './errors.ts';
import { intParam } from './params.ts';

type Query = Record<string, string | string[] | undefined>;

/**
 * Conversations for apps, token-authenticated: the user's list with last seq and unread count
 * (`GET /api/v1/conversations?limit=50`), and, for a member, a page of history before or after a
 * seq, ascending (`GET /api/v1/conversations/u:7:42/messages?before=100&limit=50`).
 */
export function chatRoutes(ctx: HttpContext) {
  const userOf = (req: FastifyRequest) => requireUser(ctx, req);
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/conversations', async (req: FastifyRequest) => {
      const user = await userOf(req);
      const limit = intParam(req.query as Query, 'limit', 200);
      if (limit < 1 || limit > 200) throw badRequest('limit must be 1-200');
      return { conversations: await ctx.chat.conversations(user, limit) };
    });
    app.get('/api/v1/conversations/:conv/messages', async (req: FastifyRequest) => {
      const user = await userOf(req);
      const { conv } = req.params as { conv: string };
      const query = req.query as Query;
      const limit = intParam(query, 'limit', 50);
      if (limit < 1 || limit > 200) throw badRequest('limit must be 1-200');
      const before = query.before === undefined ? undefined : intParam(query, 'before');
      const after = query.after === undefined ? undefined : intParam(query, 'after');
      if (before !== undefined && after !== undefined) throw badRequest('give before or after, not both');
      return ctx.chat.history(user, conv, { limit, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
    });
  };
}
