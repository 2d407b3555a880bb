import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JobRecord, JobService, JobStatus, LocalExecutor, thisRunner } from '../../src/index.js';
import type { Executor } from '../../src/jobs/executor.js';
import { SlurmExecutor } from '../../src/jobs/executors/slurm.js';
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
  });
});
