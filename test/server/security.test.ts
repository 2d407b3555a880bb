import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServer } from './helpers.js';
import { SseClient } from './sse-client.js';

/** A raw request, so that Host and Origin are exactly what a hostile page would send. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('security', () => {
  it('loopback without a token: refuses a foreign Host (DNS rebinding) and cross-origin writes', async () => {
    const s = await startServer();
    expect(s.token).toBeUndefined();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await raw(`${s.base}/api/tasks`)).status).toBe(200);
    const rebinding = await raw(`${s.base}/api/tasks`, { headers: { host: 'attacker.example:80' } });
    expect(rebinding.status).toBe(403);
    expect(JSON.parse(rebinding.body).error).toMatchObject({ class: 'CServer', code: 4 });
    const post = (headers: Record<string, string>) =>
      raw(`${s.base}/api/tasks/demo_copycell/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    expect((await post({})).status).toBe(200);
    expect((await post({ origin: s.base })).status).toBe(200);
    expect((await post({ origin: 'http://attacker.example' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('with a token: every request needs it (header, cookie, or the printed URL, which sets the cookie)', async () => {
    const token = 'a-long-enough-test-token-123456';
    const s = await startServer({ token });
    expect(s.url).toBe(`${s.base}/?token=${token}`);
    const none = await raw(`${s.base}/api/tasks`);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error).toMatchObject({ class: 'CServer', code: 3 });
    expect((await raw(`${s.base}/api/tasks`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    expect((await raw(`${s.base}/api/tasks`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    const first = await raw(`${s.base}/api/health?token=${token}`);
    expect(first.status).toBe(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await raw(`${s.base}/api/tasks`, { headers: { cookie } })).status).toBe(200);
    expect((await raw(`${s.base}/api/tasks`, { headers: { cookie: 'ccp4i2_token=nope' } })).status).toBe(401);
    // Unknown paths are refused before routing: nothing is revealed without the token.
    expect((await raw(`${s.base}/api/nothing`)).status).toBe(401);
    // The event streams, downloads and uploads too.
    const p = await s.json('/api/projects', { method: 'POST', body: { name: 'tok' } });
    expect(p.status).toBe(201);
    for (const path of [
      `/api/projects/${p.body.id}/events`,
      `/api/projects/${p.body.id}/files`,
      '/api/files/x/download',
    ])
      expect((await raw(`${s.base}${path}`)).status, path).toBe(401);
    const upload = await raw(`${s.base}/api/projects/${p.body.id}/files`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--',
    });
    expect(upload.status).toBe(401);
    // An EventSource (no headers) with the token in its URL gets the stream.
    const ev = new SseClient(`${s.base}/api/projects/${p.body.id}/events?token=${token}`);
    await ev.waitFor('snapshot', (e) => e.event === 'snapshot');
    await ev.close();
  });

  it('a non-loopback address gets a generated token, printed once', async () => {
    const s = await startServer({ host: '0.0.0.0' });
    expect(s.generatedToken).toBe(true);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const port = new URL(s.base).port;
    expect((await raw(`http://127.0.0.1:${port}/api/tasks`)).status).toBe(401);
    const ok = await raw(`http://127.0.0.1:${port}/api/tasks`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a short token and a bad port with a coded error', async () => {
    await expect(startServer({ token: 'short' })).rejects.toMatchObject({ className: 'CServer', code: 1 });
    await expect(startServer({ port: 70000 })).rejects.toMatchObject({ className: 'CServer', code: 1 });
  });
});
