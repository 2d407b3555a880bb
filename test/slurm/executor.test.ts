import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CData,
  CPluginScript,
  type JobDatabase,
  type JobRecord,
  JobService,
  JobStatus,
  type ProjectRecord,
} from '../../src/index.js';
import { SlurmExecutor } from '../../src/jobs/executors/slurm.js';
import { makeTaskDir } from '../cli/i2run-tasks.js';
import { MTZ, PDB, tempDb, tempDir } from '../db/helpers.js';
import { holdSlurm, sleepers, slurmUp, testTaskNames, waitFor } from './helpers.js';

// The slurm executor through the job service, against the real controller: the node runs
// `ccp4i2 run-prepared` (the built dist/), only this process (the coordinator) writes the database.

const up = slurmUp();
const ROOT = resolve(__dirname, '../..');
const NODE_COMMAND = [process.execPath, join(ROOT, 'dist/bin/ccp4i2.cjs')];

let taskDir: string;
beforeAll(() => {
  taskDir = makeTaskDir();
});

const registry = () => testTaskNames(['sleeper', 'slowcat', 'unsat', 'falsetask']);

function setup(): {
  db: JobDatabase;
  project: ProjectRecord;
  service: JobService;
  executor: SlurmExecutor;
} {
  const dir = tempDir('ccp4i2 slurm exec ');
  const db = tempDb(dir);
  const project = db.projects.create('p', join(dir, 'my project'));
  mkdirSync(project.directory);
  const executor = new SlurmExecutor({
    nodeCommand: NODE_COMMAND,
    env: { ...process.env, CCP4I2_TASK_PATH: taskDir },
    statusGraceMs: 3000,
  });
  const service = new JobService({ db, registry: registry(), executors: [executor] });
  return { db, project, service, executor };
}

async function start(s: ReturnType<typeof setup>, taskName: string, opts?: Record<string, unknown>) {
  const job = s.service.createJob({ project: s.project, taskName });
  return s.service.start(job, 'slurm', opts);
}

/** Refreshes (one squeue per call) until `cond` holds for the job's row. */
async function until(s: ReturnType<typeof setup>, job: JobRecord, cond: (r: JobRecord) => boolean) {
  const end = Date.now() + 60_000;
  for (;;) {
    await s.service.refresh();
    const row = s.db.jobs.get(job.id)!;
    if (cond(row)) return row;
    if (Date.now() > end) throw new Error(`job ${job.number} stayed ${row.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe.runIf(up)('slurm executor', () => {
  const made: SlurmExecutor[] = [];
  let release = () => {};
  beforeAll(async () => {
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => {
    for (const e of made) e.close();
    release();
  });

  it('demo_copycell through SLURM: Queued → Running → Finished, the same output file as locally', {
    timeout: 120_000,
  }, async () => {
    const s = setup();
    made.push(s.executor);
    const configure = (p: CPluginScript) => {
      (p.inputData.find('HKLIN') as CData).set(MTZ);
      (p.inputData.find('XYZIN') as CData).set(PDB);
    };
    const local = s.service.createJob({ project: s.project, taskName: 'demo_copycell', configure });
    const ran = await s.service.run(local, { heartbeatMs: 0 });
    expect(ran.status, ran.plugin.errorReport.entries.map((e) => e.description).join('; ')).toBe(
      CPluginScript.SUCCEEDED,
    );

    const job = s.service.createJob({ project: s.project, taskName: 'demo_copycell', configure });
    const queued = await s.service.start(job, 'slurm');
    expect(queued).toMatchObject({ status: JobStatus.QUEUED, executor: 'slurm' });
    expect(queued.externalId).toMatch(/^\d+$/);
    const seen: number[] = [];
    const done = await s.service.waitFor(queued, {
      intervalMs: 250,
      onChange: (r) => seen.push(r.status),
    });
    expect(done.status, done.diagnostic ?? '').toBe(JobStatus.FINISHED);
    expect(seen.at(-1)).toBe(JobStatus.FINISHED);
    expect(done.started).not.toBeNull();
    expect(done.exitCode).toBe(0);
    const pdb = (j: JobRecord) => readdirSync(j.directory).filter((f) => f.endsWith('.pdb'));
    expect(pdb(done)).toEqual(pdb(local));
    expect(pdb(done).length).toBe(1);
    expect(readFileSync(join(done.directory, pdb(done)[0]!))).toEqual(
      readFileSync(join(local.directory, pdb(local)[0]!)),
    );
    // the node wrote the job's files, the coordinator the database
    expect(readFileSync(join(done.directory, 'slurm.status'), 'utf8')).toMatch(/exit=0/);
    expect(readdirSync(done.directory)).toContain('log.txt');
  });

  it('i2run --executor slurm: the same output file as a local i2run; the database says so', {
    timeout: 120_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm i2run ');
    const dbFile = join(cwd, 'db.sqlite');
    const i2run = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [
          join(ROOT, 'dist/bin/i2run.cjs'),
          'demo_copycell',
          '--HKLIN',
          MTZ,
          '--XYZIN',
          PDB,
          '--db',
          dbFile,
          ...extra,
        ],
        { cwd, encoding: 'utf8', env: { ...process.env, CCP4I2_SLURM_POLL_MS: '250' }, timeout: 100_000 },
      );
    const local = i2run('--XYZOUT', 'local.pdb');
    expect(local.status, local.stderr).toBe(0);
    const viaSlurm = i2run('--XYZOUT', 'slurm.pdb', '--executor', 'slurm', '--slurm-time', '5');
    expect(viaSlurm.status, viaSlurm.stderr).toBe(0);
    expect(viaSlurm.stderr).toMatch(/submitted to SLURM as job \d+/);
    expect(viaSlurm.stdout).toMatch(/status: Finished\nSLURM job: \d+/);
    expect(viaSlurm.stdout).toContain(join(cwd, 'slurm.pdb'));
    expect(readFileSync(join(cwd, 'slurm.pdb'))).toEqual(readFileSync(join(cwd, 'local.pdb')));
    const { JobDatabase } = await import('../../src/db/index.js');
    const db = JobDatabase.open(dbFile);
    try {
      const rows = db.jobs.list({ parentId: null });
      expect(rows.map((r) => [r.number, r.executor, r.status])).toEqual([
        ['1', 'local', JobStatus.FINISHED],
        ['2', 'slurm', JobStatus.FINISHED],
      ]);
      expect(rows[1]!.externalId).toMatch(/^\d+$/);
    } finally {
      db.close();
    }
    const bad = i2run('--XYZOUT', 'bad.pdb', '--executor', 'slurm', '--slurm-partition', 'nosuchpartition');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/SLURM rejected the job: .*Invalid partition.*\[SlurmClient 103\]/i);
  });

  it('the job’s own status comes back: Unsatisfactory, Failed', { timeout: 120_000 }, async () => {
    const s = setup();
    made.push(s.executor);
    const unsat = await start(s, 'unsat');
    const failed = await start(s, 'falsetask');
    const [a, b] = await Promise.all([
      s.service.waitFor(unsat, { intervalMs: 250 }),
      s.service.waitFor(failed, { intervalMs: 250 }),
    ]);
    expect(a.status).toBe(JobStatus.UNSATISFACTORY);
    expect(b.status).toBe(JobStatus.FAILED);
    expect(b.exitCode).toBe(11);
    expect(b.diagnostic).toMatch(/ended Failed on .*diagnostic\.xml/);
  });

  it('jobs cancel: scancel, Interrupted, the programs on the node stopped', {
    timeout: 120_000,
  }, async () => {
    const s = setup();
    made.push(s.executor);
    const job = await start(s, 'sleeper');
    const running = await until(s, job, (r) => r.status === JobStatus.RUNNING);
    await waitFor(() => sleepers() > 0, 30_000, 'the sleeper to start');
    const after = await s.service.cancel(running);
    expect(after.status).toBe(JobStatus.INTERRUPTED);
    await waitFor(() => sleepers() === 0, 30_000, 'the programs to stop');
    await waitFor(
      () => /received=TERM/.test(readFileSync(join(job.directory, 'slurm.status'), 'utf8')),
      30_000,
      'the node to record the end',
    );
    // later polls leave it as it is
    await s.service.refresh();
    expect(s.db.jobs.get(job.id)!.status).toBe(JobStatus.INTERRUPTED);
  });

  it('cancelled outside (scancel): Interrupted, saying so', { timeout: 120_000 }, async () => {
    const s = setup();
    made.push(s.executor);
    const job = await start(s, 'sleeper');
    const running = await until(s, job, (r) => r.status === JobStatus.RUNNING);
    expect(spawnSync('scancel', [running.externalId!]).status).toBe(0);
    const done = await until(s, job, (r) => r.status !== JobStatus.RUNNING);
    expect(done.status).toBe(JobStatus.INTERRUPTED);
    expect(done.diagnostic).toMatch(/cancelled outside ccp4i2 .*\[SlurmClient 109\]/);
  });

  it('a coordinator restarted mid-job re-attaches from the database; recovery never judges by its pid', {
    timeout: 120_000,
  }, async () => {
    const s = setup();
    made.push(s.executor);
    const job = await start(s, 'slowcat');
    await until(s, job, (r) => r.status === JobStatus.RUNNING);
    s.executor.close(); // the coordinator is gone
    // A new coordinator: another executor and service on the same database file.
    const executor = new SlurmExecutor({ nodeCommand: NODE_COMMAND, statusGraceMs: 3000 });
    made.push(executor);
    const again = new JobService({ db: s.db, registry: registry(), executors: [executor] });
    expect(await again.reconcile()).toEqual([]);
    expect(s.db.jobs.get(job.id)!.status).not.toBe(JobStatus.FAILED);
    const done = await again.waitFor(s.db.jobs.get(job.id)!, { intervalMs: 250 });
    expect(done.status).toBe(JobStatus.FINISHED);
    expect(readFileSync(join(done.directory, 'log.txt'), 'utf8')).toContain('line 3');
  });

  it('rejected by SLURM: Failed with SLURM’s message; nothing left Queued', async () => {
    const s = setup();
    made.push(s.executor);
    const job = s.service.createJob({ project: s.project, taskName: 'slowcat' });
    await expect(s.service.start(job, 'slurm', { partition: 'nosuchpartition' })).rejects.toMatchObject({
      className: 'SlurmClient',
      code: 103,
    });
    const row = s.db.jobs.get(job.id)!;
    expect(row.status).toBe(JobStatus.FAILED);
    expect(row.externalId).toBeNull();
    expect(row.diagnostic).toMatch(/slurm could not start the job: .*Invalid partition/i);
  });

  it('the time limit: Failed with the timeout code', { timeout: 200_000 }, async () => {
    const s = setup();
    made.push(s.executor);
    const job = await start(s, 'sleeper', { timeLimit: 1 });
    const done = await s.service.waitFor(job, { intervalMs: 1000 });
    expect(done.status).toBe(JobStatus.FAILED);
    expect(done.diagnostic).toMatch(/time limit \[SlurmClient 108\]/);
    await waitFor(() => sleepers() === 0, 30_000, 'the programs to stop');
  });
});
