import { ImError, z } from '@imcluster/common';

const clientMsgId = z.string().min(1).max(64);

/** op 4. Any `from`/`sender` field in the body is ignored: the sender is the connection's user. */
export const sendBody = z.object({
  client_msg_id: clientMsgId,
  to: z.object({ type: z.enum(['user', 'group']), id: z.number().int().positive() }),
  content_type: z.string().min(1).max(32).default('text'),
  payload: z.string(),
});

/** op 21: the highest seq of `conv` the client holds without a gap (cumulative). */
export const ackBody = z.object({ conv: z.string().min(1).max(64), seq: z.number().int().min(0) });

/** op 24 (read up to `seq`) and op 26 (recall message `seq`). */
export const positionBody = z.object({ conv: z.string().min(1).max(64), seq: z.number().int().min(1) });

/** op 22: messages of `conv` after `after`, at most `limit`. */
export const syncBody = z.object({
  conv: z.string().min(1).max(64),
  after: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(100),
});

/** op 31: at most `limit` conversations (the most recently active direct ones are kept). */
export const conversationsBody = z.object({ limit: z.number().int().min(1).max(200).default(200) });

/** Parses a JSON body with a schema, answering INVALID with the first problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: Buffer): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ImError('INVALID', 'body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ImError('INVALID', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}
