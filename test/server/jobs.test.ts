import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, type TestServer, until } from './helpers.js';
import { SseClient } from './sse-client.js';

const EXAMPLES = join(__dirname, '../../examples');
const MTZ = join(EXAMPLES, 'merged_intensities_native.mtz');
const PDB = join(EXAMPLES, 'gamma_model.pdb');

async function upload(s: TestServer, pid: string, file: string, className: string) {
  const form = new FormData();
  form.append('className', className);
  form.append('file', new Blob([readFileSync(file)]), file.split('/').at(-1));
  return s.json(`/api/projects/${pid}/files`, { method: 'POST', body: form });
}

async function project(s: TestServer, name: string) {
  const r = await s.json('/api/projects', { method: 'POST', body: { name } });
  expect(r.status).toBe(201);
  return r.body as { id: string; name: string; directory: string };
}

async function finished(s: TestServer, jid: string) {
  return until(`job ${jid} to end`, async () => {
    const j = await s.json(`/api/jobs/${jid}`);
    return [4, 5, 6].includes(j.body.status) ? j.body : undefined;
  });
}

describe('API: projects', () => {
  it('creates, lists and shows projects; refuses duplicates, bad names and unknown ids', async () => {
    const s = await startServer();
    const p = await project(s, 'alpha');
    expect(p.name).toBe('alpha');
    expect(statSync(p.directory).isDirectory()).toBe(true);
    expect((await s.json('/api/projects')).body.projects.map((x: { name: string }) => x.name)).toEqual([
      'alpha',
    ]);
    expect((await s.json(`/api/projects/${p.id}`)).body).toMatchObject({ name: 'alpha', missing: false });
    expect((await s.json('/api/projects/alpha')).body.id).toBe(p.id);
    const dup = await s.json('/api/projects', { method: 'POST', body: { name: 'alpha' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ class: 'CServer', code: 8 });
    for (const name of ['../x', 'a/b', '', '..', 'x'.repeat(101)]) {
      const bad = await s.json('/api/projects', { method: 'POST', body: { name } });
      expect(bad.status, name).toBe(400);
      expect(bad.body.error.class).toBe('CServer');
    }
    const extra = await s.json('/api/projects', { method: 'POST', body: { name: 'b', directory: '/etc' } });
    expect(extra.status).toBe(400);
    const unknown = await s.json('/api/projects/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ class: 'CServer', code: 2 });
    const malformed = await s.json('/api/projects', {
      method: 'POST',
      body: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ class: 'CServer', code: 1 });
  });
});

describe('API: files', () => {
  it('imports uploads into CCP4_IMPORTED_FILES with provenance; refuses an oversized upload leaving nothing', async () => {
    const s = await startServer({ uploadLimit: 200_000 });
    const p = await project(s, 'files');
    const up = await upload(s, p.id, PDB, 'CPdbDataFile');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      className: 'CPdbDataFile',
      relPath: 'CCP4_IMPORTED_FILES/gamma_model.pdb',
      jobId: null,
      importedFrom: 'gamma_model.pdb',
      size: statSync(PDB).size,
    });
    expect(up.body.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(readFileSync(up.body.path)).toEqual(readFileSync(PDB));
    // The same name again: a new file beside it, never overwritten.
    const again = await upload(s, p.id, PDB, 'CPdbDataFile');
    expect(again.body.relPath).toBe('CCP4_IMPORTED_FILES/gamma_model_1.pdb');
    const evil = new FormData();
    evil.append('file', new Blob(['x']), '../../../evil.txt');
    const e = await s.json(`/api/projects/${p.id}/files`, { method: 'POST', body: evil });
    expect(e.status).toBe(201);
    expect(e.body.relPath).toBe('CCP4_IMPORTED_FILES/evil.txt');
    const hidden = new FormData();
    hidden.append('file', new Blob(['x']), '.bashrc');
    expect((await s.json(`/api/projects/${p.id}/files`, { method: 'POST', body: hidden })).body.relPath).toBe(
      'CCP4_IMPORTED_FILES/_bashrc',
    );

    const big = await upload(s, p.id, MTZ, 'CMtzDataFile'); // 400 kB > 200 kB
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ class: 'CServer', code: 5 });
    expect(existsSync(join(p.directory, 'CCP4_IMPORTED_FILES/merged_intensities_native.mtz'))).toBe(false);

    const noFile = await s.json(`/api/projects/${p.id}/files`, { method: 'POST', body: { a: 1 } });
    expect(noFile.status).toBe(400);
    const badClass = new FormData();
    badClass.append('className', '../x');
    badClass.append('file', new Blob(['x']), 'x.txt');
    expect((await s.json(`/api/projects/${p.id}/files`, { method: 'POST', body: badClass })).status).toBe(
      400,
    );

    const list = await s.json(`/api/projects/${p.id}/files`);
    expect(list.body.files.map((f: { relPath: string }) => f.relPath)).toEqual([
      'CCP4_IMPORTED_FILES/_bashrc',
      'CCP4_IMPORTED_FILES/evil.txt',
      'CCP4_IMPORTED_FILES/gamma_model_1.pdb',
      'CCP4_IMPORTED_FILES/gamma_model.pdb',
    ]);
    const dl = await fetch(`${s.base}/api/files/${up.body.id}/download`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toContain('gamma_model.pdb');
    expect(Buffer.from(await dl.arrayBuffer())).toEqual(readFileSync(PDB));
    expect((await s.json('/api/files/unknown-id/download')).status).toBe(404);
  });
});

describe('API: jobs', () => {
  it('creates demo_copycell from uploaded files, runs it, pushes Running → Finished, serves report, log, files, i2run', async () => {
    const s = await startServer();
    const p = await project(s, 'copycell');
    const feed = new SseClient(`${s.base}/api/projects/${p.id}/events`);
    await feed.waitFor('snapshot', (e) => e.event === 'snapshot');
    const hklin = (await upload(s, p.id, MTZ, 'CMtzDataFile')).body;
    const xyzin = (await upload(s, p.id, PDB, 'CPdbDataFile')).body;

    const invalid = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: { taskName: 'demo_copycell', params: { 'inputData.HKLIN': '/nonexistent.mtz' } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toMatchObject({ class: 'CServer', code: 10 });
    expect(invalid.body.error.entries.length).toBeGreaterThan(0);
    expect((await s.json(`/api/projects/${p.id}/jobs`)).body.jobs).toEqual([]);
    const unknownTask = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: { taskName: 'no_such_task' },
    });
    expect(unknownTask.status).toBe(404);
    const broken = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: { taskName: 'broken_def' },
    });
    expect(broken.status).toBe(422);

    const created = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: {
        taskName: 'demo_copycell',
        title: 'copy <b>cell</b>',
        params: { 'inputData.HKLIN': hklin.path, 'inputData.XYZIN': xyzin.path },
        run: true,
      },
    });
    expect(created.status).toBe(201);
    const jid = created.body.id;
    expect(created.body).toMatchObject({ number: '1', taskName: 'demo_copycell', title: 'copy <b>cell</b>' });
    expect([2, 3, 6]).toContain(created.body.status);
    const job = await finished(s, jid);
    expect(job.statusName).toBe('Finished');
    // Pushed, in order: the feed saw it running and then finished, without anyone asking.
    await feed.waitFor(
      'finished event',
      (e) => e.event === 'job' && e.json.id === jid && e.json.status === 6,
    );
    const statuses = feed
      .of('job')
      .filter((e) => e.json.id === jid)
      .map((e) => e.json.status);
    expect(statuses).toContain(3);
    expect(statuses.indexOf(3)).toBeLessThan(statuses.indexOf(6));
    const subs = feed.of('job').filter((e) => e.json.parentId === jid);
    expect(subs.length).toBeGreaterThan(0);
    await feed.close();

    expect(job.params).toMatchObject({ 'inputData.HKLIN': hklin.path, 'inputData.XYZIN': xyzin.path });
    const report = await s.json(`/api/jobs/${jid}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ task: 'demo_copycell', status: 'SUCCEEDED', final: true });
    const log = await fetch(`${s.base}/api/jobs/${jid}/log`);
    expect(log.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await log.text()).toMatch(/demo_copycell: route/);
    const files = await s.json(`/api/jobs/${jid}/files`);
    const out = files.body.files.find((f: { role: string; paramName: string }) => f.role === 'out');
    // the pipeline's XYZOUT is the file its cell_writer step (1.2) wrote: one record, made by that step
    expect(out).toMatchObject({ paramName: 'XYZOUT', jobNumber: '1.2' });
    expect(files.body.directory.map((f: { name: string }) => f.name)).toContain('log.txt');
    const pdb = await fetch(`${s.base}/api/files/${out.id}/download`);
    expect(await pdb.text()).toMatch(/^CRYST1 {3}34\.089/m);
    const params = await fetch(`${s.base}/api/jobs/${jid}/download?path=params.xml`);
    expect(params.status).toBe(200);
    const cmd = (await s.json(`/api/jobs/${jid}/i2run`)).body.command;
    expect(cmd).toBe(
      `i2run demo_copycell --HKLIN ${hklin.path} --XYZIN ${xyzin.path} --project_path ${p.directory}`,
    );

    // The project's files now show provenance: the output made by job 1 (its step 1.2), the imports used by it.
    const pf = (await s.json(`/api/projects/${p.id}/files`)).body.files;
    expect(pf.find((f: { id: string }) => f.id === hklin.id).usedBy).toEqual([
      expect.objectContaining({ jobNumber: '1', paramName: 'HKLIN' }),
      expect.objectContaining({ jobNumber: '1.1', paramName: 'HKLIN' }),
    ]);
    expect(pf.find((f: { id: string }) => f.id === out.id)).toMatchObject({
      paramName: 'XYZOUT',
      jobNumber: '1.2',
    });

    // Clone: a new Pending job with the same inputs (never the old output paths); it runs too.
    const clone = await s.json(`/api/jobs/${jid}/clone`, { method: 'POST' });
    expect(clone.status).toBe(201);
    expect(clone.body).toMatchObject({ number: '2', status: 1, params: job.params });
    const run = await s.json(`/api/jobs/${clone.body.id}/run`, { method: 'POST' });
    expect(run.status).toBe(200);
    expect((await s.json(`/api/jobs/${clone.body.id}/run`, { method: 'POST' })).status).toBe(409);
    expect((await finished(s, clone.body.id)).status).toBe(6);
    expect((await s.json(`/api/jobs/${jid}/cancel`, { method: 'POST' })).status).toBe(409);
  });

  it('deletes a job with its sub-jobs and directory; dependants only when asked', async () => {
    const s = await startServer();
    const p = await project(s, 'deps');
    const hklin = (await upload(s, p.id, MTZ, 'CMtzDataFile')).body;
    const xyzin = (await upload(s, p.id, PDB, 'CPdbDataFile')).body;
    const make = async (xyz: string) => {
      const r = await s.json(`/api/projects/${p.id}/jobs`, {
        method: 'POST',
        body: {
          taskName: 'demo_copycell',
          params: { 'inputData.HKLIN': hklin.path, 'inputData.XYZIN': xyz },
          run: true,
        },
      });
      expect(r.status).toBe(201);
      return finished(s, r.body.id);
    };
    const first = await make(xyzin.path);
    const out = (await s.json(`/api/jobs/${first.id}/files`)).body.files.find(
      (f: { role: string }) => f.role === 'out',
    );
    const second = await make(out.path);
    expect(second.status).toBe(6);
    const refused = await s.json(`/api/jobs/${first.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/job\(s\) 2 used its outputs/);
    expect(existsSync(first.directory)).toBe(true);
    const sub = (await s.json(`/api/projects/${p.id}/jobs`)).body.jobs.find(
      (j: { parentId: string }) => j.parentId === first.id,
    );
    expect((await s.json(`/api/jobs/${sub.id}`, { method: 'DELETE' })).status).toBe(409);
    const ok = await s.json(`/api/jobs/${first.id}?dependants=true`, { method: 'DELETE' });
    expect(ok.status).toBe(200);
    expect(ok.body.deleted).toEqual(expect.arrayContaining([first.id, second.id, sub.id]));
    expect(existsSync(first.directory)).toBe(false);
    expect(existsSync(second.directory)).toBe(false);
    expect((await s.json(`/api/projects/${p.id}/jobs`)).body.jobs).toEqual([]);
    expect((await s.json(`/api/jobs/${first.id}`)).status).toBe(404);
    expect((await s.json(`/api/jobs/${first.id}?dependants=maybe`, { method: 'DELETE' })).status).toBe(400);
  });
});
