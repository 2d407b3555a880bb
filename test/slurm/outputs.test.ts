import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskDir } from '../cli/i2run-tasks.js';
import { MTZ, PDB, tempDir } from '../db/helpers.js';
import { runCli } from '../helpers/cli.js';
import { normal } from './compare.js';
import { holdSlurm, slurmUp } from './helpers.js';

// What a SLURM job produced is recorded by its coordinator from the job directory (the node has no
// database): the CLI's views of a job run through SLURM are those of the same job run locally, but for
// times, ids and where it ran.

const up = slurmUp();
let taskDir: string;
beforeAll(() => {
  taskDir = makeTaskDir();
});
const env = () => ({ ...process.env, CCP4I2_TASK_PATH: taskDir, CCP4I2_SLURM_POLL_MS: '250' });

function run(bin: 'ccp4i2' | 'i2run', cwd: string, args: string[]) {
  const r = runCli(bin, args, { cwd, env: env() });
  return r;
}

/** JSON of `ccp4i2 ARGS --json`, failing the test on a non-zero exit. */
function json(cwd: string, db: string, args: string[]): unknown {
  const r = run('ccp4i2', cwd, [...args, '--db', db, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.runIf(up)('what a SLURM job produced, recorded by its coordinator', () => {
  let release = () => {};
  beforeAll(async () => {
    release = await holdSlurm();
  }, 900_000);
  afterAll(() => release());

  it('demo_copycell (2 sub-jobs) through SLURM: jobs show, tree, files list and report as for the local run', {
    timeout: 120_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm outputs ');
    const db = join(cwd, 'db.sqlite');
    const i2run = (...extra: string[]) =>
      run('i2run', cwd, ['demo_copycell', '--HKLIN', MTZ, '--XYZIN', PDB, '--db', db, ...extra]);
    const local = i2run();
    expect(local.status, local.stderr).toBe(0);
    const slurm = i2run('--executor', 'slurm');
    expect(slurm.status, slurm.stderr).toBe(0);

    const show = (n: string) => normal(json(cwd, db, ['jobs', 'show', n]), n, n === '1' ? '2' : '1');
    const a = show('1') as { subJobs: unknown[]; outputs: unknown[] };
    expect(a.subJobs.length).toBe(2);
    expect(a.outputs.length).toBeGreaterThan(0);
    expect(show('2')).toEqual(a);
    const text = run('ccp4i2', cwd, ['jobs', 'show', '2', '--db', db]).stdout;
    expect(text).toMatch(/^runner: SLURM job \d+ \(submitted from \S+\)$/m);
    expect(text).toMatch(/^sub-jobs:\n {2}2\.1 \S+ Finished\n {2}2\.2 \S+ Finished$/m);

    const tree = json(cwd, db, ['jobs', 'tree']) as unknown[];
    expect(tree.length).toBe(2);
    expect(normal(tree[1], '2', '1')).toEqual(normal(tree[0], '1', '2'));

    // each file of job 1 (and its sub-jobs) has its twin, with the same content, made by job 2
    const files = json(cwd, db, ['files', 'list']) as { producedBy: string | null }[];
    const of = (n: string) =>
      files
        .filter((f) => f.producedBy === n || f.producedBy?.startsWith(`${n}.`))
        .map((f) => normal(f, n, n === '1' ? '2' : '1'));
    expect(of('1').length).toBeGreaterThan(0);
    expect(of('2')).toEqual(of('1'));

    const report = (n: string) => normal(json(cwd, db, ['report', '--job', n]), n, n === '1' ? '2' : '1');
    expect(report('2')).toEqual(report('1'));
  });

  it('a failed SLURM job records its diagnostic (diagnostic.xml) as a local one does', {
    timeout: 120_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm outputs ');
    const db = join(cwd, 'db.sqlite');
    const local = run('i2run', cwd, ['falsetask', '--db', db]);
    expect(local.status).toBe(1);
    const slurm = run('i2run', cwd, ['falsetask', '--db', db, '--executor', 'slurm']);
    expect(slurm.status).toBe(1);
    const diag = (n: string) =>
      (json(cwd, db, ['jobs', 'show', n]) as { job: { diagnostic: string } }).job.diagnostic;
    const mine = diag('1');
    expect(mine).toMatch(/\S/);
    // the job's own errors first (job_1 → job_2), then SLURM's account
    expect(diag('2')).toMatch(/ended Failed on .*: see diagnostic\.xml/);
    expect(diag('2').startsWith(mine.replaceAll('job_1', 'job_2'))).toBe(true);
  });
});
