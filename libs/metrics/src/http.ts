import http from 'node:http';
import type { Health } from './health.ts';
import type { Metrics } from './metrics.ts';

/** The paths every role serves; logic serves them on its own HTTP server. */
export const OBSERVABILITY_PATHS = ['/metrics', '/healthz', '/readyz'] as const;

export interface ObservabilityAnswer {
  status: number;
  contentType: string;
  body: string;
}

const json = (status: number, value: object): ObservabilityAnswer => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });

/**
 * The answer to GET `path` (one of OBSERVABILITY_PATHS), or undefined for any other path: the
 * Prometheus text, `{"status":"ok",...}` while live, and readiness as 200 or 503 with every check
 * and the names of the failing ones.
 */
export async function observabilityAnswer(path: string, metrics: Metrics, health: Health): Promise<ObservabilityAnswer | undefined> {
  switch (path) {
    case '/metrics': {
      const { contentType, body } = await metrics.scrape();
      return { status: 200, contentType, body };
    }
    case '/healthz': {
      const live = await health.live();
      return json(live.live ? 200 : 503, { status: live.live ? 'ok' : 'event loop stalled', eventLoopDelayMs: live.eventLoopDelayMs });
    }
    case '/readyz': {
      const ready = await health.ready();
      return json(ready.ready ? 200 : 503, { status: ready.ready ? 'ready' : 'not ready', failing: ready.failing, checks: ready.checks });
    }
    default:
      return undefined;
  }
}

/**
 * A small HTTP server for the roles without one of their own (comet, job): GET /metrics,
 * /healthz and /readyz; anything else is a JSON 404.
 */
export class ObservabilityServer {
  readonly #server: http.Server;

  constructor(metrics: Metrics, health: Health) {
    this.#server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const answer = req.method === 'GET' ? observabilityAnswer(path, metrics, health) : Promise.resolve(undefined);
      answer
        .then((a) => a ?? json(404, { code: -404, message: `no route ${req.method} ${path}` }))
        .catch(() => json(500, { code: -500, message: 'internal error' }))
        .then((a) => res.writeHead(a.status, { 'content-type': a.contentType }).end(a.body));
    });
  }

  /** Listens; resolves with the bound port (0 asks for any free port). */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        const address = this.#server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
