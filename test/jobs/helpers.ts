import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CPluginScript,
  type JobDatabase,
  JobService,
  type ProjectRecord,
  TaskRegistry,
} from '../../src/index.js';

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
