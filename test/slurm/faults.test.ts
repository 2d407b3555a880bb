import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSignal } from '../../src/process/signal.js';
import { SlurmMonitor, submitJob } from '../../src/process/slurm/index.js';
import { MAX_WAKES } from '../../src/process/slurm/monitor.js';
import { controllerPid, holdSlurm, jobRoot, slurmUp, slurmUpScript, waitFor } from './helpers.js';

// Faults of the cluster itself: the controller stopped or restarted, the node set DOWN, the coordinator
// replaced. Each test leaves slurmctld running and the node in service for the next (this project runs
// its files one at a time).

const up = slurmUp();

async function stopController(): Promise<string> {
  const { pid, stateDir } = controllerPid();
  if (pid === undefined) throw new Error('slurmctld is not running');
  sendSignal(pid, 'SIGTERM');
  await waitFor(() => controllerPid().pid === undefined, 30_000, 'slurmctld to stop');
  return stateDir;
}

describe.runIf(up)('SLURM faults', () => {
  let release = () => {};
  beforeAll(async () => {
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => {
    // Whatever happened, hand the cluster back running.
    try {
      slurmUpScript(controllerPid().stateDir);
    } finally {
      release();
    }
  });

  it('slurmctld down at submit: a clear error (104), no job id, nothing queued', {
    timeout: 120_000,
  }, async () => {
    const stateDir = await stopController();
    try {
      const dir = jobRoot('ctld down');
      const err = await submitJob({ jobDirectory: dir, command: { argv: ['true'] } }).catch((e) => e);
      expect(err).toMatchObject({ className: 'SlurmClient', code: 104, file: dir });
      expect(err.message).toMatch(
        /slurmctld did not answer the submission: .*Unable to contact slurm controller/,
      );
    } finally {
      slurmUpScript(stateDir);
    }
  });

  it('slurmctld stopped and restarted while jobs run: they still end with the right status', {
    timeout: 180_000,
  }, async () => {
    const errors: string[] = [];
    const monitor = new SlurmMonitor({ pollIntervalMs: 500, onPollError: (e) => errors.push(e.message) });
    try {
      const ok = await submitJob({
        jobDirectory: jobRoot('restart ok'),
        command: { argv: ['/bin/sh', '-c', 'sleep 6; echo done'] },
      });
      const bad = await submitJob({
        jobDirectory: jobRoot('restart bad'),
        command: { argv: ['/bin/sh', '-c', 'sleep 6; exit 4'] },
      });
      const a = monitor.follow(ok);
      const b = monitor.follow(bad);
      await waitFor(
        () => a.state?.phase === 'running' && b.state?.phase === 'running',
        30_000,
        'both to run',
      );
      const stateDir = await stopController();
      // The jobs go on on the node; polls fail (squeue gives up after its own retries) until it is back.
      await waitFor(() => errors.length > 0, 90_000, 'a failed poll');
      slurmUpScript(stateDir);
      const [ra, rb] = await Promise.all([a.result, b.result]);
      expect(ra.outcome).toBe('succeeded');
      expect(readFileSync(join(ok.jobDirectory, 'log.txt'), 'utf8')).toBe('done\n');
      expect(rb.outcome).toBe('failed');
      expect(rb.exitCode).toBe(4);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatch(/squeue: .*slurm controller/i);
    } finally {
      monitor.close();
    }
  });

  it('the node set DOWN while a job runs: failed, saying SLURM failed it on that node', {
    timeout: 120_000,
  }, async () => {
    const monitor = new SlurmMonitor({ pollIntervalMs: 500 });
    const node = spawnSync('hostname', ['-s'], { encoding: 'utf8' }).stdout.trim();
    try {
      const job = await submitJob({ jobDirectory: jobRoot('node down'), command: { argv: ['sleep', '15'] } });
      const followed = monitor.follow(job);
      await waitFor(() => followed.state?.phase === 'running', 30_000, 'the job to run');
      const down = spawnSync(
        'scontrol',
        ['update', `nodename=${node}`, 'state=down', 'reason=ccp4i2-ts test'],
        {
          encoding: 'utf8',
        },
      );
      expect(down.status).toBe(0);
      const r = await followed.result;
      expect(r.outcome).toBe('failed');
      expect(r.error?.code).toBe(110);
      expect(r.error?.message).toContain(`failed in SLURM (NODE_FAIL on ${node})`);
    } finally {
      monitor.close();
      slurmUpScript(controllerPid().stateDir); // returns the node to service
    }
  });

  it('a new coordinator re-attaches to a running job by its id and gets the result', {
    timeout: 120_000,
  }, async () => {
    const first = new SlurmMonitor({ pollIntervalMs: 500 });
    const dir = jobRoot('reattach');
    const job = await submitJob({
      jobDirectory: dir,
      command: { argv: ['/bin/sh', '-c', 'sleep 3; echo out'] },
    });
    const followed = first.follow(job);
    await waitFor(() => followed.state !== undefined, 30_000, 'a first state');
    first.close(); // the coordinator dies: its follow never settles
    const second = new SlurmMonitor({ pollIntervalMs: 500 });
    try {
      const r = await second.follow({ jobId: job.jobId, jobDirectory: dir }).result;
      expect(r.outcome).toBe('succeeded');
      expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe('out\n');
      // Re-attached after SLURM forgot it in squeue: scontrol / the jobcomp file still give the end.
      const third = new SlurmMonitor({ pollIntervalMs: 200 });
      const again = await third.follow({ jobId: job.jobId, jobDirectory: dir }).result;
      third.close();
      expect(again.outcome).toBe('succeeded');
    } finally {
      second.close();
    }
  });

  it('one squeue call per poll interval for all the jobs, plus the few early polls of job ends', {
    timeout: 120_000,
  }, async () => {
    // squeue through a wrapper that records each call's --jobs list: what the controller really got.
    const dir = jobRoot('squeue calls');
    const calls = join(dir, 'calls.txt');
    const wrapper = join(dir, 'squeue');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in --jobs=*) echo "\${a#--jobs=}" >> "$CALLS";; esac; done\nexec squeue "$@"\n`,
      { mode: 0o755 },
    );
    const interval = 1000;
    const monitor = new SlurmMonitor({
      pollIntervalMs: interval,
      commands: { squeue: wrapper },
      env: { ...process.env, CALLS: calls },
    });
    try {
      const jobs = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          submitJob({
            jobDirectory: jobRoot(`batch ${i}`),
            command: { argv: ['sleep', '4'] },
            slurm: { jobName: `b${i}` },
          }),
        ),
      );
      const t0 = Date.now();
      const results = await Promise.all(jobs.map((j) => monitor.follow(j).result));
      const elapsed = Date.now() - t0;
      expect(results.map((r) => r.outcome)).toEqual(jobs.map(() => 'succeeded'));
      const lists = readFileSync(calls, 'utf8').trim().split('\n');
      // Every call the monitor made, and each one for all the jobs still followed: never one per job.
      expect(lists.length).toBe(monitor.stats.squeueCalls);
      expect(lists[0]!.split(',').sort()).toEqual(jobs.map((j) => j.jobId).sort());
      // Two kinds of poll. The regular ones: the first an interval after the jobs are followed, each next
      // one an interval after the previous poll ended, so at most elapsed / interval of them (+1: a Node
      // timer may fire a millisecond early). The early ones: a status file saying a job ended brings a
      // poll forward (each counted in stats.wakes), at most MAX_WAKES per job end, shared by jobs ending
      // together; how many depends on how the ends spread (this machine's load), so both are counted.
      expect(monitor.stats.squeueCalls - monitor.stats.wakes).toBeLessThanOrEqual(
        Math.floor(elapsed / interval) + 1,
      );
      expect(monitor.stats.wakes).toBeLessThanOrEqual(MAX_WAKES * jobs.length);
      expect(monitor.stats.squeueCalls).toBeGreaterThan(0);
    } finally {
      monitor.close();
    }
  });
});
