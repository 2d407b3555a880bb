import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CPluginScript,
  JobDatabase,
  type JobRecord,
  JobService,
  type ProjectRecord,
  TaskRegistry,
  taskRegistry,
} from '../../src/index.js';
import { tempDir } from '../db/helpers.js';

export const RUNNER = join(__dirname, 'fixtures/runner.mjs');

export class sleeper extends CPluginScript {
  static override TASKNAME = 'sleeper';
  static override TASKCOMMAND = 'true';
}

export function sleeperRegistry(): TaskRegistry {
  const r = new TaskRegistry();
  r.register({ taskName: 'sleeper', defFile: '', pluginClass: sleeper as never });
  return r;
}

/**
 * A program that records its pid, starts a child that ignores SIGTERM (it must be SIGKILLed) and a
 * grandchild, and sleeps: a process tree to stop.
 */
export function treeProgram(dir: string): string {
  const p = join(dir, 'tree.sh');
  writeFileSync(
    p,
    `#!/bin/sh
(trap '' TERM; sleep 300) &
sh -c 'sleep 300' &
echo $$ > "$PWD/program.pid"
touch "$PWD/started"
wait
`,
  );
  chmodSync(p, 0o755);
  return p;
}

export async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A Pending `sleeper` job in `project`, and a runner process (another process) running it. */
export function startRunner(db: JobDatabase, project: ProjectRecord, program: string) {
  const service = new JobService({ db, registry: sleeperRegistry() });
  const job = service.createJob({ project, taskName: 'sleeper' });
  const child = spawn(process.execPath, [RUNNER, db.file, job.id, program], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    service,
    job,
    child,
    exited,
    output: () => out,
    started: () => until('the program to start', () => existsSync(join(job.directory, 'started'))),
  };
}

/** test/fixtures/server/tasks: test_sleeper (a program printing a table row per step) and others. */
export const FIXTURE_TASKS = join(__dirname, '../fixtures/server/tasks');

/** The built-in tasks plus FIXTURE_TASKS. */
export async function fixtureRegistry(): Promise<TaskRegistry> {
  const r = new TaskRegistry();
  for (const n of taskRegistry.names()) r.register(taskRegistry.require(n));
  await r.addTaskDirectory(FIXTURE_TASKS);
  return r;
}

export interface PendingSleeper {
  root: string;
  /** `<root>/db/db.sqlite`: in a directory of its own, so a test can delete it whole. */
  dbFile: string;
  /** Project `p`'s directory, `<root>/p`. */
  project: string;
  job: JobRecord;
}

/** A database, project `p` and a Pending test_sleeper job of `steps` steps of `delay` seconds. */
export async function pendingSleeper(steps: number, delay = 0.1): Promise<PendingSleeper> {
  const root = tempDir();
  const dbFile = join(root, 'db', 'db.sqlite');
  const project = join(root, 'p');
  mkdirSync(project);
  const registry = await fixtureRegistry();
  const db = JobDatabase.open(dbFile);
  try {
    const job = new JobService({ db, registry }).createJob({
      project: db.projects.create('p', project),
      taskName: 'test_sleeper',
      configure: (plugin) => {
        const c = plugin.container.content('controlParameters');
        c?.content('STEPS')?.set(steps);
        c?.content('DELAY')?.set(delay);
      },
    });
    return { root, dbFile, project, job };
  } finally {
    db.close();
  }
}
