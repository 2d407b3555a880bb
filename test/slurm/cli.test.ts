import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type JobRecord, JobStatus } from '../../src/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { makeTaskDir } from '../cli/i2run-tasks.js';
import { tempDir } from '../db/helpers.js';
import { runCli } from '../helpers/cli.js';
import {
  coordinators,
  holdSlurmWithCoordinators,
  i2runBackground as i2runBackground_,
  jobRow,
} from './coordinator.js';
import { REPO, sleepers, slurmUp, waitFor } from './helpers.js';

// `ccp4i2 jobs ...` from another process on SLURM jobs: the CLI reaches the slurm executor by itself
// (cancel calls scancel, list refreshes from squeue), while i2run coordinates or after it is gone.

const up = slurmUp();
let taskDir: string;
beforeAll(() => {
  taskDir = makeTaskDir();
  // six lines half a second apart: a log that grows while the follower reads it
  writeFileSync(
    join(taskDir, 'slowlog.def.xml'),
    readFileSync(join(taskDir, 'slowcat.def.xml'), 'utf8').replaceAll('slowcat', 'slowlog'),
  );
  writeFileSync(
    join(taskDir, 'slowlog.mjs'),
    readFileSync(join(taskDir, 'slowcat.mjs'), 'utf8')
      .replaceAll('slowcat', 'slowlog')
      .replace(
        'for i in 1 2 3; do echo line $i; sleep 0.3; done',
        'for i in 1 2 3 4 5 6; do echo tick $i; sleep 0.5; done',
      ),
  );
});

const env = () => ({ ...process.env, CCP4I2_TASK_PATH: taskDir, CCP4I2_SLURM_POLL_MS: '250' });

function ccp4i2(cwd: string, db: string, args: string[]) {
  return runCli('ccp4i2', [...args, '--db', db], { cwd, env: env() });
}

/** i2run coordinating on SLURM in the background. */
const i2runBackground = (cwd: string, db: string, args: string[]) =>
  i2runBackground_(cwd, [...args, '--db', db, '--executor', 'slurm'], env());
const row = jobRow;

/** Whether squeue still lists the SLURM job (pending or running). */
function inQueue(slurmId: string): boolean {
  const r = spawnSync('squeue', ['--noheader', `--jobs=${slurmId}`, '--format=%i %T'], { encoding: 'utf8' });
  return r.stdout.trim().length > 0;
}

/** A fresh directory and database, and i2run coordinating `task` on SLURM, once `ready` holds for job 1. */
async function coordinated(task: string, ready: (r: JobRecord | undefined) => boolean, what: string) {
  const cwd = tempDir('ccp4i2 slurm cli ');
  const db = join(cwd, 'db.sqlite');
  const run = i2runBackground(cwd, db, [task]);
  await waitFor(() => ready(row(db, '1')), 60_000, what);
  return { cwd, db, run };
}

const running = (r: JobRecord | undefined) => r?.status === JobStatus.RUNNING;
// SLURM's job id recorded. Not any external id: i2run registers its job first with its own pid as one (a
// local runner), and killing it then leaves a Pending job whose runner died, not a SLURM job to follow.
const submitted = (r: JobRecord | undefined) => r?.executor === 'slurm' && r.externalId !== null;

describe.runIf(up)('ccp4i2 jobs on SLURM jobs', () => {
  holdSlurmWithCoordinators();

  it('jobs cancel N from another terminal while i2run coordinates: scancel, Interrupted, i2run exits 130', {
    timeout: 120_000,
  }, async () => {
    const { cwd, db, run } = await coordinated('sleeper', running, 'the job to run on the node');
    await waitFor(() => sleepers() > 0, 30_000, 'the sleeper to start');
    const slurmId = row(db, '1')!.externalId!;
    expect(inQueue(slurmId)).toBe(true);

    const cancel = ccp4i2(cwd, db, ['jobs', 'cancel', '1']);
    expect(cancel.status, cancel.stderr).toBe(0);
    expect(cancel.stdout).toBe('job 1 Interrupted\n');
    expect(await run.exit, run.stderr()).toBe(130);
    expect(row(db, '1')).toMatchObject({ status: JobStatus.INTERRUPTED, executor: 'slurm' });
    // SLURM lists a cancelled job a moment longer (COMPLETING) while the node stops its programs
    await waitFor(() => !inQueue(slurmId) && sleepers() === 0, 30_000, 'the job to leave squeue');
  });

  it('jobs log N --follow while i2run coordinates: the log as it grows, ending when the job ends', {
    timeout: 120_000,
  }, async () => {
    const { cwd, db, run } = await coordinated('slowlog', running, 'the job to run on the node');
    const follower = spawn(
      process.execPath,
      [join(REPO, 'dist/bin/ccp4i2.cjs'), 'jobs', 'log', '1', '--follow', '--db', db],
      { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    coordinators.push(follower);
    const chunks: { t: number; text: string }[] = [];
    follower.stdout!.on('data', (d: Buffer) => chunks.push({ t: Date.now(), text: d.toString() }));
    let stderr = '';
    follower.stderr!.on('data', (d) => {
      stderr += d;
    });
    const followed = new Promise<{ code: number | null; t: number }>((r) =>
      follower.on('exit', (code) => r({ code, t: Date.now() })),
    );
    expect(await run.exit, run.stderr()).toBe(0);
    const ended = Date.now();
    const f = await followed;
    expect(f.code, stderr).toBe(0);
    const text = chunks.map((c) => c.text).join('');
    expect(text).toMatch(/tick 1\n[\s\S]*tick 6\n/);
    expect(text).toBe(readFileSync(join(row(db, '1')!.directory, 'log.txt'), 'utf8'));
    // it grew: the lines came in several pieces over more than a second, and the follower ended with the job
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.at(-1)!.t - chunks[0]!.t).toBeGreaterThan(1000);
    expect(f.t - ended).toBeLessThan(10_000);
  });

  it('jobs list refreshes SLURM jobs with no coordinator alive: Queued or Running, then Finished', {
    timeout: 120_000,
  }, async () => {
    const { cwd, db, run } = await coordinated('slowcat', submitted, 'the job to be submitted');
    sendSignal(run.child.pid!, 'SIGKILL'); // the coordinator is gone; the SLURM job goes on
    await run.exit;
    const states = new Set<string>();
    await waitFor(
      () => {
        const list = ccp4i2(cwd, db, ['jobs', 'list', '--json']);
        if (list.status !== 0) throw new Error(list.stderr);
        const s = (JSON.parse(list.stdout) as { statusName: string }[])[0]!.statusName;
        states.add(s);
        return s === 'Finished';
      },
      60_000,
      'jobs list to say Finished',
    );
    expect([...states].every((s) => ['Queued', 'Running', 'Finished'].includes(s))).toBe(true);
    expect(row(db, '1')).toMatchObject({ status: JobStatus.FINISHED, exitCode: 0 });
  });

  it('jobs wait N coordinates a SLURM job whose i2run was killed, to its end', {
    timeout: 120_000,
  }, async () => {
    const { cwd, db, run } = await coordinated('slowlog', submitted, 'the job to be submitted');
    sendSignal(run.child.pid!, 'SIGKILL');
    await run.exit;
    const wait = ccp4i2(cwd, db, ['jobs', 'wait', '1']);
    expect(wait.status, `${wait.stdout}${wait.stderr}`).toBe(0); // the diagnostic, when it did not finish
    expect(wait.stdout).toBe('job 1 Finished\n');
    expect(row(db, '1')).toMatchObject({ status: JobStatus.FINISHED, exitCode: 0 });
    // a job that ended: at once, with its status
    const again = ccp4i2(cwd, db, ['jobs', 'wait', '1', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ number: '1', statusName: 'Finished' });
  });
});
