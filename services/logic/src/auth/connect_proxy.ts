import { createHash, createHmac } from 'node:crypto';
import { ImError, type Logger, z } from '@imcluster/common';
import { isRoomId } from '@imcluster/protocol';
import { AuthRefused } from './errors.ts';

export interface ConnectProxyOptions {
  /** The business backend's endpoint (IM_AUTH_CONNECT_PROXY_URL). */
  url: string;
  /** HMAC-SHA256 key of the signature header: IM_API_KEY, which the backend already holds. */
  apiKey: string;
  timeoutMs: number;
  /** Requests in flight at once; beyond it a connection is answered 3004 (retry) at once. */
  concurrency: number;
  /** How long an answer is reused for the same op-7 body, ms; 0 = never. */
  cacheMs: number;
  logger: Logger;
}

/** Where an op-7 body came from: told to the backend beside the body. */
export interface ConnectOrigin {
  /** The comet instance id. */
  server: string;
  transport: string;
  clientAddress: string;
}

/** A backend's "allow": who the connection is and, optionally, what overrides the body's request. */
export interface ProxyAllow {
  /** A number: the imcluster user id itself (0 = anonymous viewer). A string: an external subject. */
  user: number | string;
  room: string | undefined;
  accepts: number[] | undefined;
  /** ms since the epoch; 0 = never. */
  expiresAt: number;
  /** A JSON object for the app, passed to the client in the op-8 reply; "" for none. */
  info: string;
}

/** The signature header: `sha256=<hex HMAC-SHA256 of the exact request body, keyed with IM_API_KEY>`. */
export const SIGNATURE_HEADER = 'x-imcluster-signature';

/** Most answers kept at once; the oldest goes first. */
const CACHE_ENTRIES = 10_000;

const answerSchema = z.discriminatedUnion('result', [
  z.object({
    result: z.literal('allow'),
    user: z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(256)]),
    room: z.string().refine((room) => room === '' || isRoomId(room)).optional(),
    accepts: z.array(z.number().int().min(0)).max(256).optional(),
    expires_at: z.number().int().min(0).optional(),
    info: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    result: z.literal('deny'),
    code: z.number().int().optional(),
    reason: z.string().max(256).optional(),
  }),
]);

/**
 * A backend's "deny". The client reads `closeCode`: the backend's own code when it is in the
 * application range 4000-4999, otherwise 3504 AUTH_FAILED.
 */
export class ProxyDenied extends AuthRefused {
  readonly closeCode: number | undefined;

  constructor(reason: string, code: number | undefined) {
    super(reason);
    this.closeCode = code !== undefined && code >= 4000 && code <= 4999 ? code : undefined;
  }
}

/**
 * Asks the business backend who a socket is (the connect proxy): each op-7 body, exactly as the
 * client sent it, is POSTed as JSON with an HMAC signature; the backend answers allow or deny.
 * Never an open door: a backend that is down, slow (timeout), busy (over `concurrency`) or answers
 * something else is an UNAVAILABLE error, which the client reads as 3004 (retry with backoff).
 * Answers (allow and deny, not failures) are reused for `cacheMs` for the same body.
 */
export class ConnectProxy {
  readonly #o: ConnectProxyOptions;
  readonly #cache = new Map<string, { until: number; answer: ProxyAllow | ProxyDenied }>();
  #inFlight = 0;

  constructor(options: ConnectProxyOptions) {
    this.#o = options;
  }

  /** Resolves the backend's allow; rejects with ProxyDenied (deny) or an UNAVAILABLE ImError. */
  async ask(authBody: Buffer, dialect: string, origin: ConnectOrigin): Promise<ProxyAllow> {
    const key = createHash('sha256').update(authBody).digest('base64');
    const answer = this.#cached(key) ?? (await this.#fetch(key, authBody, dialect, origin));
    if (answer instanceof ProxyDenied) throw answer;
    return answer;
  }

  #cached(key: string): ProxyAllow | ProxyDenied | undefined {
    const hit = this.#cache.get(key);
    if (hit === undefined) return undefined;
    if (hit.until > Date.now()) return hit.answer;
    this.#cache.delete(key);
    return undefined;
  }

  async #fetch(key: string, authBody: Buffer, dialect: string, origin: ConnectOrigin): Promise<ProxyAllow | ProxyDenied> {
    if (this.#inFlight >= this.#o.concurrency) throw new ImError('UNAVAILABLE', 'connect proxy busy: too many auth requests in flight');
    this.#inFlight++;
    try {
      const answer = await this.#post(authBody, dialect, origin);
      this.#remember(key, answer);
      return answer;
    } finally {
      this.#inFlight--;
    }
  }

  async #post(authBody: Buffer, dialect: string, origin: ConnectOrigin): Promise<ProxyAllow | ProxyDenied> {
    const body = JSON.stringify({
      auth: authBody.toString('utf8'),
      dialect,
      transport: origin.transport,
      client_address: origin.clientAddress,
      comet: origin.server,
      time: Date.now(),
    });
    const signature = `sha256=${createHmac('sha256', this.#o.apiKey).update(body).digest('hex')}`;
    let json: unknown;
    try {
      const res = await fetch(this.#o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
        body,
        signal: AbortSignal.timeout(this.#o.timeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      json = await res.json();
    } catch (error) {
      throw this.#unavailable('did not answer', error);
    }
    const parsed = answerSchema.safeParse(json);
    if (!parsed.success) throw this.#unavailable('answered neither allow nor deny', parsed.error);
    const a = parsed.data;
    if (a.result === 'deny') return new ProxyDenied(a.reason ?? 'refused by the backend', a.code);
    return { user: a.user, room: a.room, accepts: a.accepts, expiresAt: (a.expires_at ?? 0) * 1000, info: a.info ? JSON.stringify(a.info) : '' };
  }

  /** An allow is never reused past its own expiry. */
  #remember(key: string, answer: ProxyAllow | ProxyDenied): void {
    if (this.#o.cacheMs <= 0) return;
    if (this.#cache.size >= CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value!);
    const expiresAt = answer instanceof ProxyDenied || answer.expiresAt === 0 ? Infinity : answer.expiresAt;
    this.#cache.set(key, { until: Math.min(Date.now() + this.#o.cacheMs, expiresAt), answer });
  }

  #unavailable(what: string, cause: unknown): ImError {
    this.#o.logger.warn({ err: cause, url: this.#o.url }, `connect proxy ${what}`);
    return new ImError('UNAVAILABLE', `connect proxy ${what}`, { cause });
  }
}
