import { describe, expect, it } from 'vitest';
import { startServer } from './helpers.js';

// Every route with unknown ids, malformed ids and malformed bodies: a 4xx with a coded error body, never a
// 5xx, never a stack trace, and the server keeps answering.
const ROUTES: [method: string, path: string][] = [
  ['GET', '/api/tasks/ID'],
  ['POST', '/api/tasks/ID/validate'],
  ['GET', '/api/projects/ID'],
  ['GET', '/api/projects/ID/jobs'],
  ['POST', '/api/projects/ID/jobs'],
  ['GET', '/api/projects/ID/events'],
  ['GET', '/api/projects/ID/files'],
  ['POST', '/api/projects/ID/files'],
  ['GET', '/api/jobs/ID'],
  ['POST', '/api/jobs/ID/run'],
  ['POST', '/api/jobs/ID/cancel'],
  ['POST', '/api/jobs/ID/clone'],
  ['POST', '/api/jobs/ID/validate'],
  ['DELETE', '/api/jobs/ID'],
  ['GET', '/api/jobs/ID/i2run'],
  ['GET', '/api/jobs/ID/report'],
  ['GET', '/api/jobs/ID/log'],
  ['GET', '/api/jobs/ID/files'],
  ['GET', '/api/jobs/ID/download?path=log.txt'],
  ['GET', '/api/jobs/ID/events'],
  ['GET', '/api/files/ID/download'],
];

const IDS = ['no-such-id', '..', '%2e%2e%2f%2e%2e%2fetc', 'x'.repeat(300), '%00', 'a%2Fb', '%C3%A9t%C3%A9'];

describe('API: bad input on every route', () => {
  it('unknown or malformed ids: 4xx with a coded error, the server stays up', async () => {
    const s = await startServer();
    let n = 0;
    for (const [method, path] of ROUTES)
      for (const id of IDS) {
        const url = path.replace('ID', id);
        const body = method === 'POST' ? { taskName: 'demo_copycell' } : undefined;
        const r = await s.json(url, { method, body });
        const what = `${method} ${url.slice(0, 80)}`;
        expect(r.status, what).toBeGreaterThanOrEqual(400);
        expect(r.status, what).toBeLessThan(500);
        expect(r.body.error, what).toMatchObject({ class: expect.any(String), code: expect.any(Number) });
        expect(JSON.stringify(r.body), what).not.toMatch(/\n\s+at /); // no stack trace
        n++;
      }
    expect(n).toBe(ROUTES.length * IDS.length);
    expect((await s.json('/api/health')).body).toEqual({ ok: true });
  });

  it('malformed bodies on every POST: 400 CServer 1, nothing created', async () => {
    const s = await startServer();
    const p = (await s.json('/api/projects', { method: 'POST', body: { name: 'bodies' } })).body;
    const posts = ['/api/projects', `/api/projects/${p.id}/jobs`, '/api/tasks/demo_copycell/validate'];
    const bodies = [
      '{',
      '[]',
      '"text"',
      '{"taskName": 5}',
      '{"name": {"$gt": ""}}',
      'null',
      '{"params": []}',
    ];
    for (const path of posts)
      for (const body of bodies) {
        const r = await s.json(path, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(r.status, `${path} ${body}`).toBe(400);
        expect(r.body.error, `${path} ${body}`).toMatchObject({ class: 'CServer', code: 1 });
      }
    const big = await s.json('/api/projects', {
      method: 'POST',
      body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ class: 'CServer', code: 5 });
    const text = await s.json('/api/projects', {
      method: 'POST',
      body: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(400); // an unsupported media type is a malformed request
    expect(text.body.error).toMatchObject({ class: 'CServer', code: 1 });
    expect((await s.json('/api/projects')).body.projects.map((x: { name: string }) => x.name)).toEqual([
      'bodies',
    ]);
    expect((await s.json(`/api/projects/${p.id}/jobs`)).body.jobs).toEqual([]);
  });
});
