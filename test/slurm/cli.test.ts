import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDatabase, JobStatus } from '../../src/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { makeTaskDir } from '../cli/i2run-tasks.js';
import { tempDir } from '../db/helpers.js';
import { runCli } from '../helpers/cli.js';
import { holdSlurm, REPO, sleepers, slurmUp, waitFor } from './helpers.js';

// `ccp4i2 jobs ...` from another process on SLURM jobs: the CLI reaches the slurm executor by itself
// (cancel calls scancel, list refreshes from squeue), while i2run coordinates or after it is gone.

const up = slurmUp();
let taskDir: string;
beforeAll(() => {
  taskDir = makeTaskDir();
});

const env = () => ({ ...process.env, CCP4I2_TASK_PATH: taskDir, CCP4I2_SLURM_POLL_MS: '250' });

function ccp4i2(cwd: string, db: string, args: string[]) {
  return runCli('ccp4i2', [...args, '--db', db], { cwd, env: env() });
}

/** i2run in the background (the coordinator), its output collected. */
function i2runBackground(cwd: string, db: string, args: string[]) {
  const child = spawn(
    process.execPath,
    [join(REPO, 'dist/cli/i2run.js'), ...args, '--db', db, '--executor', 'slurm'],
    { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  child.stdout!.resume();
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exit, stderr: () => stderr };
}

function row(db: string, number: string) {
  if (!existsSync(db)) return undefined; // i2run has not made it yet
  const d = JobDatabase.open(db, { readonly: true });
  try {
    return d.jobs.list({}).find((j) => j.number === number);
  } finally {
    d.close();
  }
}

/** Whether squeue still lists the SLURM job (pending or running). */
function inQueue(slurmId: string): boolean {
  const r = spawnSync('squeue', ['--noheader', `--jobs=${slurmId}`, '--format=%i %T'], { encoding: 'utf8' });
  return r.stdout.trim().length > 0;
}

describe.runIf(up)('ccp4i2 jobs on SLURM jobs', () => {
  const children: ChildProcess[] = [];
  let release = () => {};
  beforeAll(async () => {
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.pid) sendSignal(c.pid, 'SIGKILL');
    release();
  });

  it('jobs cancel N from another terminal while i2run coordinates: scancel, Interrupted, i2run exits 130', {
    timeout: 120_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm cli ');
    const db = join(cwd, 'db.sqlite');
    const run = i2runBackground(cwd, db, ['sleeper']);
    children.push(run.child);
    await waitFor(() => row(db, '1')?.status === JobStatus.RUNNING, 60_000, 'the job to run on the node');
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

  it('jobs list refreshes SLURM jobs with no coordinator alive: Queued or Running, then Finished', {
    timeout: 120_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm cli ');
    const db = join(cwd, 'db.sqlite');
    const run = i2runBackground(cwd, db, ['slowcat']);
    children.push(run.child);
    await waitFor(() => !!row(db, '1')?.externalId, 60_000, 'the job to be submitted');
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
});
