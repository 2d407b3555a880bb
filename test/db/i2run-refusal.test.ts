import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobDatabase, JobStatus } from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';
import { spawnI2run, tempDir, track } from './helpers.js';

// An i2run that refuses its parameters (here: demo_copycell with no inputs) leaves nothing behind: no job
// directory or row, and no project folders or row when it made them — also when other i2runs are
// creating and using the same project at the same moment (they keep theirs, numbered without clashes).

const HKLIN = join(ROOT, 'examples/merged_intensities_native.mtz');
const XYZIN = join(ROOT, 'examples/gamma_model.pdb');

const i2run = (cwd: string, db: string, extra: string[]) => spawnI2run(cwd, db, ['demo_copycell', ...extra]);

const VALID = ['--HKLIN', HKLIN, '--XYZIN', XYZIN];

describe('i2run refusing its parameters', () => {
  it('leaves no project folder and no project row', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    const r = await i2run(cwd, file, []);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/invalid parameters/);
    // the database (and its WAL files) only: no i2run_projects
    expect(readdirSync(cwd).filter((f) => !f.startsWith('db.sqlite'))).toEqual([]);
    const db = track(JobDatabase.open(file));
    expect(db.projects.list()).toEqual([]);
    expect(db.jobs.list({})).toEqual([]);
  });

  it('leaves a --project_path it did not make, emptied of what it made', async () => {
    const cwd = tempDir();
    const project = join(cwd, 'mine');
    mkdirSync(project);
    const file = join(cwd, 'db.sqlite');
    expect((await i2run(cwd, file, ['--project_path', project])).code).toBe(1);
    expect(readdirSync(project)).toEqual([]);
    expect(track(JobDatabase.open(file)).projects.list()).toEqual([]);
  });

  it('into a project that has jobs: only its own job goes', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    expect((await i2run(cwd, file, ['--project_name', 'p', ...VALID])).code).toBe(0);
    expect((await i2run(cwd, file, ['--project_name', 'p'])).code).toBe(1);
    const db = track(JobDatabase.open(file));
    const p = db.projects.require('p');
    expect(db.jobs.list({ projectId: p.id, parentId: null }).map((j) => j.number)).toEqual(['1']);
    expect(readdirSync(join(p.directory, 'CCP4_JOBS'))).toEqual(['job_1']);
  });

  it('race-safe: refusals and runs at once into one new project', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    const kinds = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 'refused' : 'valid'));
    const runs = await Promise.all(
      kinds.map((k) => i2run(cwd, file, ['--project_name', 'many', ...(k === 'valid' ? VALID : [])])),
    );
    runs.forEach((r, i) => {
      expect(r.code, r.out).toBe(kinds[i] === 'valid' ? 0 : 1);
    });
    const db = track(JobDatabase.open(file));
    expect(db.projects.list().map((p) => p.name)).toEqual(['many']);
    const project = db.projects.require('many');
    const jobs = db.jobs.list({ projectId: project.id, parentId: null });
    expect(jobs.length).toBe(8);
    expect(new Set(jobs.map((j) => j.number)).size).toBe(8);
    for (const j of jobs) {
      expect(j.status).toBe(JobStatus.FINISHED);
      expect(existsSync(join(j.directory, 'params.xml'))).toBe(true);
    }
    // The refused ones' directories are gone; every directory left is a recorded job's.
    expect(readdirSync(join(project.directory, 'CCP4_JOBS')).sort()).toEqual(
      jobs.map((j) => `job_${j.number}`).sort(),
    );
    expect(db.integrityCheck()).toBe('ok');
  }, 120_000);

  it('race-safe: refusals all at once leave no job; the project only when one started after another made it', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => i2run(cwd, file, ['--project_name', 'none'])),
    );
    for (const r of runs) expect(r.code, r.out).toBe(1);
    const db = track(JobDatabase.open(file));
    expect(db.jobs.list({})).toEqual([]);
    // The last one out removes the project when it was made after that one started (the usual case);
    // one whose process started later than a sibling's registration sees an older project and keeps it.
    expect(db.projects.list().length).toBeLessThanOrEqual(1);
    const jobs = join(cwd, 'i2run_projects/none/CCP4_JOBS');
    if (existsSync(jobs)) expect(readdirSync(jobs)).toEqual([]);
    else expect(db.projects.list()).toEqual([]);
  }, 120_000);
});
