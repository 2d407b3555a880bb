import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CPluginScript,
  JobDatabase,
  type JobRecord,
  JobService,
  JobStatus,
  type TaskRegistry,
  taskRegistry,
} from '../../src/index.js';
import { SlurmExecutor } from '../../src/jobs/executors/slurm.js';
import { sendSignal } from '../../src/process/signal.js';
import { MTZ, PDB, tempDb, tempDir } from '../db/helpers.js';
import { controllerPid, holdSlurm, processesWith, slurmUp, slurmUpScript, waitFor } from './helpers.js';

// Faults of the cluster at the executor level: the job service (and i2run) records the job in the
// database while slurmctld restarts, the node goes DOWN, or the node never writes the status file. Each
// test hands SLURM back running with its node in service (this project runs its files one at a time).

const up = slurmUp();
const ROOT = resolve(__dirname, '../..');
const NODE_COMMAND = [process.execPath, join(ROOT, 'dist/bin/ccp4i2.cjs')];
/** In the long sleeps' command line, so /proc can be searched for them (unique to this test process). */
const MARK = `272.${String(process.pid).padStart(8, '0')}1`;

/** Shell programs of the test tasks (run on the node by `ccp4i2 run-prepared`). */
const PROGRAMS: Record<string, string> = {
  napper: 'sleep 5; echo napped',
  napfail: 'sleep 5; exit 3',
  dozer: `sleep ${MARK}`,
  // A node crash as the coordinator sees it: the batch script (slurm_script, an ancestor of this program)
  // killed with SIGKILL, so it never records how the job ended; slurm.status stays state=running.
  crasher:
    'p=$$; while [ "$p" -gt 1 ]; do p=$(cut -d" " -f4 /proc/$p/stat); ' +
    'if [ "$(cat /proc/$p/comm)" = slurm_script ]; then kill -KILL "$p"; break; fi; done; sleep 2',
};

function makeTasks(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slurm-fault-tasks-'));
  const dist = pathToFileURL(join(ROOT, 'dist/index.js')).href;
  for (const [name, program] of Object.entries(PROGRAMS)) {
    writeFileSync(
      join(dir, `${name}.def.xml`),
      `<?xml version='1.0'?><ccp4i2><ccp4i2_header><function>DEF</function><pluginName>${name}</pluginName></ccp4i2_header><ccp4i2_body><container id="inputData"/><container id="outputData"/><container id="controlParameters"/></ccp4i2_body></ccp4i2>\n`,
    );
    writeFileSync(
      join(dir, `${name}.mjs`),
      `import { CPluginScript } from ${JSON.stringify(dist)};
export default class ${name} extends CPluginScript {
  static TASKNAME = ${JSON.stringify(name)};
  static TASKCOMMAND = 'sh';
  makeCommandAndScript() { this.appendCommandLine('-c', ${JSON.stringify(program)}); }
}
`,
    );
  }
  return dir;
}

/** The coordinator's registry knows the names (the node loads the real modules from CCP4I2_TASK_PATH). */
function registry(): TaskRegistry {
  for (const name of Object.keys(PROGRAMS)) {
    if (taskRegistry.get(name)) continue;
    class T extends CPluginScript {
      static override TASKNAME = name;
    }
    taskRegistry.register({ taskName: name, defFile: '', pluginClass: T as never });
  }
  return taskRegistry;
}

/** Processes of this file's long sleeps still alive on the machine (the node). */
const dozers = () => processesWith(MARK);

const nodeName = () => spawnSync('hostname', ['-s'], { encoding: 'utf8' }).stdout.trim();

describe.runIf(up)('SLURM faults through the job service and i2run', () => {
  let tasks: string;
  let release = () => {};
  const executors: SlurmExecutor[] = [];
  beforeAll(async () => {
    tasks = makeTasks();
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => {
    for (const e of executors) e.close();
    try {
      slurmUpScript(controllerPid().stateDir); // whatever happened: slurmctld running, the node in service
    } finally {
      release();
    }
  });

  /** A database, a project and a service with a slurm executor (SLURM commands killed after `timeoutMs`). */
  function setup(pollErrors: string[] = [], timeoutMs?: number) {
    const dir = tempDir('ccp4i2 slurm faults ');
    const db = tempDb(dir);
    const project = db.projects.create('p', join(dir, 'fault project'));
    mkdirSync(project.directory);
    const executor = new SlurmExecutor({
      nodeCommand: NODE_COMMAND,
      env: { ...process.env, CCP4I2_TASK_PATH: tasks },
      statusGraceMs: 2000,
      timeoutMs,
      onPollError: (e) => pollErrors.push(e.message),
    });
    executors.push(executor);
    const service = new JobService({ db, registry: registry(), executors: [executor] });
    const start = (taskName: string) =>
      service.start(service.createJob({ project, taskName }), 'slurm', { timeLimit: 5 });
    /** Refreshes every 300 ms (one squeue each) until `cond` holds for the job's row. */
    const until = async (job: JobRecord, cond: (r: JobRecord) => boolean, ms = 60_000) => {
      const end = Date.now() + ms;
      for (;;) {
        await service.refresh();
        const row = db.jobs.get(job.id)!;
        if (cond(row)) return row;
        if (Date.now() > end) throw new Error(`job ${job.number} stayed ${row.status}: ${row.diagnostic}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    return { db, service, start, until };
  }

  it('slurmctld restarted while jobs run: the database still gets Finished and Failed', {
    timeout: 180_000,
  }, async () => {
    const pollErrors: string[] = [];
    const s = setup(pollErrors, 4000); // a poll gives up after 4 s, not squeue's own 10-20 s
    const ok = await s.start('napper');
    const bad = await s.start('napfail');
    await s.until(ok, (r) => r.status === JobStatus.RUNNING);
    await s.until(bad, (r) => r.status === JobStatus.RUNNING);
    const { pid, stateDir } = controllerPid();
    expect(pid).toBeDefined();
    try {
      sendSignal(pid!, 'SIGTERM');
      await waitFor(() => controllerPid().pid === undefined, 30_000, 'slurmctld to stop');
      // Refreshes while it is down fail: the jobs stay Running.
      while (pollErrors.length === 0) await s.service.refresh();
      expect(pollErrors[0]).toMatch(/squeue(: .*slurm controller| did not answer within 4 s)/i);
      expect(s.db.jobs.get(ok.id)!.status).toBe(JobStatus.RUNNING);
      expect(s.db.jobs.get(bad.id)!.status).toBe(JobStatus.RUNNING);
    } finally {
      slurmUpScript(stateDir);
    }
    const a = await s.until(ok, (r) => r.status !== JobStatus.RUNNING);
    const b = await s.until(bad, (r) => r.status !== JobStatus.RUNNING);
    expect(a.status, a.diagnostic ?? '').toBe(JobStatus.FINISHED);
    expect(a.exitCode).toBe(0);
    expect(readFileSync(join(a.directory, 'log.txt'), 'utf8')).toContain('napped');
    expect(b.status).toBe(JobStatus.FAILED);
    expect(b.exitCode).toBe(11); // run-prepared: 10 + the plugin's FAILED
    expect(b.diagnostic).toMatch(/ended Failed on .*diagnostic\.xml/);
  });

  it('the node set DOWN while a job runs: Failed, the diagnostic naming NODE_FAIL and the node', {
    timeout: 120_000,
  }, async () => {
    const s = setup();
    const node = nodeName();
    const job = await s.start('dozer');
    await s.until(job, (r) => r.status === JobStatus.RUNNING);
    await waitFor(() => dozers() > 0, 30_000, 'the program to start');
    try {
      const down = spawnSync(
        'scontrol',
        ['update', `nodename=${node}`, 'state=down', 'reason=ccp4i2-ts executor fault test'],
        { encoding: 'utf8' },
      );
      expect(down.status, down.stderr).toBe(0);
      const done = await s.until(job, (r) => r.status !== JobStatus.RUNNING);
      expect(done.status).toBe(JobStatus.FAILED);
      expect(done.diagnostic).toMatch(
        new RegExp(
          `SLURM job ${job.externalId} failed in SLURM \\(NODE_FAIL on ${node}\\) \\[SlurmClient 110\\]`,
        ),
      );
      expect(done.finished).not.toBeNull();
    } finally {
      slurmUpScript(controllerPid().stateDir); // the node back in service
    }
    // Back in service, slurmd is told to kill what was left of the job.
    await waitFor(() => dozers() === 0, 60_000, 'the programs of the failed job to stop');
    const info = spawnSync('sinfo', ['--noheader', '--nodes', node, '--format=%t'], { encoding: 'utf8' });
    expect(info.stdout.trim()).toMatch(/^(idle|mix|alloc)/);
  });

  it('slurm.status never written (node crash): Failed from SLURM’s state, saying the file was never written', {
    timeout: 120_000,
  }, async () => {
    const s = setup();
    const job = await s.start('crasher');
    const done = await s.until(job, (r) => r.status !== JobStatus.QUEUED && r.status !== JobStatus.RUNNING);
    expect(done.status).toBe(JobStatus.FAILED);
    expect(readFileSync(join(done.directory, 'slurm.status'), 'utf8')).toMatch(/state=running/);
    expect(done.diagnostic).toMatch(
      /ended without writing slurm\.status after it started on \S+: the node may have crashed/,
    );
    // SLURM's own account: the batch script killed by signal 9.
    expect(done.diagnostic).toMatch(/SLURM state FAILED, ExitCode 0:9\b.*\[SlurmClient 111\]/);
    expect(done.exitSignal).toBe('9');
  });

  it('waitFor records the end as soon as the node writes it, not at the next interval', {
    timeout: 120_000,
  }, async () => {
    const s = setup();
    const job = await s.start('napper');
    const t0 = Date.now();
    const done = await s.service.waitFor(job, { intervalMs: 60_000 });
    expect(done.status, done.diagnostic ?? '').toBe(JobStatus.FINISHED);
    // The 5 s job ends long before the second refresh (at 60 s) would have come.
    expect(Date.now() - t0).toBeLessThan(40_000);
  });

  it('i2run --executor slurm in a directory with spaces, quotes, $ and % in its path', {
    timeout: 120_000,
  }, async () => {
    const cwd = join(tempDir('ccp4i2 slurm i2run '), `it's a "quoted" $HOME %j dir`);
    mkdirSync(cwd);
    const dbFile = join(cwd, 'db $x.sqlite');
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist/bin/i2run.cjs'),
        'demo_copycell',
        '--HKLIN',
        MTZ,
        '--XYZIN',
        PDB,
        '--XYZOUT',
        'out $1.pdb',
        '--db',
        dbFile,
        '--executor',
        'slurm',
        '--slurm-time',
        '5',
      ],
      { cwd, encoding: 'utf8', env: { ...process.env, CCP4I2_SLURM_POLL_MS: '250' }, timeout: 100_000 },
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/status: Finished\nSLURM job: \d+/);
    expect(readFileSync(join(cwd, 'out $1.pdb'), 'utf8')).toMatch(/^CRYST1/m);
    const db = JobDatabase.open(dbFile);
    try {
      const [row] = db.jobs.list({ parentId: null });
      expect(row).toMatchObject({ executor: 'slurm', status: JobStatus.FINISHED, exitCode: 0 });
      expect(row!.directory.startsWith(cwd)).toBe(true);
      // SLURM ran the job in that very directory: its own output file is there under the job's id.
      expect(readdirSync(row!.directory)).toContain(`slurm-${row!.externalId}.out`);
      expect(readFileSync(join(row!.directory, 'slurm.status'), 'utf8')).toMatch(/exit=0/);
    } finally {
      db.close();
    }
  });
});
