import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobDatabase, type JobRecord, JobStatus } from '../../src/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { parseSlurmTime } from '../../src/process/slurm/records.js';
import { makeTaskDir } from '../cli/i2run-tasks.js';
import { tempDir } from '../db/helpers.js';
import { runCli } from '../helpers/cli.js';
import { holdSlurmWithCoordinators, i2runBackground, jobRow } from './coordinator.js';
import { scontrolJob, slurmUp, waitFor } from './helpers.js';

// A SLURM job whose status file never appears (the node died before writing it; SLURM lost the job) is
// marked Failed by any command that looks once the grace has passed, not only by a process that kept
// polling through it: the grace runs from SLURM's own end time, or from when the job was last known.

const up = slurmUp();
let taskDir: string;
beforeAll(() => {
  taskDir = makeTaskDir();
});

const env = (graceMs?: number) => ({
  ...process.env,
  CCP4I2_TASK_PATH: taskDir,
  CCP4I2_SLURM_POLL_MS: '250',
  ...(graceMs !== undefined ? { CCP4I2_SLURM_STATUS_GRACE_MS: String(graceMs) } : {}),
});
const row = jobRow;

function ccp4i2(cwd: string, db: string, args: string[], graceMs?: number) {
  return runCli('ccp4i2', [...args, '--db', db], { cwd, env: env(graceMs) });
}

/** A slowcat job submitted to SLURM by an i2run killed right after: no coordinator left. */
async function orphanedJob(cwd: string, db: string, number: string): Promise<JobRecord> {
  const { child, exit } = i2runBackground(cwd, ['slowcat', '--db', db, '--executor', 'slurm'], env());
  await waitFor(
    () => {
      const r = row(db, number);
      return r?.executor === 'slurm' && r.externalId !== null;
    },
    60_000,
    `job ${number} to be submitted`,
  );
  sendSignal(child.pid!, 'SIGKILL');
  await exit;
  return row(db, number)!;
}

describe.runIf(up)('a SLURM job whose status file is missing, seen by one-shot commands', () => {
  holdSlurmWithCoordinators();

  it('SLURM says COMPLETED, slurm.status removed: Running within the grace from its end, then Failed (111)', {
    timeout: 120_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm missing ');
    const db = join(cwd, 'db.sqlite');
    const job = await orphanedJob(cwd, db, '1');
    let end: number | undefined;
    await waitFor(
      () => {
        const s = scontrolJob(job.externalId!);
        end = s.JobState === 'COMPLETED' ? parseSlurmTime(s.EndTime) : undefined;
        return end !== undefined;
      },
      60_000,
      'SLURM to end the job',
    );
    rmSync(join(job.directory, 'slurm.status')); // as if the node never wrote its end

    // within the grace (10 min from SLURM's end): still waiting for the file, whichever command looks
    const list = ccp4i2(cwd, db, ['jobs', 'list', '--json'], 600_000);
    expect(list.status, list.stderr).toBe(0);
    expect(row(db, '1')!.status).not.toBe(JobStatus.FAILED);
    expect(isActive(row(db, '1')!.status)).toBe(true);

    // a grace of 2 s, passed since SLURM's end: the next one-shot command marks it Failed, saying why
    await waitFor(() => Date.now() / 1000 > end! + 3, 10_000, 'the grace to pass');
    const show = ccp4i2(cwd, db, ['jobs', 'show', '1', '--json'], 2000);
    expect(show.status, show.stderr).toBe(0);
    const failed = row(db, '1')!;
    expect(failed.status).toBe(JobStatus.FAILED);
    expect(failed.diagnostic).toMatch(
      /SLURM job \d+ ended without writing slurm\.status[\s\S]*SLURM state COMPLETED, ExitCode 0:0/,
    );
    expect(failed.diagnostic).toMatch(/SlurmClient 111/);
  });

  it('a job SLURM no longer knows at all: Running while last known within the grace, then Failed; jobs wait too', {
    timeout: 120_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm lost ');
    const db = join(cwd, 'db.sqlite');
    const job = await orphanedJob(cwd, db, '1');
    await waitFor(() => scontrolJob(job.externalId!).JobState === 'COMPLETED', 60_000, 'the job to end');
    rmSync(join(job.directory, 'slurm.status'));
    // SLURM lost it: an id it never gave (squeue, scontrol and the jobcomp file know nothing of it),
    // last known to the coordinator just now
    const lost = (lastSeen: Date) => {
      const d = JobDatabase.open(db);
      try {
        d.jobs.update(job.id, {
          status: JobStatus.RUNNING,
          externalId: '67000000',
          lastSeen: lastSeen.toISOString(),
          finished: null,
          diagnostic: null,
        });
      } finally {
        d.close();
      }
    };
    lost(new Date());
    const list = ccp4i2(cwd, db, ['jobs', 'list', '--json'], 60_000);
    expect(list.status, list.stderr).toBe(0);
    expect(row(db, '1')!.status).toBe(JobStatus.RUNNING);

    // `jobs wait` with a 3 s grace: Failed once 3 s have passed since it was last known
    const t0 = Date.now();
    lost(new Date(t0));
    const wait = ccp4i2(cwd, db, ['jobs', 'wait', '1'], 3000);
    expect(wait.status, wait.stderr).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3000);
    expect(wait.stdout).toMatch(
      /^job 1 Failed\n.*SLURM job 67000000 ended without writing slurm\.status.*no SLURM record/,
    );

    // last known 10 minutes ago: the first `jobs list` marks it Failed at once
    lost(new Date(Date.now() - 600_000));
    const again = ccp4i2(cwd, db, ['jobs', 'list', '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(row(db, '1')).toMatchObject({ status: JobStatus.FAILED });
    expect(row(db, '1')!.diagnostic).toMatch(/no SLURM record \(squeue no longer lists the job\)/);
  });
});

const isActive = (s: JobStatus) => s === JobStatus.QUEUED || s === JobStatus.RUNNING;
