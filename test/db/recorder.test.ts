import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CData } from '../../src/data/index.js';
import { JobStatus, type ProjectRecord } from '../../src/db/index.js';
import { JobService } from '../../src/jobs/index.js';
import { CPluginScript, TaskRegistry } from '../../src/plugins/index.js';
import { FAKES, MTZ, PDB, tempDb, tempDir } from './helpers.js';

function setup() {
  const dir = tempDir();
  const db = tempDb(dir);
  const project: ProjectRecord = db.projects.create('gamma', join(dir, 'gamma'));
  return { dir, db, project, service: new JobService({ db }) };
}

describe('recording jobs by listening to plugin signals', () => {
  it('records a pipeline, its sub-jobs N.1 and N.2, their files and file uses', async () => {
    const { db, project, service } = setup();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(project.directory, { recursive: true });
    service.createJob({
      project,
      taskName: 'mtzdump',
      configure: (p) => (p.inputData.find('HKLIN') as CData).set(MTZ),
    });
    const job = service.createJob({
      project,
      taskName: 'demo_copycell',
      title: 'copy the cell',
      configure: (p) => {
        (p.inputData.find('HKLIN') as CData).set(MTZ);
        (p.inputData.find('XYZIN') as CData).set(PDB);
      },
    });
    expect(job.number).toBe('2');
    expect(db.jobs.get(job.id)!.status).toBe(JobStatus.PENDING);
    const { status, plugin } = await service.run(job, {
      pluginOptions: { programPath: [FAKES] },
      heartbeatMs: 0,
    });
    expect(plugin.errorReport.entries.map((e) => e.description + e.details)).toEqual([]);
    expect(status).toBe(CPluginScript.SUCCEEDED);

    const tree = db.jobs.subtree(job.id);
    expect(tree.map((j) => [j.number, j.taskName, j.status])).toEqual([
      ['2', 'demo_copycell', JobStatus.FINISHED],
      ['2.1', 'mtzdump', JobStatus.FINISHED],
      ['2.2', 'pdbset', JobStatus.FINISHED],
    ]);
    const [top, dump, set] = tree as [
      NonNullable<(typeof tree)[0]>,
      NonNullable<(typeof tree)[0]>,
      NonNullable<(typeof tree)[0]>,
    ];
    expect(top.title).toBe('copy the cell');
    expect(dump.parentId).toBe(top.id);
    expect(dump.directory).toBe(join(top.directory, 'job_1'));
    for (const j of tree) {
      expect(j.pid).toBe(process.pid);
      expect(j.started! <= j.finished!).toBe(true);
      expect(j.cacheKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    expect(dump.exitCode).toBe(0);

    // inputs: HKLIN imported once (its original name and checksum), used by the pipeline and mtzdump
    const hklin = db.files.list({ projectId: project.id }).filter((f) => f.path === MTZ);
    expect(hklin).toHaveLength(1);
    expect(db.files.importOf(hklin[0]!.id)).toMatchObject({
      originalName: MTZ,
      checksum: hklin[0]!.checksum,
    });
    expect(db.files.uses({ fileId: hklin[0]!.id }).map((u) => [u.jobId, u.role, u.paramName])).toEqual([
      [top.id, 'in', 'HKLIN'],
      [dump.id, 'in', 'HKLIN'],
    ]);
    // outputs: pdbset's XYZOUT, made by 2.2, recorded with size and checksum
    const outs = db.files.list({ jobId: set.id }).filter((f) => f.jobId === set.id);
    expect(outs.map((f) => [f.paramName, f.className])).toEqual([['XYZOUT', 'CPdbDataFile']]);
    expect(outs[0]!.size).toBeGreaterThan(1000);
    expect(outs[0]!.checksum).toMatch(/^sha256:/);
    // key values: the cell mtzdump found
    const cell = Object.fromEntries(db.jobs.values(dump.id).map((v) => [v.key, v.value]));
    expect(cell['CELL.a']).toBeCloseTo(34.0887, 3);
    expect(db.integrityCheck()).toBe('ok');
  });

  it('records a failed sub-job and its diagnostic', async () => {
    const { db, project, service } = setup();
    (await import('node:fs')).mkdirSync(project.directory, { recursive: true });
    const job = service.createJob({
      project,
      taskName: 'demo_copycell',
      configure: (p) => {
        (p.inputData.find('HKLIN') as CData).set(PDB); // not an MTZ file: mtzdump fails
        (p.inputData.find('XYZIN') as CData).set(PDB);
      },
    });
    const { status } = await service.run(job, { pluginOptions: { programPath: [FAKES] }, heartbeatMs: 0 });
    expect(status).toBe(CPluginScript.FAILED);
    const tree = db.jobs.subtree(job.id);
    expect(tree.map((j) => [j.number, j.status])).toEqual([
      [job.number, JobStatus.FAILED],
      [`${job.number}.1`, JobStatus.FAILED],
    ]);
    expect(tree[1]!.diagnostic).toMatch(/CPluginScript 101|exit/);
    expect(tree[1]!.exitCode).not.toBe(0);
  });

  it('leaves the plugin runtime working with no database at all', async () => {
    const dir = tempDir();
    const reg = new TaskRegistry();
    class Hello extends CPluginScript {
      static override TASKNAME = 'hello';
      static override TASKCOMMAND = 'true';
    }
    reg.register({ taskName: 'hello', defFile: '', pluginClass: Hello as never });
    const p = new Hello({ workDirectory: join(dir, 'j'), defFile: null });
    expect(await p.process()).toBe(CPluginScript.SUCCEEDED);
  });
});
