import { describe, expect, it } from 'vitest';
import { startServer } from './helpers.js';

describe('API: project directories are checked before mkdir', () => {
  it('a projects directory under /proc: CServer 8 naming it, at once (a recursive mkdir spun there for ever)', async () => {
    const s = await startServer({ projectsDir: '/proc/ccp4i2-projects' });
    const r = await s.json('/api/projects', { method: 'POST', body: { name: 'x' } });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ class: 'CServer', code: 8 });
    expect(JSON.stringify(r.body.error)).toMatch(/cannot create the project directory: .*\/proc/);
    expect((await s.json('/api/projects')).body.projects).toEqual([]);
  });
});
