import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobDatabase, JobStatus } from '../../src/index.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { spawnI2run, tempDir, track } from './helpers.js';

const HKLIN = join(ROOT, 'examples/merged_intensities_native.mtz');
const XYZIN = join(ROOT, 'examples/gamma_model.pdb');

/** i2run demo_copycell on the example files as a real process: its exit code and output. */
const i2run = (cwd: string, db: string, extra: string[] = []) =>
  spawnI2run(cwd, db, ['demo_copycell', '--HKLIN', HKLIN, '--XYZIN', XYZIN, ...extra]);

describe('i2run registers its project and jobs', () => {
  it('20 i2runs started at once into one project get 20 distinct numbers, none lost', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    const runs = await Promise.all(
      Array.from({ length: 20 }, () => i2run(cwd, file, ['--project_name', 'many'])),
    );
    for (const r of runs) expect(r.code, r.out).toBe(0);
    const db = track(JobDatabase.open(file));
    const project = db.projects.require('many');
    expect(project.directory).toBe(join(cwd, 'i2run_projects/many'));
    const jobs = db.jobs.list({ projectId: project.id, parentId: null });
    expect(jobs.map((j) => Number(j.number)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    for (const j of jobs) {
      expect(j.status).toBe(JobStatus.FINISHED);
      expect(j.directory).toBe(join(project.directory, 'CCP4_JOBS', `job_${j.number}`));
      expect(existsSync(join(j.directory, 'params.xml'))).toBe(true);
      // its inputs (imported) and its output, with their uses
      const uses = db.files.uses({ jobId: j.id });
      expect(
        uses
          .filter((u) => u.role === 'in')
          .map((u) => u.paramName)
          .sort(),
      ).toEqual(['HKLIN', 'XYZIN']);
      expect(uses.filter((u) => u.role === 'out').length).toBeGreaterThan(0);
    }
    expect(readdirSync(join(project.directory, 'CCP4_JOBS')).length).toBe(20);
    expect(db.projects.require('many').lastJobNumber).toBe(20);
    expect(db.integrityCheck()).toBe('ok');
  }, 120_000);

  it('a known --project_name is used where it is; a name held by another directory gets a suffix', async () => {
    const a = tempDir();
    const b = tempDir();
    const file = join(a, 'db.sqlite');
    expect((await i2run(a, file, ['--project_name', 'p'])).code).toBe(0);
    // same name from another folder: CCP4i2's i2run uses the project the database knows
    expect((await i2run(b, file, ['--project_name', 'p'])).code).toBe(0);
    expect(existsSync(join(b, 'i2run_projects'))).toBe(false);
    // no name: the task's name, taken by nobody yet, then by another folder's project
    expect((await i2run(a, file)).code).toBe(0);
    expect((await i2run(b, file)).code).toBe(0);
    const db = track(JobDatabase.open(file));
    const p = db.projects.require('p');
    expect(db.jobs.list({ projectId: p.id }).map((j) => j.number)).toEqual([
      '1',
      '1.1',
      '1.2',
      '2',
      '2.1',
      '2.2',
    ]);
    expect(db.projects.require('demo_copycell').directory).toBe(join(a, 'i2run_projects/demo_copycell'));
    expect(db.projects.require('demo_copycell_2').directory).toBe(join(b, 'i2run_projects/demo_copycell'));
  }, 60_000);

  it('invalid parameters leave no job, neither directory nor row, and no project it made', () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    const r = runCli('i2run', ['demo_copycell', '--HKLIN', join(cwd, 'missing.mtz'), '--db', file], { cwd });
    expect(r.status).toBe(1);
    const db = track(JobDatabase.open(file));
    expect(db.jobs.list()).toEqual([]);
    expect(db.projects.list()).toEqual([]);
    expect(existsSync(join(cwd, 'i2run_projects'))).toBe(false);
  });

  it('a database file that is not SQLite: a coded error naming it, exit 2, the file untouched', () => {
    const cwd = tempDir();
    const r = runCli('i2run', ['demo_copycell', '--db', join(ROOT, 'README.md')], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/README\.md.*\[JobDatabase 1\]|\[JobDatabase 1\].*README\.md/s);
  });
});
