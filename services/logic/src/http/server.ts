import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ImError, type Logger } from '@imcluster/common';
import { apiRoutes } from './api_routes.ts';
import type { HttpContext } from './context.ts';
import { httpError } from './errors.ts';
import { goimRoutes } from './goim_routes.ts';
import { socialRoutes } from './social_routes.ts';
import { chatRoutes } from './chat_routes.ts';

export function createHttpServer(ctx: HttpContext, logger: Logger): FastifyInstance {
  // Per-request lines are info level: a warn-level child keeps them out, errors still show.
  const app = Fastify({ loggerInstance: logger.child({}, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: Math.max(64 * 1024, ctx.config.pushMaxBody * 2) });

  // The one place errors become answers: `{"code": -status, "message", "error", "retryable"}`.
  app.setErrorHandler((error, req, reply) => {
    const { status, body } = httpError(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req) => {
    throw new ImError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
  });
  app.register(goimRoutes(ctx));
  app.register(apiRoutes(ctx));
  app.register(socialRoutes(ctx));
  app.register(chatRoutes(ctx));
  return app;
}
