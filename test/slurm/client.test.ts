import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlurmMonitor, submitJob } from '../../src/process/slurm/index.js';
import { holdSlurm, jobRoot, scontrolJob, slurmUp, waitFor } from './helpers.js';

const up = slurmUp();

describe.runIf(up).concurrent('SLURM client against the real controller', { timeout: 120_000 }, () => {
  const monitor = new SlurmMonitor({ pollIntervalMs: 500, statusGraceMs: 3000 });
  let release = () => {};
  beforeAll(async () => {
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => {
    monitor.close();
    release();
  });

  it('runs a command in a job directory with spaces, argv untouched, logs and status in the directory', async () => {
    const dir = join(jobRoot('argv'), "job 1 it's %j");
    const args = ['a b', '$HOME', '"q"', "it's", '*', '%j', ''];
    const job = await submitJob({
      jobDirectory: dir,
      command: { argv: ['/usr/bin/printf', '[%s]\\n', ...args] },
      slurm: { jobName: 'ccp4i2 test', cpus: 1, memory: '100M', timeLimit: 5 },
    });
    expect(job.jobId).toMatch(/^\d+$/);
    const info = scontrolJob(job.jobId);
    expect(info.JobName).toBe('ccp4i2_test');
    expect(info.TimeLimit).toBe('00:05:00');
    const states: string[] = [];
    const result = await monitor.follow(job, { onState: (s) => states.push(s.slurmState) }).result;
    expect(result.outcome).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(result.error).toBeUndefined();
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe(args.map((a) => `[${a}]\n`).join(''));
    expect(result.status).toMatchObject({ state: 'ended', exitCode: 0, job: job.jobId });
    expect(result.slurm?.state).toBe('COMPLETED');
    expect(existsSync(join(dir, `slurm-${job.jobId}.out`))).toBe(true);
  });

  it('the end written in the status file is seen at once, not at the next poll (one squeue, then the wake)', async () => {
    const own = new SlurmMonitor({ pollIntervalMs: 30_000 });
    try {
      const job = await submitJob({ jobDirectory: jobRoot('wake'), command: { argv: ['sleep', '1'] } });
      const t0 = Date.now();
      const r = await own.follow(job).result;
      expect(r.outcome).toBe('succeeded');
      expect(Date.now() - t0).toBeLessThan(20_000); // the first regular poll would come at 30 s
      expect(own.stats.wakes).toBeGreaterThan(0);
      expect(own.stats.squeueCalls).toBe(own.stats.wakes); // each call a wake: none per job per interval
    } finally {
      own.close();
    }
  });

  it('a non-zero exit is failed with the code; stderr and stdin files are the job’s', async () => {
    const dir = jobRoot('exit');
    const script = 'cat; echo oops >&2; exit 3';
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'com.txt'), 'keywords in\n');
    const job = await submitJob({
      jobDirectory: dir,
      command: { argv: ['/bin/sh', '-c', script], stdin: 'com.txt', stdout: 'out.log', stderr: 'err.log' },
    });
    const r = await monitor.follow(job).result;
    expect(r.outcome).toBe('failed');
    expect(r.exitCode).toBe(3);
    expect(r.error?.code).toBe(106);
    expect(r.error?.message).toContain('exited with code 3');
    expect(readFileSync(join(dir, 'out.log'), 'utf8')).toBe('keywords in\n');
    expect(readFileSync(join(dir, 'err.log'), 'utf8')).toBe('oops\n');
  });

  it('the log file grows while the job runs (followed by reading the file)', async () => {
    const dir = jobRoot('grow');
    const job = await submitJob({
      jobDirectory: dir,
      command: { argv: ['/bin/sh', '-c', 'echo first; sleep 2; echo second'] },
    });
    const followed = monitor.follow(job);
    const log = join(dir, 'log.txt');
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8') === 'first\n', 20_000, 'the first line');
    expect(followed.state?.phase ?? 'running').not.toBe('ended');
    const r = await followed.result;
    expect(r.outcome).toBe('succeeded');
    expect(readFileSync(log, 'utf8')).toBe('first\nsecond\n');
  });

  it('a bad partition or time limit is rejected with SLURM’s message and nothing queued', async () => {
    const dir = jobRoot('bad');
    await expect(
      submitJob({ jobDirectory: dir, command: { argv: ['true'] }, slurm: { partition: 'nosuchpartition' } }),
    ).rejects.toMatchObject({ code: 103, message: expect.stringMatching(/Invalid partition/i), file: dir });
    await expect(
      submitJob({
        jobDirectory: dir,
        command: { argv: ['true'] },
        slurm: { partition: 'short', timeLimit: 30 },
      }),
    ).rejects.toMatchObject({ code: 103, message: expect.stringMatching(/time limit/i) });
    await expect(
      submitJob({ jobDirectory: dir, command: { argv: ['true'] }, slurm: { timeLimit: '1:2:3:4' } }),
    ).rejects.toMatchObject({ code: 101, objectPath: 'slurm.timeLimit' });
    await expect(
      submitJob({
        jobDirectory: dir,
        command: { argv: ['true'] },
        slurm: { extraArgs: ['--wrap=rm -rf /'] },
      }),
    ).rejects.toMatchObject({ code: 101, objectPath: 'slurm.extraArgs[0]' });
  });

  it('sbatch missing is error 102 naming it', async () => {
    await expect(
      submitJob({
        jobDirectory: jobRoot('missing'),
        command: { argv: ['true'] },
        commands: { sbatch: '/nonexistent/sbatch' },
      }),
    ).rejects.toMatchObject({ code: 102, message: expect.stringContaining('/nonexistent/sbatch') });
  });

  it('extra sbatch arguments reach SLURM', async () => {
    const dir = jobRoot('extra');
    const job = await submitJob({
      jobDirectory: dir,
      command: { argv: ['true'] },
      slurm: { extraArgs: ['--comment=ccp4i2 job 7', '--nice=10'] },
    });
    expect(scontrolJob(job.jobId).Nice).toBe('10');
    expect((await monitor.follow(job).result).outcome).toBe('succeeded');
  });

  it('cancel by the coordinator: scancel, then interrupted', async () => {
    const dir = jobRoot('cancel');
    const job = await submitJob({ jobDirectory: dir, command: { argv: ['sleep', '60'] } });
    const followed = monitor.follow(job);
    await waitFor(() => followed.state?.phase === 'running', 20_000, 'the job to run');
    await monitor.cancel(job.jobId);
    const r = await followed.result;
    expect(r.outcome).toBe('interrupted');
    expect(r.cancelledByCoordinator).toBe(true);
    expect(r.error?.code).toBe(109);
    expect(r.slurm?.state).toBe('CANCELLED');
  });

  it('cancelled outside (scancel by a user) is interrupted, saying so', async () => {
    const dir = jobRoot('outside');
    const job = await submitJob({ jobDirectory: dir, command: { argv: ['sleep', '60'] } });
    const followed = monitor.follow(job);
    await waitFor(() => followed.state?.phase === 'running', 20_000, 'the job to run');
    expect(spawnSync('scancel', [job.jobId]).status).toBe(0);
    const r = await followed.result;
    expect(r.outcome).toBe('interrupted');
    expect(r.cancelledByCoordinator).toBe(false);
    expect(r.error?.message).toContain('cancelled outside');
    // The batch script forwarded SLURM's SIGTERM and recorded it.
    expect(r.status).toMatchObject({ state: 'ended', received: 'TERM' });
  });

  it('a batch script killed before writing its status ends failed with a diagnostic', async () => {
    const dir = jobRoot('nostatus');
    // Stands in for a node crash: the batch script dies (SIGKILL) and never records the end.
    const job = await submitJob({ jobDirectory: dir, command: { argv: ['/bin/sh', '-c', 'kill -9 $PPID'] } });
    const r = await monitor.follow(job).result;
    expect(r.outcome).toBe('failed');
    expect(r.error?.code).toBe(111);
    expect(r.error?.message).toMatch(/without writing slurm\.status after it started on/);
    expect(r.error?.details).toMatch(/SLURM state FAILED, ExitCode 0:9.*\(from scontrol\)/);
  });

  it('the time limit kills the job: timeout', { timeout: 200_000 }, async () => {
    const dir = jobRoot('timelimit');
    const job = await submitJob({
      jobDirectory: dir,
      command: { argv: ['sleep', '300'] },
      slurm: { timeLimit: 1 },
    });
    const r = await monitor.follow(job).result;
    expect(r.outcome).toBe('timeout');
    expect(r.error?.code).toBe(108);
    expect(r.slurm?.state).toBe('TIMEOUT');
    expect(statSync(join(dir, 'slurm.status')).size).toBeGreaterThan(0);
  });
});
