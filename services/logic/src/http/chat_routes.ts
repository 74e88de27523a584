import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from '@imcluster/common';
import { userOf, userRoute } from './auth.ts';
import type { HttpContext } from './context.ts';
import { intQuery, seqQuery } from './params.ts';
import type { RouteSchema } from './schema.ts';

const limit = (fallback: number) => intQuery('most items, 1-200').default(fallback).pipe(z.number().min(1, 'limit must be 1-200').max(200, 'limit must be 1-200'));
const list = z.object({ limit: limit(200) });
const conv = z.object({ conv: z.string().min(1).meta({ description: 'conversation id, e.g. u:7:42 or g:3' }) });
const page = z
  .object({ before: seqQuery('messages before this seq').optional(), after: seqQuery('messages after this seq').optional(), limit: limit(50) })
  .refine((q) => q.before === undefined || q.after === undefined, 'give before or after, not both');

/**
 * Conversations for apps, token-authenticated: the user's list with last seq and unread count
 * (`GET /api/v1/conversations?limit=50`), and, for a member, a page of history before or after a
 * seq, ascending (`GET /api/v1/conversations/u:7:42/messages?before=100&limit=50`).
 */
export function chatRoutes(ctx: HttpContext) {
  const route = (summary: string, parts: Omit<RouteSchema, 'doc'>) => userRoute(ctx, { ...parts, doc: { summary, tags: ['chat'] } });
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/conversations', route('My conversations with messages, with unread counts', { querystring: list }), async (req: FastifyRequest) => {
      const { limit } = req.query as z.infer<typeof list>;
      return { conversations: await ctx.chat.conversations(userOf(req), limit) };
    });
    app.get('/api/v1/conversations/:conv/messages', route('A page of history (members only), ascending', { params: conv, querystring: page }), async (req: FastifyRequest) => {
      const { before, after, limit } = req.query as z.infer<typeof page>;
      const { conv: id } = req.params as z.infer<typeof conv>;
      return ctx.chat.history(userOf(req), id, { limit, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
    });
  };
}
