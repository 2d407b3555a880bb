import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobDatabase, JobStatus } from '../../src/index.js';
import { tempDir, track } from '../db/helpers.js';
import { ROOT, runCli } from '../helpers/cli.js';

const HKLIN = join(ROOT, 'examples/merged_intensities_native.mtz');
const XYZIN = join(ROOT, 'examples/gamma_model.pdb');

/** `ccp4i2 ARGS --db FILE [--json]` in `cwd`; JSON parsed when asked for. */
function ccp4i2(cwd: string, db: string, args: string[], json = false) {
  const r = runCli('ccp4i2', [...args, '--db', db, ...(json ? ['--json'] : [])], { cwd });
  return { ...r, data: json && r.status === 0 ? JSON.parse(r.stdout) : undefined };
}

function i2run(cwd: string, db: string, extra: string[] = []) {
  return runCli('i2run', ['demo_copycell', '--HKLIN', HKLIN, '--db', db, ...extra], { cwd });
}

describe('ccp4i2 projects / jobs / files', () => {
  it('lists, shows, trees, logs, clones, reruns, reproduces and deletes jobs recorded by i2run', () => {
    const cwd = tempDir();
    const db = join(cwd, 'db.sqlite');
    expect(
      i2run(cwd, db, ['--XYZIN', XYZIN, '--XYZOUT', join(cwd, 'one.pdb'), '--project_name', 'p']).status,
    ).toBe(0);
    // job 2 reads job 1's output
    const two = i2run(cwd, db, ['--XYZIN', join(cwd, 'one.pdb'), '--project_name', 'p']);
    expect(two.status, two.stderr).toBe(0);

    const list = ccp4i2(cwd, db, ['jobs', 'list', '--project', 'p'], true);
    expect(list.status, list.stderr).toBe(0);
    expect(list.data.map((j: { number: string; statusName: string }) => [j.number, j.statusName])).toEqual([
      ['1', 'Finished'],
      ['2', 'Finished'],
    ]);
    expect(list.data[0].durationSeconds).toBeGreaterThanOrEqual(0);
    // text: a header and one line per job; inside the project directory --project is not needed
    const text = ccp4i2(join(cwd, 'i2run_projects/p'), db, ['jobs', 'list']);
    expect(text.stdout).toMatch(/^JOB\s+TASK\s+STATUS\s+STARTED\s+SECONDS\s+TITLE$/m);
    expect(text.stdout).toMatch(/^2\s+demo_copycell\s+Finished\s/m);
    expect(ccp4i2(cwd, db, ['jobs', 'list', '-p', 'p', '--status', 'failed'], true).data).toEqual([]);
    expect(ccp4i2(cwd, db, ['jobs', 'list', '-p', 'p', '--status', 'nonsense']).status).toBe(2);

    const show = ccp4i2(cwd, db, ['jobs', 'show', '2', '-p', 'p'], true).data;
    expect(show.subJobs.map((s: { number: string }) => s.number)).toEqual(['2.1', '2.2']);
    const xyzin = show.inputs.find((f: { paramName: string }) => f.paramName === 'XYZIN');
    expect(xyzin).toMatchObject({ path: join(cwd, 'one.pdb'), producedBy: '1.2' });
    expect(show.inputs.find((f: { paramName: string }) => f.paramName === 'HKLIN')).toMatchObject({
      producedBy: null,
      importedFrom: HKLIN,
    });
    expect(show.outputs.length).toBeGreaterThan(0);
    expect(ccp4i2(cwd, db, ['jobs', 'show', '2', '-p', 'p']).stdout).toMatch(
      /XYZIN: .*one\.pdb \(from job 1\.2\)/,
    );

    const tree = ccp4i2(cwd, db, ['jobs', 'tree', '-p', 'p']).stdout;
    expect(tree).toMatch(/^1 demo_copycell Finished\n {2}1\.1 \S+ Finished\n {2}1\.2 \S+ Finished$/m);

    const files = ccp4i2(cwd, db, ['files', 'list', '-p', 'p'], true).data;
    const one = files.find((f: { path: string }) => f.path === join(cwd, 'one.pdb'));
    expect(one).toMatchObject({ producedBy: '1.2', usedBy: ['2', '2.2'] });
    // one record: the pipeline's XYZOUT is its sub-job's file
    expect(files.filter((f: { path: string }) => f.path === one.path)).toHaveLength(1);
    expect(
      ccp4i2(cwd, db, ['files', 'list', '-p', 'p', '--job', '2'], true).data.length,
    ).toBeGreaterThanOrEqual(3);

    expect(ccp4i2(cwd, db, ['jobs', 'log', '1', '-p', 'p']).stdout).toMatch(/demo_copycell: route/);

    // reproduce job 2 with the printed i2run line (run as argv, never through a shell)
    const argv = ccp4i2(cwd, db, ['jobs', 'i2run-command', '2', '-p', 'p'], true).data as string[];
    expect(argv.slice(0, 2)).toEqual(['i2run', 'demo_copycell']);
    const again = runCli('i2run', [...argv.slice(1), '--db', db], { cwd });
    expect(again.status, again.stderr).toBe(0);

    // clone (Pending), then run it here
    const clone = ccp4i2(cwd, db, ['jobs', 'clone', '2', '-p', 'p'], true);
    expect(clone.data).toMatchObject({ number: '4', status: JobStatus.PENDING });
    const run = ccp4i2(cwd, db, ['jobs', 'run', '4', '-p', 'p']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^job 4 Finished$/m);
    expect(ccp4i2(cwd, db, ['jobs', 'run', '4', '-p', 'p']).status).toBe(3); // not Pending any more
    const rerun = ccp4i2(cwd, db, ['jobs', 'rerun', '1', '-p', 'p']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/^job 5 Finished$/m);

    // cancel of a finished job: exit 3, a clear message, nothing changes
    const before = ccp4i2(cwd, db, ['jobs', 'show', '1', '-p', 'p'], true).data.job;
    const cancel = ccp4i2(cwd, db, ['jobs', 'cancel', '1', '-p', 'p']);
    expect(cancel.status).toBe(3);
    expect(cancel.stderr).toMatch(/job 1 has already ended \(Finished\); nothing was changed/);
    expect(ccp4i2(cwd, db, ['jobs', 'show', '1', '-p', 'p'], true).data.job).toEqual(before);

    // delete: job 1's output was used by job 2 (and its reruns)
    const refused = ccp4i2(cwd, db, ['jobs', 'delete', '1', '-p', 'p']);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/later jobs used the outputs of job 1: 2, 3, 4/);
    expect(existsSync(join(cwd, 'i2run_projects/p/CCP4_JOBS/job_1'))).toBe(true);
    expect(ccp4i2(cwd, db, ['jobs', 'delete', '5', '-p', 'p'], true).data).toEqual({
      deleted: ['5', '5.1', '5.2'],
    });
    expect(existsSync(join(cwd, 'i2run_projects/p/CCP4_JOBS/job_5'))).toBe(false);
    expect(ccp4i2(cwd, db, ['jobs', 'delete', '1', '-p', 'p', '--force']).status).toBe(0);
    expect(ccp4i2(cwd, db, ['jobs', 'show', '1', '-p', 'p']).stderr).toMatch(
      /no job 1 in this project.*\[JobDatabase 8\]/,
    );
  }, 120_000);

  it('projects: create, list (a deleted directory listed as missing), show, delete', () => {
    const cwd = tempDir();
    const db = join(cwd, 'db.sqlite');
    expect(ccp4i2(cwd, db, ['projects', 'create', 'a']).status).toBe(0);
    expect(existsSync(join(cwd, 'a'))).toBe(true);
    expect(ccp4i2(cwd, db, ['projects', 'create', 'a']).stderr).toMatch(
      /project 'a' already exists.*\[JobDatabase 9\]/,
    );
    expect(ccp4i2(cwd, db, ['projects', 'create', 'b', '--directory', join(cwd, 'bdir')]).status).toBe(0);
    rmSync(join(cwd, 'bdir'), { recursive: true });
    const list = ccp4i2(cwd, db, ['projects', 'list'], true).data;
    expect(list.map((p: { name: string; missing: boolean }) => [p.name, p.missing])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(ccp4i2(cwd, db, ['projects', 'list']).stdout).toMatch(/bdir \(missing\)/);
    const show = ccp4i2(cwd, db, ['jobs', 'list', '-p', 'b']);
    expect(show.status).toBe(0);
    expect(show.stderr).toMatch(/directory of project b is missing/);
    expect(ccp4i2(cwd, db, ['projects', 'show', 'a'], true).data).toMatchObject({ name: 'a', jobs: 0 });
    expect(ccp4i2(cwd, db, ['projects', 'delete', 'a']).status).toBe(0);
    expect(existsSync(join(cwd, 'a'))).toBe(true);
    expect(ccp4i2(cwd, db, ['projects', 'show', 'a']).status).toBe(2);
    // which project? more than one and none holds the current directory
    expect(ccp4i2(cwd, db, ['projects', 'create', 'c']).status).toBe(0);
    expect(ccp4i2(cwd, db, ['jobs', 'list']).stderr).toMatch(/which project\? give --project NAME/);
  });

  it('bad database files: not SQLite, newer schema; a coded error naming the file, exit 2', () => {
    const cwd = tempDir();
    const r = ccp4i2(cwd, join(ROOT, 'package.json'), ['jobs', 'list']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/package\.json.*\[JobDatabase 1\]|\[JobDatabase 1\].*package\.json/s);
    const db = join(cwd, 'new.sqlite');
    track(JobDatabase.open(db)).close();
    expect(spawnSync('sqlite3', [db, 'PRAGMA user_version = 99']).status).toBe(0);
    const n = ccp4i2(cwd, db, ['projects', 'list']);
    expect(n.status).toBe(2);
    expect(n.stderr).toMatch(/schema version 99.*\[JobDatabase 4\]/);
  });
});
