import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDatabase, JobService, JobStatus, setRunDefaults } from '../../src/index.js';
import { makeTaskDir } from '../cli/i2run-tasks.js';
import { tempDir, track } from '../db/helpers.js';
import { runCli } from '../helpers/cli.js';
import { holdSlurm, REPO, scontrolJob, slurmUp, testTaskNames } from './helpers.js';

// A project's run defaults in the database, used by i2run (its --executor default, SLURM options under
// the run's own) and by the job service's start (what the server calls), against the real SLURM.

const up = slurmUp();
let taskDir: string;
beforeAll(() => {
  taskDir = makeTaskDir();
});
const env = () => ({ ...process.env, CCP4I2_TASK_PATH: taskDir, CCP4I2_SLURM_POLL_MS: '250' });

describe.runIf(up)('per-project SLURM defaults', () => {
  let release = () => {};
  beforeAll(async () => {
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => release());

  it('i2run and JobService.start take the executor and SLURM options from the project; a run’s own win', {
    timeout: 120_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm defaults ');
    const file = join(cwd, 'db.sqlite');
    const cli = (bin: 'ccp4i2' | 'i2run', ...args: string[]) =>
      runCli(bin, [...args, '--db', file], { cwd, env: env() });
    const i2run = (...extra: string[]) => cli('i2run', 'slowcat', '--project_name', 'p', ...extra);
    expect(i2run().status).toBe(0); // job 1 makes the project: local
    const set = cli('ccp4i2', 'projects', 'set', 'p', '--executor', 'slurm', '--slurm-partition', 'debug');
    expect(set.status, set.stderr).toBe(0);
    expect(cli('ccp4i2', 'projects', 'set', 'p', '--slurm-time', '7').status).toBe(0);

    const two = i2run(); // to SLURM, in the project's partition with its time limit
    expect(two.status, two.stderr).toBe(0);
    expect(two.stderr).toMatch(/submitted to SLURM as job \d+/);
    const three = i2run('--slurm-partition', 'short', '--slurm-time', '1'); // the run's own over the project's
    expect(three.status, three.stderr).toBe(0);
    const four = i2run('--executor', 'local'); // a run naming local runs here
    expect(four.status, four.stderr).toBe(0);

    const db = track(JobDatabase.open(file));
    const rows = db.jobs.list({ parentId: null });
    expect(rows.map((r) => [r.number, r.executor, r.status])).toEqual([
      ['1', 'local', JobStatus.FINISHED],
      ['2', 'slurm', JobStatus.FINISHED],
      ['3', 'slurm', JobStatus.FINISHED],
      ['4', 'local', JobStatus.FINISHED],
    ]);
    expect(scontrolJob(rows[1]!.externalId!)).toMatchObject({ Partition: 'debug', TimeLimit: '00:07:00' });
    expect(scontrolJob(rows[2]!.externalId!)).toMatchObject({ Partition: 'short', TimeLimit: '00:01:00' });

    // The job service's start with no executor named (the server's job creation) uses them too.
    const project = db.projects.require('p');
    setRunDefaults(db, project.id, { slurm: { partition: 'short', timeLimit: 1 } });
    const service = new JobService({
      db,
      registry: testTaskNames(['slowcat']),
      executorOptions: {
        slurm: { nodeCommand: [process.execPath, join(REPO, 'dist/bin/ccp4i2.cjs')], env: env() },
      },
    });
    try {
      const job = await service.start(service.createJob({ project, taskName: 'slowcat' }));
      expect(job).toMatchObject({ executor: 'slurm', status: JobStatus.QUEUED });
      expect(scontrolJob(job.externalId!)).toMatchObject({ Partition: 'short', TimeLimit: '00:01:00' });
      expect((await service.waitFor(job, { intervalMs: 250 })).status).toBe(JobStatus.FINISHED);
    } finally {
      service.close();
    }
  });
});
