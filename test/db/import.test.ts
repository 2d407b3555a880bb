import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const HKLIN = join(ROOT, 'examples/merged_intensities_native.mtz');

describe('ccp4i2 projects import DIR', () => {
  it('restores the jobs, sub-jobs, files and provenance of a project whose database was deleted', () => {
    const cwd = tempDir();
    const db = join(cwd, 'db.sqlite');
    const model = join(cwd, 'model.pdb');
    copyFileSync(join(ROOT, 'examples/gamma_model.pdb'), model);
    const i2run = (...a: string[]) =>
      runCli('i2run', ['demo_copycell', '--HKLIN', HKLIN, '--project_name', 'p', '--db', db, ...a], { cwd });
    expect(i2run('--XYZIN', model, '--XYZOUT', join(cwd, 'one.pdb')).status).toBe(0);
    expect(i2run('--XYZIN', join(cwd, 'one.pdb')).status).toBe(0);
    // a job that failed: its input is not a coordinate file
    expect(i2run('--XYZIN', HKLIN).status).toBe(1);
    const json = (args: string[], file = db) => {
      const r = runCli('ccp4i2', [...args, '--db', file, '--json'], { cwd });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const strip = (jobs: { number: string; taskName: string; statusName: string }[]) =>
      jobs.map((j) => `${j.number} ${j.taskName} ${j.statusName}`);
    const before = strip(json(['jobs', 'list', '--all', '-p', 'p']));
    const filesBefore = json(['files', 'list', '-p', 'p']).map(
      (f: { path: string; producedBy: string | null; usedBy: string[] }) => [f.path, f.producedBy, f.usedBy],
    );

    rmSync(db);
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
    const project = join(cwd, 'i2run_projects/p');
    const r = json(['projects', 'import', project]);
    expect(r.imported.length).toBe(before.length);
    expect(r.skipped).toEqual([]);
    expect(strip(json(['jobs', 'list', '--all', '-p', 'p']))).toEqual(before);
    const filesAfter = json(['files', 'list', '-p', 'p']).map(
      (f: { path: string; producedBy: string | null; usedBy: string[] }) => [f.path, f.producedBy, f.usedBy],
    );
    expect(filesAfter.sort()).toEqual(filesBefore.sort());
    // numbering goes on after the imported jobs; importing again adds nothing
    expect(i2run('--XYZIN', model).status).toBe(0);
    expect(json(['jobs', 'list', '-p', 'p']).map((j: { number: string }) => j.number)).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    expect(json(['projects', 'import', project]).imported).toEqual([]);
  }, 120_000);

  it('a directory that is not a project: a coded error, nothing recorded', () => {
    const cwd = tempDir();
    const r = runCli('ccp4i2', ['projects', 'import', cwd, '--db', join(cwd, 'db.sqlite')], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not a CCP4i2 project directory \(no CCP4_JOBS\).*\[JobDatabase 11\]/);
  });
});
