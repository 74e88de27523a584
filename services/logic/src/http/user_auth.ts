import type { FastifyRequest } from 'fastify';
import type { Social } from '../social/social.ts';
import type { RouteSchema } from './schema.ts';
import { toHttp } from './social_routes.ts';

/** Route options of a user-token route: its schema and the hook that authenticates the caller. */
export interface UserRoute {
  schema: RouteSchema;
  preValidation: (req: FastifyRequest) => Promise<void>;
}

/**
 * Authenticates user-token routes as the user of `Authorization: Bearer <JWT>`, in a hook that
 * runs before the request is validated: a caller without a valid token gets 401 whatever it sent.
 */
export class UserAuth {
  readonly #social: Social;
  readonly #users = new WeakMap<FastifyRequest, number>();

  constructor(social: Social) {
    this.#social = social;
  }

  route(summary: string, tags: string[], parts: Omit<RouteSchema, 'doc'> = {}, status?: number): UserRoute {
    return {
      schema: { ...parts, doc: { summary, auth: 'user', tags, ...(status ? { status } : {}) } },
      preValidation: async (req) => {
        try {
          this.#users.set(req, await this.#social.authenticate(req.headers.authorization));
        } catch (error) {
          throw toHttp(error);
        }
      },
    };
  }

  /** The user a route's hook authenticated. */
  userOf(req: FastifyRequest): number {
    const user = this.#users.get(req);
    if (user === undefined) throw new Error('route without UserAuth.route()');
    return user;
  }
}
