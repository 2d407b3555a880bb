import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from './app.js';
import { serverError } from './errors.js';
import { generateToken, isLoopback } from './security.js';

export interface ListenOptions extends Omit<ServerOptions, 'loopbackHosts'> {
  host?: string;
  port?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  /** The URL to open (with `?token=` when a token is required). */
  url: string;
  /** The token in force, when any (generated when binding a non-loopback address without one). */
  token?: string;
  /** True when the token was generated here (print it once). */
  generatedToken: boolean;
  close(): Promise<void>;
}

/**
 * Builds and starts the server. Loopback (127.0.0.1 by default) needs no token; any other address
 * requires one, generated here when not given.
 */
export async function listen(opts: ListenOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw serverError(1, `invalid port ${JSON.stringify(opts.port)}`);
  if (opts.token !== undefined && opts.token.length < 16)
    throw serverError(1, 'an access token must be at least 16 characters');
  const generatedToken = !isLoopback(host) && !opts.token;
  const token = generatedToken ? generateToken() : opts.token;
  const loopbackHosts: string[] = [];
  const app = await buildServer({ ...opts, token, loopbackHosts });
  try {
    await app.listen({ host, port });
  } catch (e) {
    await app.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw serverError(1, `cannot listen on ${host}:${port}: ${code ?? (e as Error).message}`);
  }
  const actual = (app.server.address() as { port: number }).port;
  loopbackHosts.push(`127.0.0.1:${actual}`, `localhost:${actual}`, `[::1]:${actual}`);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const base = `http://${shownHost}:${actual}/`;
  return {
    app,
    url: token ? `${base}?token=${encodeURIComponent(token)}` : base,
    token,
    generatedToken,
    close: () => app.close(),
  };
}
