import type { ApiErrorBody, Job, ValidationEntry } from './types';

/** A coded error from the server (or a network failure, class 'network'). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorClass: string,
    readonly code: number,
    message: string,
    readonly details?: string,
    readonly entries?: ValidationEntry[],
    readonly job?: Job,
  ) {
    super(message);
  }

  describe(): string {
    return `${this.message}${this.details ? ` (${this.details})` : ''} [${this.errorClass} ${this.code}]`;
  }
}

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    const init: RequestInit = { method, headers: {} };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 0, `the server cannot be reached: ${(e as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const err = (parsed as ApiErrorBody | undefined)?.error;
    const job = (parsed as ApiErrorBody | undefined)?.job;
    if (err) throw new ApiError(res.status, err.class, err.code, err.message, err.details, err.entries, job);
    throw new ApiError(res.status, 'http', res.status, `${method} ${path}: HTTP ${res.status}`);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => send<T>('GET', path),
  post: <T>(path: string, body?: unknown) => send<T>('POST', path, body ?? {}),
  del: <T>(path: string) => send<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => send<T>('POST', path, form),
};

export const enc = encodeURIComponent;
