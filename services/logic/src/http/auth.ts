import type { FastifyRequest } from 'fastify';
import type { HttpContext } from './context.ts';
import type { RouteSchema } from './schema.ts';

/** Throws UNAUTHORIZED (401) unless the request carries `Authorization: Bearer <IM_API_KEY>`. */
export function requireApiKey(ctx: HttpContext, req: FastifyRequest): void {
  ctx.auth.apiKey(req.headers.authorization);
}

/** The user each userRoute request was authenticated as, until the request is gone. */
const users = new WeakMap<FastifyRequest, number>();

/**
 * Options of a route only a user may call: its schema, documented as needing a user token, and a
 * hook that authenticates `Authorization: Bearer <user token>` before the request is validated, so
 * a caller without a valid token gets 401 (UNAUTHORIZED) whatever it sent. The handler reads the
 * user with userOf().
 */
export function userRoute(ctx: HttpContext, schema: RouteSchema) {
  return {
    schema: { ...schema, doc: { ...schema.doc, auth: 'user' as const } },
    preValidation: async (req: FastifyRequest) => {
      users.set(req, await ctx.auth.user(req.headers.authorization));
    },
  };
}

/** The user a userRoute's hook authenticated. */
export function userOf(req: FastifyRequest): number {
  const user = users.get(req);
  if (user === undefined) throw new Error(`${req.routeOptions.url} is not a userRoute`);
  return user;
}

/**
 * Options of a route only business backends may call: its schema, documented as needing the API
 * key, and a hook that checks the key before the request is validated (a caller without it gets
 * 401 and learns nothing about the API).
 */
export function apiKeyRoute(ctx: HttpContext, schema: RouteSchema) {
  return {
    schema: { ...schema, doc: { ...schema.doc, auth: 'api-key' as const } },
    preValidation: async (req: FastifyRequest) => requireApiKey(ctx, req),
  };
}
