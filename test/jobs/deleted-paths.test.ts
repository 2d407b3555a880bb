import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  JOB_ID_ENV,
  JobDatabase,
  type JobRecord,
  JobService,
  JobStatus,
  jobLeftovers,
  runnerAlive,
} from '../../src/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { JOB_RUNNER } from '../../src/server/context.js';
import { tempDir } from '../db/helpers.js';
import { ROOT } from '../helpers/cli.js';
import { FIXTURE_TASKS, fixtureRegistry, type PendingSleeper, pendingSleeper, until } from './helpers.js';

// A job runner (the server's, and i2run) whose job directory, project directory or database is deleted
// at some moment of its run always ends, in bounded time, saying which path went (a coded error on
// stderr), with a non-zero exit and, where the database is still there, the job recorded Failed. Real
// processes: the runner is dist/bin/job-runner.cjs started as the server starts it, with --task-dir
// (Node's module-hooks thread: the runner used to hang for ever in Atomics.wait when its working
// directory, the job directory, was deleted before the hooks thread started).

const TASKS = FIXTURE_TASKS;
/** Bound on a runner's end after a deletion: the path check runs every second, then the program is stopped. */
const END_MS = 20_000;

const started: ChildProcess[] = [];
afterEach(() => {
  // A runner that hung is a failed test, never a process left behind.
  for (const c of started.splice(0))
    if (c.exitCode === null && c.signalCode === null) sendSignal(c.pid!, 'SIGKILL');
});

type Setup = PendingSleeper;
const setup = (steps: number) => pendingSleeper(steps);
const registry = fixtureRegistry;

/** The job's row, or undefined when the database is gone. */
function row(s: Setup): JobRecord | undefined {
  if (!existsSync(s.dbFile)) return undefined;
  const db = JobDatabase.open(s.dbFile, { readonly: true });
  try {
    return db.jobs.get(s.job.id);
  } finally {
    db.close();
  }
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts a real process and collects what it says; `ended` fails (after killing it) when it outlives END_MS. */
function start(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const t0 = Date.now();
  const child = spawn(process.execPath, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const ended = new Promise<Ended>((resolve, reject) => {
    const timer = setTimeout(() => {
      sendSignal(child.pid!, 'SIGKILL');
      reject(new Error(`still running ${END_MS} ms after it started (hung); said: ${stdout}${stderr}`));
    }, END_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
  return { child, ended, output: () => stdout + stderr };
}

/** The server's runner for the job, in the job directory (the hardest place: its working directory goes). */
function startRunner(s: Setup) {
  return start([JOB_RUNNER, '--db', s.dbFile, '--job', s.job.id, '--task-dir', TASKS], s.job.directory, {
    ...process.env,
    [JOB_ID_ENV]: s.job.id,
  });
}

const NO_STACK = /\n\s+at /;

/**
 * Deletes a tree the runner may still be writing into, as `rm -rf` repeated until it is gone: Node 20's
 * recursive rmSync empties a directory once and then retries only its rmdir, so a file the runner creates
 * in between (its log, a program's output) fails it with ENOTEMPTY.
 */
function removeTree(path: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(path, { recursive: true, force: true });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt === 50) throw e;
    }
  }
}

/** Waits for the program to print its first table row (it is running). */
const running = (s: Setup) => () => {
  try {
    return /^\s+1 \d+$/m.test(readFileSync(join(s.job.directory, 'log.txt'), 'utf8'));
  } catch {
    return false;
  }
};

describe('job runner: job directory deleted', () => {
  // before Node has started, while it loads the task directory (the old hang), as the program starts
  for (const delayMs of [0, 60, 150, 300]) {
    it(`${delayMs} ms after the runner starts: Failed, naming the directory, exit 1`, async () => {
      const s = await setup(20);
      const r = startRunner(s);
      await sleep(delayMs);
      removeTree(s.job.directory);
      const end = await r.ended;
      expect(end.stderr).not.toMatch(NO_STACK);
      const now = row(s)!;
      // The job may have ended before a late deletion was seen (a 2 s job cannot, at 300 ms).
      // 1: the job failed; 2: it could not even be loaded (its input_params.xml went with the directory)
      expect([1, 2], end.stdout + end.stderr).toContain(end.code);
      expect(end.stderr).toContain(
        `job-runner: error: ${s.job.directory}: the directory of job 1 was deleted`,
      );
      expect(end.stderr).toContain('[JobDatabase 16]');
      expect(now.status).toBe(JobStatus.FAILED);
      expect(now.diagnostic).toContain(`${s.job.directory}: the directory of job 1 was deleted`);
      expect(jobLeftovers(s.job.id)).toEqual([]);
    });
  }

  it('while its program runs (the project directory with it): stopped at once, Failed, exit 1', async () => {
    const s = await setup(600); // a minute of work, unless stopped
    const r = startRunner(s);
    await until('the program to run', running(s));
    const t = Date.now();
    removeTree(s.project);
    const end = await r.ended;
    expect(Date.now() - t).toBeLessThan(END_MS);
    expect(end.code, end.stderr).toBe(1);
    expect(end.stderr).toMatch(
      /job-runner: error: .*job_1: the directory of job 1 was deleted or replaced while it ran.*\[JobDatabase 16\]/,
    );
    expect(end.stderr).not.toMatch(NO_STACK);
    expect(row(s)!.status).toBe(JobStatus.FAILED);
    await until('no process of the job left', () => jobLeftovers(s.job.id).length === 0, 10_000);
  });

  it('after the job ended: the runner has exited 0, the job stays Finished', async () => {
    const s = await setup(2);
    const end = await startRunner(s).ended;
    removeTree(s.job.directory);
    expect(end.code, end.stderr).toBe(0);
    expect(row(s)!.status).toBe(JobStatus.FINISHED);
  });
});

describe('job runner: database deleted', () => {
  it('before the runner opens it: refused, never made anew, exit 2', async () => {
    const s = await setup(2);
    removeTree(join(s.root, 'db'));
    const end = await startRunner(s).ended;
    expect(end.code).toBe(2);
    expect(end.stderr).toBe(
      `job-runner: error: ${s.dbFile}: the database file does not exist [JobDatabase 2]\n`,
    );
    expect(existsSync(s.dbFile)).toBe(false);
  });

  for (const when of ['while the runner starts', 'while its program runs'] as const)
    it(`${when}: the job runs to its end, the runner says its outcome is not recorded, exit 1`, async () => {
      const s = await setup(10);
      const r = startRunner(s);
      if (when === 'while its program runs') await until('the program to run', running(s));
      else await sleep(100);
      removeTree(join(s.root, 'db'));
      const end = await r.ended;
      // At 100 ms the runner may not have opened it yet: then it refuses (JobDatabase 2), as above.
      expect(end.stderr).not.toMatch(NO_STACK);
      // (or SQLite finds its files going as it opens them): a coded error naming the file, exit 2
      if (end.code === 2) {
        expect(end.stderr).toContain(`job-runner: error: ${s.dbFile}`);
        expect(end.stderr).toMatch(/\[JobDatabase \d+\]\n$/);
      } else {
        expect(end.code, end.stderr).toBe(1);
        expect(end.stdout).toBe('job 1: status 0\n');
        expect(end.stderr).toBe(
          `job-runner: error: ${s.dbFile}: the database file was deleted or replaced while job 1 ran: its outcome is recorded only in its directory (\`ccp4i2 projects import\` records it again) [JobDatabase 17]\n`,
        );
        // ...which holds it: params.xml with SUCCEEDED (0), for `projects import`
        expect(readFileSync(join(s.job.directory, 'params.xml'), 'utf8')).toContain(
          '<jobStatus>0</jobStatus>',
        );
      }
      expect(existsSync(s.dbFile)).toBe(false);
    });
});

describe('ccp4i2 jobs run (a runner in a terminal): project directory deleted while its program runs', () => {
  it('stops the job, records it Failed, says which directory went, exit 1', async () => {
    const s = await setup(600);
    const r = start(
      [join(ROOT, 'dist/bin/ccp4i2.cjs'), 'jobs', 'run', '1', '-p', 'p', '--db', s.dbFile],
      tempDir(),
      { ...process.env, CCP4I2_TASK_PATH: TASKS },
    );
    await until('the program to run', running(s));
    removeTree(s.project);
    const end = await r.ended;
    expect(end.code, end.stderr).toBe(1);
    expect(end.stdout).toBe('job 1 Failed\n');
    expect(end.stderr).toMatch(
      /ccp4i2: error: .*job_1: the directory of job 1 was deleted or replaced while it ran.*\[JobDatabase 16\]/,
    );
    expect(end.stderr).not.toMatch(NO_STACK);
    expect(row(s)!.status).toBe(JobStatus.FAILED);
  });
});

describe('job service: a local start', () => {
  it('of a job whose directory is gone fails the job, naming it; no runner is left', async () => {
    const s = await setup(2);
    const db = JobDatabase.open(s.dbFile);
    try {
      const service = new JobService({
        db,
        registry: await registry(),
        runnerCommand: (job) => [process.execPath, JOB_RUNNER, '--db', db.file, '--job', job.id],
      });
      removeTree(s.job.directory);
      await expect(service.start(s.job, 'local')).rejects.toMatchObject({
        className: 'JobDatabase',
        code: 16,
      });
      expect(db.jobs.get(s.job.id)).toMatchObject({ status: JobStatus.FAILED, pid: null });
      expect(db.jobs.get(s.job.id)!.diagnostic).toContain(
        `${s.job.directory}: the directory of job 1 was deleted`,
      );
    } finally {
      db.close();
    }
  });

  it('as the server starts it, its directory deleted at once: the runner ends and records Failed', async () => {
    const s = await setup(20);
    const db = JobDatabase.open(s.dbFile);
    try {
      const service = new JobService({
        db,
        registry: await registry(),
        runnerCommand: (job) => [
          process.execPath,
          JOB_RUNNER,
          '--db',
          db.file,
          '--job',
          job.id,
          '--task-dir',
          TASKS,
        ],
      });
      const job = await service.start(s.job, 'local');
      // What the runner says goes to runner.txt in the job directory: kept readable through a descriptor.
      const fd = openSync(join(s.job.directory, 'runner.txt'), 'r');
      try {
        removeTree(s.job.directory);
        await until('the runner to end', () => !runnerAlive(job.pid, job.pidStartTime), END_MS);
        expect(db.jobs.get(s.job.id)!.status).toBe(JobStatus.FAILED);
        expect(readFileSync(fd, 'utf8')).toMatch(
          /job-runner: error: .*job_1: the directory of job 1 was deleted.*\[JobDatabase 16\]/,
        );
      } finally {
        closeSync(fd);
      }
    } finally {
      db.close();
    }
  });
});

describe('i2run: project directory deleted', () => {
  const i2run = (project: string, db: string, steps: number) =>
    start(
      [
        join(ROOT, 'dist/bin/i2run.cjs'),
        'test_sleeper',
        '--task-dir',
        TASKS,
        '--project_path',
        project,
        '--db',
        db,
        '--STEPS',
        String(steps),
      ],
      tempDir(),
    );

  it('while its program runs: stopped, Failed, exit 1 naming the job directory', async () => {
    const root = tempDir();
    const project = join(root, 'project');
    const db = join(root, 'db.sqlite');
    const r = i2run(project, db, 600);
    const log = join(project, 'CCP4_JOBS/job_1/log.txt');
    await until('the program to run', () => existsSync(log) && /^\s+1 \d+$/m.test(readFileSync(log, 'utf8')));
    removeTree(project);
    const end = await r.ended;
    expect(end.code, end.stderr).toBe(1);
    expect(end.stderr).toContain(
      `ERROR ${project}/CCP4_JOBS/job_1: the directory of job 1 was deleted or replaced while it ran; nothing the job wrote can be kept [JobDatabase 16]`,
    );
    expect(end.stdout).toContain('status: FAILED');
    // Files that are gone are not named as if they were there.
    expect(end.stdout).not.toMatch(/diagnostic:|report:/);
    expect(end.stderr).not.toMatch(NO_STACK);
    const d = JobDatabase.open(db, { readonly: true });
    try {
      const job = d.jobs.find(d.projects.list()[0]!.id, '1')!;
      expect(job.status).toBe(JobStatus.FAILED);
      expect(job.diagnostic).toContain('[JobDatabase 16]');
      await until('no process of the job left', () => jobLeftovers(job.id).length === 0, 10_000);
    } finally {
      d.close();
    }
  });

  // While i2run starts, creates the project, registers and prepares the job: it ends in bounded time,
  // with a coded error when it fails (or succeeds, when the deletion came before it made the project).
  for (const delayMs of [100, 250, 400, 600])
    it(`${delayMs} ms after it starts: ends, never hangs, never a stack`, async () => {
      const root = tempDir();
      const project = join(root, 'project');
      const r = i2run(project, join(root, 'db.sqlite'), 5);
      await sleep(delayMs);
      removeTree(project);
      const end = await r.ended;
      expect(end.stderr).not.toMatch(NO_STACK);
      expect([0, 1, 2]).toContain(end.code);
      if (end.code !== 0) expect(end.stderr).toMatch(/\[[A-Za-z]+ \d+\]/);
    });
});

describe('task directories (module hooks) in a deleted working directory', () => {
  it('load: the hooks thread is started from an existing directory, never waited for in vain', async () => {
    const cwd = tempDir();
    const script = `import { rmdirSync } from 'node:fs';
const { taskRegistry } = await import(${JSON.stringify(join(ROOT, 'dist/index.js'))});
rmdirSync(${JSON.stringify(cwd)});
await taskRegistry.addTaskDirectory(${JSON.stringify(TASKS)});
console.log(taskRegistry.names().includes('test_sleeper'), process.cwd());`;
    const end = await start(['--input-type=module', '-e', script], cwd).ended;
    expect(end.stderr).toBe('');
    expect(end.stdout).toBe('true /\n');
    expect(end.code).toBe(0);
  });
});
