import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JobDatabase, JobStatus, jobLeftovers, TERMINAL_STATUSES } from '../../src/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { tempDir, track } from '../db/helpers.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { until } from './helpers.js';

/** A task directory with `napper`: a program (sh) that starts a child and a grandchild and sleeps `seconds`. */
function napperTasks(dir: string, seconds: number): string {
  writeFileSync(
    join(dir, 'napper.def.xml'),
    `<?xml version='1.0'?>
<ccp4i2><ccp4i2_header><function>DEF</function><pluginName>napper</pluginName></ccp4i2_header>
<ccp4i2_body><container id="inputData"/><container id="outputData"/><container id="controlParameters"/></ccp4i2_body></ccp4i2>
`,
  );
  const dist = pathToFileURL(resolve(ROOT, 'dist/index.js')).href;
  writeFileSync(
    join(dir, 'napper.mjs'),
    `import { CPluginScript } from ${JSON.stringify(dist)};
export default class napper extends CPluginScript {
  static TASKNAME = 'napper';
  static TASKCOMMAND = 'sh';
  makeCommandAndScript() {
    this.appendCommandLine('-c', "(trap '' TERM; sleep ${seconds}) & sh -c 'sleep ${seconds}' & touch started; wait");
  }
}
`,
  );
  return dir;
}

/** i2run napper as a real process in `cwd`. */
function startI2run(
  cwd: string,
  db: string,
  tasks: string,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist/bin/i2run.cjs'), 'napper', '--task-dir', tasks, '--db', db, '--project_name', 'n'],
    {
      cwd,
      stdio: 'ignore',
    },
  );
  return { child, exited: new Promise((r) => child.on('close', (code) => r(code))) };
}

describe('jobs cancel from another terminal', () => {
  it("stops an i2run job's whole process tree and marks it Interrupted; cancelling again changes nothing", async () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    const tasks = napperTasks(tempDir(), 300);
    const run = startI2run(cwd, file, tasks);
    const jobDir = join(cwd, 'i2run_projects/n/CCP4_JOBS/job_1');
    await until('the program to start', () => existsSync(join(jobDir, 'started')));
    const db = track(JobDatabase.open(file));
    const job = db.jobs.find(db.projects.require('n').id, '1')!;
    expect(job.status).toBe(JobStatus.RUNNING);
    expect(jobLeftovers(job.id).length).toBeGreaterThanOrEqual(3);

    const r = runCli('ccp4i2', ['jobs', 'cancel', '1', '-p', 'n', '--db', file, '--json'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ number: '1', statusName: 'Interrupted' });
    expect(await run.exited).toBe(130);
    await until('no process of the job left', () => jobLeftovers(job.id).length === 0, 10_000);
    expect(db.jobs.get(job.id)!.status).toBe(JobStatus.INTERRUPTED);

    const again = runCli('ccp4i2', ['jobs', 'cancel', '1', '-p', 'n', '--db', file], { cwd });
    expect(again.status).toBe(3);
    expect(again.stderr).toMatch(/already ended \(Interrupted\); nothing was changed/);
  }, 60_000);
});

describe('kill -9 of i2run at random moments', () => {
  it('30 kills: after the next command every job is in a terminal state, nothing left running, integrity ok', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    const tasks = napperTasks(tempDir(), 1);
    const delays: number[] = [];
    // One run to the end measures how long a run takes here (under load, start-up alone can take seconds).
    const t0 = Date.now();
    expect(await startI2run(cwd, file, tasks).exited).toBe(0);
    const span = (Date.now() - t0) * 1.2;
    // 30 runs, 5 at a time, each SIGKILLed at a random moment of that span (start-up, registration, the
    // program, the end)
    for (let batch = 0; batch < 6; batch++) {
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          const delay = Math.floor(Math.random() * span);
          delays.push(delay);
          const run = startI2run(cwd, file, tasks);
          await sleep(delay);
          if (run.child.exitCode === null && run.child.pid) sendSignal(run.child.pid, 'SIGKILL');
          await run.exited;
        }),
      );
    }
    // the next command recovers: every job terminal, with the runner's death said
    const r = runCli('ccp4i2', ['jobs', 'list', '--all', '-p', 'n', '--db', file, '--json'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const jobs = JSON.parse(r.stdout) as {
      id: string;
      number: string;
      status: number;
      diagnostic: string | null;
    }[];
    expect(jobs.length, `delays ${delays.join(',')}`).toBeGreaterThan(0);
    for (const j of jobs) {
      expect(TERMINAL_STATUSES, `job ${j.number}: ${j.status}`).toContain(j.status);
      if (j.status === JobStatus.FAILED && j.diagnostic?.includes('runner'))
        expect(j.diagnostic).toMatch(/died; last seen/);
    }
    // some kills caught a job between its registration and its end (else the test proved nothing)
    expect(jobs.filter((j) => j.diagnostic?.match(/runner .*died/)).length).toBeGreaterThan(0);
    const numbers = jobs.filter((j) => !j.number.includes('.')).map((j) => Number(j.number));
    expect(new Set(numbers).size).toBe(numbers.length);
    await until('no program left', () => jobs.every((j) => jobLeftovers(j.id).length === 0), 10_000);
    const db = track(JobDatabase.open(file));
    expect(db.integrityCheck()).toBe('ok');
  }, 180_000);
});
