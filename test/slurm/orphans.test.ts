import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_ID_ENV, JobService, JobStatus, thisRunner } from '../../src/index.js';
import { SlurmExecutor } from '../../src/jobs/executors/slurm.js';
import { makeTaskDir } from '../cli/i2run-tasks.js';
import { tempDb, tempDir } from '../db/helpers.js';
import { holdSlurm, slurmUp, testTaskNames } from './helpers.js';

// Against the real controller: a coordinator that died during sbatch, after SLURM had queued the job but
// before its id reached the database. A later coordinator's recovery finds the job by its directory in
// SLURM's queue, records its id and follows it to its end; a job sbatch never queued is failed, saying so.

const up = slurmUp();
const ROOT = resolve(__dirname, '../..');
const NODE_COMMAND = [process.execPath, join(ROOT, 'dist/bin/ccp4i2.cjs')];

describe.runIf(up)('recovery of a SLURM job whose coordinator died during sbatch (real SLURM)', () => {
  let release = () => {};
  let taskDir: string;
  const made: SlurmExecutor[] = [];
  beforeAll(async () => {
    taskDir = makeTaskDir();
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => {
    for (const e of made) e.close();
    release();
  });

  it('queued by sbatch, id never recorded: found by its directory, followed to Finished', {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir('ccp4i2 slurm orphan ');
    const db = tempDb(dir);
    const project = db.projects.create('p', join(dir, 'my project'));
    mkdirSync(project.directory);
    const registry = testTaskNames(['slowcat']);
    const executor = new SlurmExecutor({
      nodeCommand: NODE_COMMAND,
      env: { ...process.env, CCP4I2_TASK_PATH: taskDir },
      statusGraceMs: 3000,
    });
    made.push(executor);
    const first = new JobService({ db, registry, executors: [executor] });
    const queued = first.createJob({ project, taskName: 'slowcat' });
    const lost = first.createJob({ project, taskName: 'slowcat' });
    // As JobService.start leaves the rows during sbatch; the coordinator (a pid now gone) dies before the
    // ids come back: the first job was queued by SLURM, the second never reached it.
    const gone = spawnSync('true').pid!;
    for (const j of [queued, lost])
      db.jobs.update(j.id, {
        executor: 'slurm',
        status: JobStatus.QUEUED,
        externalId: null,
        host: thisRunner().host,
        pid: gone,
        pidStartTime: 1,
      });
    const spec = {
      job: db.jobs.get(queued.id)!,
      project,
      command: [],
      env: { [JOB_ID_ENV]: queued.id },
      logFile: join(queued.directory, 'runner.txt'),
    };
    const submitted = await executor.submit(spec);
    expect(db.jobs.get(queued.id)!.externalId).toBeNull();

    // A new coordinator on the same database.
    const executor2 = new SlurmExecutor({ nodeCommand: NODE_COMMAND, statusGraceMs: 3000 });
    made.push(executor2);
    const again = new JobService({ db, registry, executors: [executor2] });
    const dead = await again.reconcile();
    expect(dead.map((d) => d.job.id)).toEqual([lost.id]);
    expect(db.jobs.get(lost.id)!.diagnostic).toMatch(/SLURM has no job in its directory/);
    expect(db.jobs.get(queued.id)).toMatchObject({ externalId: submitted.externalId });
    expect(db.jobs.get(queued.id)!.status).not.toBe(JobStatus.FAILED);
    const done = await again.waitFor(db.jobs.get(queued.id)!, { intervalMs: 250 });
    expect(done.status, done.diagnostic ?? '').toBe(JobStatus.FINISHED);
    expect(readFileSync(join(done.directory, 'log.txt'), 'utf8')).toContain('line 3');
  });
});
