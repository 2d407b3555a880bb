import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JobRecord, JobService, JobStatus, LocalExecutor, thisRunner } from '../../src/index.js';
import type { Executor } from '../../src/jobs/executor.js';
import { SlurmExecutor } from '../../src/jobs/executors/slurm.js';
import { readProc } from '../../src/process/proc-table.js';
import { tempDb, tempDir } from '../db/helpers.js';
import { sleeperRegistry } from './helpers.js';

// Every job service reaches the built-in executors by name, made on first use (no SLURM needed here:
// making the slurm executor runs nothing).
describe('JobService executors', () => {
  it('makes local and slurm on first use, once; an unknown name is a coded error naming the known ones', async () => {
    const service = new JobService({ db: tempDb() });
    expect([...service.executors.keys()]).toEqual([]);
    const slurm = await service.executor('slurm');
    expect(slurm).toBeInstanceOf(SlurmExecutor);
    expect(await service.executor('slurm')).toBe(slurm);
    const [a, b] = await Promise.all([service.executor('local'), service.executor('local')]);
    expect(a).toBeInstanceOf(LocalExecutor);
    expect(b).toBe(a);
    await expect(service.executor('pbs')).rejects.toMatchObject({
      className: 'JobDatabase',
      code: 11,
      message: expect.stringMatching(/no executor 'pbs' \(known: local, slurm\)/),
    });
    service.close();
  });

  it('keeps an executor given to it over the built-in one of that name', async () => {
    const mine = new LocalExecutor({ graceMs: 5 });
    const service = new JobService({ db: tempDb(), executors: [mine] });
    expect(await service.executor('local')).toBe(mine);
  });

  it('records no external id while submitting: never the pid i2run registered its job with', async () => {
    const dir = tempDir();
    const db = tempDb(dir);
    const project = db.projects.create('p', join(dir, 'p'));
    mkdirSync(project.directory);
    // A batch executor of this test (no scheduler here): it sees the row as it is during the submission.
    let during: JobRecord | undefined;
    const batch: Executor = {
      name: 'batch',
      runsOwnCommand: true,
      async submit(spec) {
        during = db.jobs.get(spec.job.id);
        return { externalId: '4242', status: JobStatus.QUEUED };
      },
      poll: async () => new Map(),
      cancel: async () => {},
      reconcile: async () => [],
    };
    const service = new JobService({ db, registry: sleeperRegistry(), executors: [batch] });
    const job = service.createJob({ project, taskName: 'sleeper' });
    // as i2run registers it: its own pid as the runner and the external id
    const me = thisRunner();
    db.jobs.update(job.id, { host: me.host, pid: me.pid, externalId: String(me.pid) });
    const started = await service.start(db.jobs.get(job.id)!, 'batch');
    expect(during).toMatchObject({ executor: 'batch', status: JobStatus.QUEUED, externalId: null });
    expect(started).toMatchObject({ executor: 'batch', status: JobStatus.QUEUED, externalId: '4242' });
    // A job the server made (no runner yet): this process is named its coordinator while it is submitted,
    // so that a coordinator dying mid-submission is seen by recovery (test/jobs/slurm-orphans.test.ts).
    const served = service.createJob({ project, taskName: 'sleeper' });
    expect(served.pid).toBeNull();
    await service.start(served, 'batch');
    expect(during).toMatchObject({
      id: served.id,
      externalId: null,
      host: me.host,
      pid: process.pid,
      pidStartTime: me.pidStartTime,
    });
  });

  it('recovery fails a SLURM job only when its coordinator died mid-submission, before the SLURM id was recorded', async () => {
    const dir = tempDir();
    const db = tempDb(dir);
    const project = db.projects.create('p', join(dir, 'p'));
    mkdirSync(project.directory);
    // SLURM's queue, empty here (`true` as squeue: prints nothing), is asked about the orphan's directory.
    const service = new JobService({
      db,
      registry: sleeperRegistry(),
      executorOptions: { slurm: { commands: { squeue: 'true' } } },
    });
    const me = thisRunner();
    const parent = readProc(process.ppid)!.startTime;
    const mk = (fields: Parameters<typeof db.jobs.update>[1]) => {
      const j = service.createJob({ project, taskName: 'sleeper' });
      db.jobs.update(j.id, { executor: 'slurm', status: JobStatus.QUEUED, host: me.host, ...fields });
      return j.id;
    };
    const died = mk({ pid: process.ppid, pidStartTime: parent + 12345 }); // that pid is now another process
    const submitting = mk({ pid: process.ppid, pidStartTime: parent }); // its coordinator is still at it
    const submitted = mk({ pid: process.ppid, pidStartTime: parent + 12345, externalId: '991' });
    const elsewhere = mk({ pid: 4242, pidStartTime: 1, host: 'elsewhere.example' });
    try {
      const dead = await service.reconcile();
      expect(dead.map((d) => d.job.id)).toEqual([died]);
      expect(db.jobs.get(died)).toMatchObject({ status: JobStatus.FAILED });
      expect(db.jobs.get(died)!.diagnostic).toMatch(
        /died while submitting it to SLURM, before SLURM's job id was recorded; SLURM has no job in its directory/,
      );
      for (const id of [submitting, submitted, elsewhere])
        expect(db.jobs.get(id)!.status).toBe(JobStatus.QUEUED);
    } finally {
      service.close();
    }
  });
});
