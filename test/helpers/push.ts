import { API_KEY } from './cluster.ts';

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POST to logic with the API key; the body is sent raw (goim routes) or as JSON (objects). */
export async function post(url: string, body: string | Buffer | object = '', apiKey = API_KEY): Promise<HttpAnswer> {
  const json = typeof body === 'object' && !Buffer.isBuffer(body);
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': json ? 'application/json' : 'text/plain' },
    body: json ? JSON.stringify(body) : typeof body === 'string' ? body : new Uint8Array(body as Buffer),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** GET from logic, with `apiKey` when given (operator routes). */
export async function get(url: string, apiKey?: string): Promise<HttpAnswer> {
  const res = await fetch(url, apiKey ? { headers: { authorization: `Bearer ${apiKey}` } } : {});
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
