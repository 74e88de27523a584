import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ImError, z } from '@imcluster/common';
import { PAGES } from '@imcluster/web';
import { userOf, userRoute } from './auth.ts';
import type { HttpContext } from './context.ts';

/** The op of danmaku pushes: goim's first business op, which the demo's live page listens to. */
export const DANMAKU_OP = 1000;

// The pages talk to this origin and to comets' WebSockets (other ports), and load nothing else.
const CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'";

const danmaku = z.object({
  room: z.string().min(1).max(128).meta({ description: 'full room id, e.g. live://1000' }),
  text: z.string().trim().min(1).max(200).meta({ description: 'what scrolls by, 1-200 characters' }),
});

/**
 * The demo app (/demo/) and the operator console (/admin/), and the demo's danmaku route when
 * IM_DEMO_DANMAKU allows it. The pages are public files; what they do is authorised by the
 * API they call (a user token, or the API key the console asks for).
 */
export function webRoutes(ctx: HttpContext) {
  return async (app: FastifyInstance): Promise<void> => {
    for (const page of PAGES) {
      const doc = { summary: `The ${page === 'demo' ? 'demo app' : 'operator console'} (HTML, script, style)`, tags: ['web'] };
      app.get(`/${page}`, { schema: { doc: { ...doc, status: 302 } } }, async (_req, reply) => reply.redirect(`/${page}/`));
      app.get(`/${page}/*`, { schema: { doc } }, async (req: FastifyRequest, reply: FastifyReply) => {
        const path = req.url.split('?')[0]!;
        const asset = await ctx.web.get(path);
        if (!asset) throw new ImError('NOT_FOUND', `no file ${path}`);
        return reply.type(asset.contentType).header('cache-control', 'no-cache').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').send(asset.body);
      });
    }
    if (!ctx.config.demoDanmaku) return;
    const schema = { body: danmaku, doc: { summary: 'Demo only (IM_DEMO_DANMAKU): push a line of text to a room as the signed-in user', status: 202, tags: ['web'] } };
    app.post('/api/v1/demo/danmaku', userRoute(ctx, schema), async (req, reply) => {
      const { room, text } = req.body as z.infer<typeof danmaku>;
      const from = await ctx.social.user(userOf(req));
      const id = await ctx.push.push({ target: { type: 'ROOM', room }, operation: DANMAKU_OP, body: Buffer.from(JSON.stringify({ from: from.name, text })) });
      reply.status(202);
      return { id };
    });
  };
}
