import type { FastifyRequest } from 'fastify';
import { AuthRefused } from '../auth/errors.ts';
import type { HttpContext } from './context.ts';
import { HttpError } from './errors.ts';

function unauthorized(error: unknown): unknown {
  return error instanceof AuthRefused ? new HttpError(401, error.message) : error;
}

/** The user of the request's `Authorization: Bearer <user token>`; a refusal is a 401. */
export function requireUser(ctx: HttpContext, req: FastifyRequest): Promise<number> {
  return ctx.auth.user(req.headers.authorization).catch((error: unknown) => {
    throw unauthorized(error);
  });
}

/** Throws a 401 unless the request carries `Authorization: Bearer <IM_API_KEY>`. */
export function requireApiKey(ctx: HttpContext, req: FastifyRequest): void {
  try {
    ctx.auth.apiKey(req.headers.authorization);
  } catch (error) {
    throw unauthorized(error);
  }
}
