import type { FastifySchemaCompiler } from 'fastify';
import { ImError, type z } from '@imcluster/common';

/** How a route is documented in the OpenAPI document beside what its schemas say. */
export interface RouteDoc {
  summary: string;
  /** `api-key`: Authorization: Bearer <IM_API_KEY>; `user`: Authorization: Bearer <user token>. */
  auth?: 'api-key' | 'user';
  /** Status of a success (default 200). */
  status?: number;
  /** The raw request body is the message, whatever its content type (goim routes). */
  rawBody?: boolean;
  tags: string[];
}

/**
 * The schema of a route: zod schemas that fastify runs to validate the request before the
 * handler (see zodValidator), and the documentation the OpenAPI document is generated from.
 * One source of truth: what validates a request is what the document describes.
 */
export interface RouteSchema {
  body?: z.ZodType;
  querystring?: z.ZodObject;
  params?: z.ZodObject;
  doc: RouteDoc;
}

/**
 * Fastify's validator compiler for zod schemas: the parsed value (defaults applied, lists split,
 * integers converted) replaces the request part; a failure is an INVALID error (400 through the
 * server's one error handler) naming the first bad field.
 */
export const zodValidator: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  return (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || (httpPart === 'querystring' ? 'query' : (httpPart ?? 'body'));
    return { error: new ImError('INVALID', `${where}: ${issue?.message ?? 'invalid'}`) };
  };
};

declare module 'fastify' {
  interface FastifySchema {
    /** Documentation of the route (see RouteDoc); the OpenAPI document is built from it. */
    doc?: RouteDoc;
  }
}
