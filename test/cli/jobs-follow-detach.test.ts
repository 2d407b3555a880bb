import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isTerminal,
  JobDatabase,
  type JobRecord,
  JobStatus,
  jobLeftovers,
  runnerAlive,
} from '../../src/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { mkfifo } from '../files/helpers.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { FIXTURE_TASKS, pendingSleeper, until } from '../jobs/helpers.js';

// `ccp4i2 jobs log N --follow` and `ccp4i2 jobs run N --detach` on real processes and a real database
// file: a follower sees a long job's log as it grows and ends when the job ends (also when its runner
// dies); a detached run returns at once, its job then runs to its end, recorded.

const ENV = { ...process.env, CCP4I2_TASK_PATH: FIXTURE_TASKS };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) sendSignal(c.pid!, 'SIGKILL');
});

const pendingJob = pendingSleeper;

function rowOf(dbFile: string, id: string): JobRecord {
  const db = JobDatabase.open(dbFile, { readonly: true });
  try {
    return db.jobs.get(id)!;
  } finally {
    db.close();
  }
}

/** `ccp4i2 ARGS` as a background process: output with the time each piece arrived, and its end. */
function background(args: string[], cwd: string) {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist/bin/ccp4i2.cjs'), ...args], {
    cwd,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const chunks: { t: number; text: string }[] = [];
  let stderr = '';
  child.stdout!.on('data', (d) => chunks.push({ t: Date.now(), text: String(d) }));
  child.stderr!.on('data', (d) => (stderr += d));
  const ended = new Promise<{ code: number | null; t: number }>((r) =>
    child.on('close', (code) => r({ code, t: Date.now() })),
  );
  return { child, chunks, ended, stderr: () => stderr, t0 };
}

const stepRows = (text: string) => text.split('\n').filter((l) => /^\s+\d+ \d+$/.test(l)).length;

describe('ccp4i2 jobs log N --follow', () => {
  it("prints a long job's log as it grows and ends when the job ends, with all of it", async () => {
    const { root, dbFile, job } = await pendingJob(40); // about 4 s
    const runner = background(['jobs', 'run', '1', '-p', 'p', '--db', dbFile], root);
    await until('the job to run', () => rowOf(dbFile, job.id).status === JobStatus.RUNNING);
    const follower = background(['jobs', 'log', '1', '--follow', '-p', 'p', '--db', dbFile], root);
    const [ran, followed] = await Promise.all([runner.ended, follower.ended]);
    expect(ran.code, runner.stderr()).toBe(0);
    expect(followed.code, follower.stderr()).toBe(0);
    const printed = follower.chunks.map((c) => c.text).join('');
    // all of it, exactly, once
    expect(printed).toBe(readFileSync(join(job.directory, 'log.txt'), 'utf8'));
    expect(stepRows(printed)).toBe(40);
    expect(printed).toMatch(/test_sleeper: done\n$/);
    // as it grew: rows arrived in many pieces over seconds, most before the job ended
    const withRows = follower.chunks.filter((c) => stepRows(c.text) > 0);
    expect(withRows.length).toBeGreaterThan(5);
    expect(withRows.at(-1)!.t - withRows[0]!.t).toBeGreaterThan(1500);
    expect(withRows[0]!.t).toBeLessThan(ran.t - 1500);
    // ...and it ended with the job, not long after
    expect(followed.t - ran.t).toBeLessThan(5000);
    expect(rowOf(dbFile, job.id).status).toBe(JobStatus.FINISHED);
  });

  it('ends when the runner of the job dies (kill -9): the job is marked Failed, its program stopped', async () => {
    const { root, dbFile, job } = await pendingJob(600); // a minute, unless stopped
    const runner = background(['jobs', 'run', '1', '-p', 'p', '--db', dbFile], root);
    await until('the job to run', () => rowOf(dbFile, job.id).status === JobStatus.RUNNING);
    const follower = background(['jobs', 'log', '1', '--follow', '-p', 'p', '--db', dbFile], root);
    await until(
      'the follower to print a row',
      () => stepRows(follower.chunks.map((c) => c.text).join('')) > 0,
    );
    sendSignal(runner.child.pid!, 'SIGKILL');
    const killed = Date.now();
    const followed = await follower.ended;
    expect(followed.t - killed).toBeLessThan(10_000);
    expect(followed.code, follower.stderr()).toBe(0);
    const row = rowOf(dbFile, job.id);
    expect(row.status).toBe(JobStatus.FAILED);
    expect(row.diagnostic).toMatch(/its runner \(pid \d+ on .*\) died/);
    await until('no process of the job left', () => jobLeftovers(job.id).length === 0, 10_000);
  });

  it('of a job that has ended prints its log and returns at once', async () => {
    const { root, dbFile, job } = await pendingJob(3, 0);
    expect(
      runCli('ccp4i2', ['jobs', 'run', '1', '-p', 'p', '--db', dbFile], { cwd: root, env: ENV }).status,
    ).toBe(0);
    const r = runCli('ccp4i2', ['jobs', 'log', '1', '--follow', '-p', 'p', '--db', dbFile], {
      cwd: root,
      env: ENV,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(job.directory, 'log.txt'), 'utf8'));
  });

  it('refuses a FIFO in place of log.txt (a coded error, never a blocked open)', async () => {
    const { root, dbFile, job } = await pendingJob(1, 0);
    mkfifo(join(job.directory, 'log.txt'));
    for (const follow of [[], ['--follow']]) {
      const r = runCli('ccp4i2', ['jobs', 'log', '1', ...follow, '-p', 'p', '--db', dbFile], { cwd: root });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/log\.txt: cannot read: it is a FIFO.*\[FileAccess 1\]/);
    }
  });
});

describe('ccp4i2 jobs run N --detach', () => {
  it('returns at once with the job started; the job then runs to its end, recorded in the database', async () => {
    const { root, dbFile, job } = await pendingJob(30); // about 3 s
    const t0 = Date.now();
    const r = runCli('ccp4i2', ['jobs', 'run', '1', '--detach', '-p', 'p', '--db', dbFile, '--json'], {
      cwd: root,
      env: ENV,
    });
    const returned = Date.now() - t0;
    expect(r.status, r.stderr).toBe(0);
    const started = JSON.parse(r.stdout) as JobRecord & { statusName: string };
    expect(started).toMatchObject({ number: '1', executor: 'local' });
    expect(started.pid).toBeGreaterThan(1);
    // it did not wait for the job: the job has not ended when it returned, and its runner is alive
    const atReturn = rowOf(dbFile, job.id);
    expect(isTerminal(atReturn.status), `returned after ${returned} ms`).toBe(false);
    expect([JobStatus.QUEUED, JobStatus.RUNNING]).toContain(atReturn.status);
    expect(runnerAlive(started.pid, started.pidStartTime)).toBe(true);
    // the runner is `ccp4i2 jobs run 1` itself, recorded as the job's runner
    expect(readFileSync(`/proc/${started.pid}/cmdline`, 'utf8').split('\0')).toEqual(
      expect.arrayContaining(['jobs', 'run', '1', '--project', 'p', '--db', dbFile]),
    );
    await until('the job to end', () => isTerminal(rowOf(dbFile, job.id).status), 30_000);
    const end = rowOf(dbFile, job.id);
    expect(end).toMatchObject({ status: JobStatus.FINISHED, pid: started.pid });
    expect(end.finished).not.toBeNull();
    expect(stepRows(readFileSync(join(job.directory, 'log.txt'), 'utf8'))).toBe(30);
    await until('the runner to exit', () => !runnerAlive(started.pid, started.pidStartTime), 10_000);
    // its report is stored too
    const report = runCli('ccp4i2', ['report', '--job', '1', '--project', 'p', '--db', dbFile, '--json'], {
      cwd: root,
    });
    expect(report.status, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('text output names the runner and how to follow it; a second run of the job is refused', async () => {
    const { root, dbFile, job } = await pendingJob(5, 0.05);
    const r = runCli('ccp4i2', ['jobs', 'run', '1', '--detach', '-p', 'p', '--db', dbFile], {
      cwd: root,
      env: ENV,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^job 1 started \(pid \d+\); ccp4i2 jobs log 1 --follow\n$/);
    const again = runCli('ccp4i2', ['jobs', 'run', '1', '--detach', '-p', 'p', '--db', dbFile], {
      cwd: root,
      env: ENV,
    });
    expect(again.status).toBe(3);
    expect(again.stderr).toMatch(/\[JobDatabase 12\]/);
    await until('the job to end', () => isTerminal(rowOf(dbFile, job.id).status), 30_000);
    expect(rowOf(dbFile, job.id).status).toBe(JobStatus.FINISHED);
    rmSync(root, { recursive: true, force: true });
  });
});
