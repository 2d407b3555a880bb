import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { JobDatabase, type JobRecord } from '../../src/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { holdSlurm, REPO } from './helpers.js';

// i2run as a SLURM coordinator in the background, and the database it writes read from the test.

/** Children started here: a test file kills those still alive in its afterAll. */
export const coordinators: ChildProcess[] = [];

/** `i2run ARGS` in the background with `env`, its stderr collected. */
export function i2runBackground(cwd: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(REPO, 'dist/bin/i2run.cjs'), ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  coordinators.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  child.stdout!.resume();
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exit, stderr: () => stderr };
}

/** Every job row of the database file; none while i2run has not made it yet. */
export function jobRows(db: string): JobRecord[] {
  if (!existsSync(db)) return [];
  let d: JobDatabase;
  try {
    d = JobDatabase.open(db, { readonly: true });
  } catch (e) {
    // made but not yet given its tables (JobDatabase 3: "needs migrating ... opened read-only")
    if ((e as { className?: string; code?: number }).code === 3) return [];
    throw e;
  }
  try {
    return d.jobs.list({});
  } finally {
    d.close();
  }
}

/** Job `number`'s row, when there is one. */
export function jobRow(db: string, number: string): JobRecord | undefined {
  return jobRows(db).find((j) => j.number === number);
}

/**
 * In a describe: holds the machine's SLURM (the test lock) from the file's first test to its last, then
 * kills the coordinators still alive.
 */
export function holdSlurmWithCoordinators(): void {
  let release = () => {};
  beforeAll(async () => {
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => {
    for (const c of coordinators) if (c.exitCode === null && c.pid) sendSignal(c.pid, 'SIGKILL');
    release();
  });
}
