import cors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ImError, type Logger } from '@imcluster/common';
import { adminRoutes } from './admin_routes.ts';
import { apiRoutes } from './api_routes.ts';
import type { HttpContext } from './context.ts';
import { httpError } from './errors.ts';
import { goimRoutes } from './goim_routes.ts';
import { socialRoutes } from './social_routes.ts';
import { chatRoutes } from './chat_routes.ts';
import { observabilityRoutes } from './observability_routes.ts';
import { OPENAPI_PATH, OpenApiDocument } from './openapi.ts';
import { zodValidator } from './schema.ts';
import { webRoutes } from './web_routes.ts';

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
  allowOrigins(app, ctx.config.corsOrigins);
  app.register(goimRoutes(ctx));
  app.register(apiRoutes(ctx));
  app.register(socialRoutes(ctx));
  app.register(chatRoutes(ctx));
  app.register(observabilityRoutes(ctx));
  app.register(adminRoutes(ctx));
  app.register(webRoutes(ctx));
  app.register(async (scope) => {
    scope.get(OPENAPI_PATH, { schema: { doc: { summary: 'This document (OpenAPI 3.1)', tags: ['meta'] } } }, async () => openapi.document());
  });
  return app;
}

/**
 * Lets browser pages from `origins` (IM_HTTP_CORS_ORIGINS; `*` = any) call the API, preflights
 * included. None by default: only pages served from the API's own origin may call it. Credentials
 * travel in the Authorization header, never in cookies, so no origin is trusted with cookies.
 */
function allowOrigins(app: FastifyInstance, origins: string[]): void {
  if (origins.length === 0) return;
  app.register(cors, {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });
}
