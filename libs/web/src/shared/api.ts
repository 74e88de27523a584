/** A refusal of logic's HTTP API: its status and stable code (docs/operations.md, "HTTP API"). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls logic's HTTP API on this page's origin with `Authorization: Bearer <credential>`; JSON in and out. */
export async function api<T>(method: string, path: string, credential?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (credential) headers.authorization = `Bearer ${credential}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const error = json as { message?: string; error?: string } | undefined;
    throw new ApiError(res.status, error?.error ?? 'HTTP', error?.message ?? `${method} ${path} answered ${res.status}`);
  }
  return json as T;
}
