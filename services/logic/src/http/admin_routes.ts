import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from '@imcluster/common';
import { apiKeyRoute } from './auth.ts';
import type { HttpContext } from './context.ts';
import type { RouteSchema } from './schema.ts';

/** Longest a drain may take to answer: the comet answers once every client was told (IM_COMET_DRAIN_MS). */
const DRAIN_TIMEOUT_MS = 60_000;

const cometId = z.object({ id: z.string().min(1).max(128).meta({ description: 'comet id, as registered' }) });
const route = (summary: string, parts: Omit<RouteSchema, 'doc'> = {}, status?: number): RouteSchema => ({ ...parts, doc: { summary, tags: ['admin'], ...(status ? { status } : {}) } });

/**
 * What the operator console (/admin/) reads and does, behind the API key: every registered process
 * with its internal addresses (kept off the public node lists), lease state and counters, and the
 * drain of a comet.
 */
export function adminRoutes(ctx: HttpContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/admin/cluster', apiKeyRoute(ctx, route('Registered comets, logics and jobs with their addresses, lease state and metrics; cluster totals')), async () => ctx.cluster.snapshot());
    app.post('/api/v1/admin/comets/:id/drain', apiKeyRoute(ctx, route('Drain a comet: it leaves the registry and moves its clients elsewhere (close code 3001)', { params: cometId }, 202)), async (req: FastifyRequest, reply) => {
      const { id } = req.params as z.infer<typeof cometId>;
      const clients = await ctx.comets.drain(id, DRAIN_TIMEOUT_MS);
      reply.status(202);
      return { id, clients };
    });
  };
}
