import type { FastifyInstance } from 'fastify';
import { OBSERVABILITY_PATHS, observabilityAnswer } from '@imcluster/metrics';
import type { HttpContext } from './context.ts';

/** GET /metrics, /healthz and /readyz on the API port, answered as every other role answers them. */
export function observabilityRoutes(ctx: HttpContext) {
  return async (app: FastifyInstance): Promise<void> => {
    for (const path of OBSERVABILITY_PATHS) {
      app.get(path, async (_req, reply) => {
        const answer = (await observabilityAnswer(path, ctx.metrics, ctx.health))!;
        return reply.status(answer.status).type(answer.contentType).send(answer.body);
      });
    }
  };
}
