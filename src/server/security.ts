import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { serverError } from './errors.js';

export interface SecurityOptions {
  /** When set, every request (API, UI, event streams) must carry it. */
  token?: string;
  /** Host headers accepted without a token (guards a loopback server against DNS rebinding). */
  loopbackHosts: string[];
}

export const TOKEN_COOKIE = 'ccp4i2_token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A fresh access token: 32 random bytes, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function sameToken(given: string | undefined, token: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

function cookieToken(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function queryToken(req: FastifyRequest): string | undefined {
  const q = req.url.indexOf('?');
  if (q < 0) return undefined;
  return new URLSearchParams(req.url.slice(q + 1)).get('token') ?? undefined;
}

/**
 * Access control on every request, before routing. A token (from `Authorization: Bearer`, the cookie set
 * after the first visit, or `?token=` in the printed URL — EventSource cannot send headers) is required
 * when one is configured; without one the server is loopback-only and the Host header must name the
 * loopback (a page on another site cannot reach it through DNS rebinding). A request that changes
 * something must come from this origin when it says where it comes from (Origin, Sec-Fetch-Site).
 */
export function installSecurity(app: FastifyInstance, opts: SecurityOptions): void {
  app.addHook('onRequest', async (req, reply) => {
    const host = req.headers.host ?? '';
    if (opts.token) {
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const fromQuery = queryToken(req);
      if (sameToken(fromQuery, opts.token)) {
        reply.header(
          'set-cookie',
          `${TOKEN_COOKIE}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`,
        );
      } else if (!sameToken(bearer, opts.token) && !sameToken(cookieToken(req), opts.token)) {
        throw serverError(3, 'access token missing or wrong (open the URL the server printed)');
      }
    } else if (!opts.loopbackHosts.includes(host.toLowerCase())) {
      throw serverError(4, `Host '${host}' is not this server's loopback address`);
    }
    if (SAFE_METHODS.has(req.method)) return;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`)
      throw serverError(4, `cross-origin request refused (Origin ${origin})`);
    if (req.headers['sec-fetch-site'] === 'cross-site') throw serverError(4, 'cross-site request refused');
  });
}
