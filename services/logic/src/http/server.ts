import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ImError, type Logger } from '@imcluster/common';
import { apiRoutes } from './api_routes.ts';
import type { HttpContext } from './context.ts';
import { httpError } from './errors.ts';
import { goimRoutes } from './goim_routes.ts';
import { socialRoutes } from './social_routes.ts';
import { chatRoutes } from './chat_routes.ts';
import { observabilityRoutes } from './observability_routes.ts';
import { OPENAPI_PATH, OpenApiDocument } from './openapi.ts';
import { zodValidator } from './schema.ts';

export function createHttpServer(ctx: HttpContext, logger: Logger): FastifyInstance {
  // Per-request lines are info level: a warn-level child keeps them out, errors still show.
  const app = Fastify({
    loggerInstance: logger.child({}, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: Math.max(64 * 1024, ctx.config.pushMaxBody * 2),
    // req.ip, which login and registration are limited by: the peer, or X-Forwarded-For's client behind a proxy.
    trustProxy: ctx.config.trustProxy,
  });

  // The one place errors become answers: `{"code": -status, "message", "error", "retryable"}`.
  app.setErrorHandler((error, req, reply) => {
    const { status, body, headers } = httpError(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    void reply.status(status).headers(headers).send(body);
  });
  app.setValidatorCompiler(zodValidator);
  const openapi = new OpenApiDocument('0.1.0');
  app.addHook('onRoute', (route) => openapi.add(route));
  app.setNotFoundHandler((req) => {
    throw new ImError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
  });
  app.register(goimRoutes(ctx));
  app.register(apiRoutes(ctx));
  app.register(socialRoutes(ctx));
  app.register(chatRoutes(ctx));
  app.register(observabilityRoutes(ctx));
  app.register(async (scope) => {
    scope.get(OPENAPI_PATH, { schema: { doc: { summary: 'This document (OpenAPI 3.1)', tags: ['meta'] } } }, async () => openapi.document());
  });
  return app;
}
