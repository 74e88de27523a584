import type { FastifyRequest } from 'fastify';
import type { HttpContext } from './context.ts';

/** The user of the request's `Authorization: Bearer <user token>`; a refusal answers 401 (UNAUTHORIZED). */
export function requireUser(ctx: HttpContext, req: FastifyRequest): Promise<number> {
  return ctx.auth.user(req.headers.authorization);
}

/** Throws UNAUTHORIZED (401) unless the request carries `Authorization: Bearer <IM_API_KEY>`. */
export function requireApiKey(ctx: HttpContext, req: FastifyRequest): void {
  ctx.auth.apiKey(req.headers.authorization);
}
