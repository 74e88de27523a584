import type { RouteOptions } from 'fastify';
import { errorCodes, z } from '@imcluster/common';
import type { RouteSchema } from './schema.ts';

type Json = Record<string, unknown>;

/** Where the document is served. */
export const OPENAPI_PATH = '/openapi.json';

const SECURITY = { 'api-key': [{ apiKey: [] }], user: [{ userToken: [] }] } as const;
const ERROR = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a request part accepts. */
function inputSchema(schema: z.ZodType): Json {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  return json;
}

/** One parameter per property; required is what validation requires, found by validating nothing. */
function parameters(where: 'query' | 'path', schema: z.ZodObject | undefined): Json[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, property]) => {
    const { description, ...json } = inputSchema(property as z.ZodType);
    const required = where === 'path' || !(property as z.ZodType).safeParse(undefined).success;
    return { name, in: where, required, ...(description ? { description } : {}), schema: json };
  });
}

function operation(schema: RouteSchema): Json {
  const { doc } = schema;
  const params = [...parameters('path', schema.params), ...parameters('query', schema.querystring)];
  const body = doc.rawBody
    ? { required: false, description: 'the message, any content type', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }
    : schema.body
      ? { required: true, content: { 'application/json': { schema: inputSchema(schema.body) } } }
      : undefined;
  return {
    summary: doc.summary,
    tags: doc.tags,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    ...(doc.auth ? { security: SECURITY[doc.auth] } : {}),
    responses: { [String(doc.status ?? 200)]: { description: 'success' }, '4XX': ERROR, '5XX': ERROR },
  };
}

/**
 * The OpenAPI 3.1 document of logic's HTTP API, generated from the routes as fastify registers
 * them: each route's zod schemas (the ones that validate its requests) and its `doc`. A route
 * without `doc` is refused at registration, so no route goes undocumented.
 */
export class OpenApiDocument {
  readonly #paths: Record<string, Record<string, Json>> = {};
  readonly #version: string;
  #document?: Json;

  constructor(version: string) {
    this.#version = version;
  }

  /**
   * An onRoute hook: records the route. Left out: the HEAD routes fastify adds for GET ones, and
   * the OPTIONS route that answers CORS preflights (IM_HTTP_CORS_ORIGINS), which is no operation.
   */
  add(route: RouteOptions): void {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
    if (methods.length === 0) return;
    const schema = route.schema as RouteSchema | undefined;
    if (!schema?.doc) throw new Error(`route ${methods.join(',')} ${route.url} has no schema.doc; every route is documented`);
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of methods) (this.#paths[path] ??= {})[method.toLowerCase()] = operation(schema);
  }

  document(): Json {
    this.#document ??= {
      openapi: '3.1.0',
      info: { title: 'imcluster HTTP API (logic)', version: this.#version, description: 'Generated from the schemas that validate each request. Every error is {"code": -status, "message", "error", "retryable"}.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'IM_API_KEY, for pushes' },
          userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'a token from POST /api/v1/users or /api/v1/login' },
        },
        schemas: {
          Error: {
            type: 'object',
            required: ['code', 'message', 'error', 'retryable'],
            properties: {
              code: { type: 'integer', description: '-status' },
              message: { type: 'string' },
              error: { type: 'string', enum: [...errorCodes], description: 'the stable code to branch on' },
              retryable: { type: 'boolean', description: 'the same request may succeed later (back off first)' },
            },
          },
        },
      },
      paths: this.#paths,
    };
    return this.#document;
  }
}
