import type { FastifyInstance } from 'fastify';
import { OBSERVABILITY_PATHS, observabilityAnswer } from '@imcluster/metrics';
import type { HttpContext } from './context.ts';

const SUMMARIES = {
  '/metrics': 'Prometheus metrics of this process (text exposition format)',
  '/healthz': 'Liveness: 200 while the process answers and its event loop turns',
  '/readyz': 'Readiness: 200 when every dependency answers, else 503 naming the failing ones',
} as const;

/** GET /metrics, /healthz and /readyz on the API port, answered as every other role answers them. */
export function observabilityRoutes(ctx: HttpContext) {
  return async (app: FastifyInstance): Promise<void> => {
    for (const path of OBSERVABILITY_PATHS) {
      app.get(path, { schema: { doc: { summary: SUMMARIES[path], tags: ['operations'] } } }, async (_req, reply) => {
        const answer = (await observabilityAnswer(path, ctx.metrics, ctx.health))!;
        return reply.status(answer.status).type(answer.contentType).send(answer.body);
      });
    }
  };
}
