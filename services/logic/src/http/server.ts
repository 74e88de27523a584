import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from '@imcluster/common';
import { PushNotAccepted, PushRejected } from '../push.ts';
import { UserError } from '../users.ts';
import { ChatCode, ChatError } from '../chat/codes.ts';
import { apiRoutes } from './api_routes.ts';
import type { HttpContext } from './context.ts';
import { HttpError } from './errors.ts';
import { goimRoutes } from './goim_routes.ts';
import { socialRoutes } from './social_routes.ts';
import { chatRoutes } from './chat_routes.ts';
import { observabilityRoutes } from './observability_routes.ts';
import { OPENAPI_PATH, OpenApiDocument } from './openapi.ts';
import { zodValidator } from './schema.ts';

const CHAT_STATUS: Record<number, number> = { [ChatCode.FORBIDDEN]: 403, [ChatCode.NOT_FOUND]: 404, [ChatCode.INVALID]: 400 };

/**
 * Every error is answered as JSON `{"code": <negative HTTP status>, "message": "..."}` with a
 * matching 4xx/5xx status: goim clients read `code`, others read the status.
 */
function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof PushRejected) return /body over/.test(error.message) ? 413 : 400;
  if (error instanceof UserError) return error.code === 'NAME_TAKEN' ? 409 : 401;
  if (error instanceof PushNotAccepted) return 503;
  if (error instanceof ChatError) return CHAT_STATUS[error.code] ?? 400;
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  return 500;
}

export function createHttpServer(ctx: HttpContext, logger: Logger): FastifyInstance {
  // Per-request lines are info level: a warn-level child keeps them out, errors still show.
  const app = Fastify({ loggerInstance: logger.child({}, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: Math.max(64 * 1024, ctx.config.pushMaxBody * 2) });
  const apiKey = Buffer.from(ctx.config.apiKey);
  const requireApiKey = (req: FastifyRequest) => {
    const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
    if (given.length !== apiKey.length || !timingSafeEqual(given, apiKey)) throw new HttpError(401, 'missing or wrong API key');
  };

  app.setErrorHandler((error, req, reply) => {
    const status = statusOf(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    const message = status === 500 ? 'internal error' : (error as Error).message;
    void reply.status(status).send({ code: -status, message });
  });
  app.setValidatorCompiler(zodValidator);
  const openapi = new OpenApiDocument('0.1.0');
  app.addHook('onRoute', (route) => openapi.add(route));
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ code: -404, message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  app.register(goimRoutes(ctx, requireApiKey));
  app.register(apiRoutes(ctx, requireApiKey));
  app.register(socialRoutes(ctx));
  app.register(chatRoutes(ctx));
  app.register(observabilityRoutes(ctx));
  app.register(async (scope) => {
    scope.get(OPENAPI_PATH, { schema: { doc: { summary: 'This document (OpenAPI 3.1)', tags: ['meta'] } } }, async () => openapi.document());
  });
  return app;
}
