import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from './helpers.js';

describe('API: uploads at the same time', () => {
  it('12 uploads of data.mtz at once, each with its own content: 12 files, each record holding its own bytes', async () => {
    const s = await startServer();
    const p = await s.json('/api/projects', { method: 'POST', body: { name: 'many' } });
    expect(p.status).toBe(201);
    // 256 kB each, so that the uploads stream in over several turns of the event loop and overlap
    const contents = Array.from({ length: 12 }, (_, i) => Buffer.alloc(256 * 1024, `crystal ${i};`));
    const ups = await Promise.all(
      contents.map((bytes) => {
        const form = new FormData();
        form.append('className', 'CMtzDataFile');
        form.append('file', new Blob([bytes]), 'data.mtz');
        return s.json(`/api/projects/${p.body.id}/files`, { method: 'POST', body: form });
      }),
    );
    const paths = ups.map((u) => {
      expect(u.status).toBe(201);
      return u.body.path as string;
    });
    expect(new Set(paths).size).toBe(12);
    ups.forEach((u, i) => {
      expect(readFileSync(u.body.path).equals(contents[i]!), `upload ${i}: ${u.body.relPath}`).toBe(true);
    });
    // nothing else in the directory: no placeholder or temporary file left
    expect(readdirSync(join(p.body.directory, 'CCP4_IMPORTED_FILES'))).toHaveLength(12);
  });
});
