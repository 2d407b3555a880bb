import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../db/helpers.js';
import { ROOT, runCli } from '../helpers/cli.js';

// `ccp4i2 jobs key N`: why --resume reused a job or not. Real i2runs of demo_copycell; the model changes
// between them, so the pipeline and its cell_writer step run again while gemmi_cell (HKLIN only) is reused.

const HKLIN = join(ROOT, 'examples/merged_intensities_native.mtz');
const sha = (file: string) => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;

describe('ccp4i2 jobs key', () => {
  it('names the values that differ from the latest Finished job of the task, inputs as recorded when they ran', () => {
    const cwd = tempDir();
    const db = join(cwd, 'db.sqlite');
    const model = join(cwd, 'model.pdb');
    copyFileSync(join(ROOT, 'examples/gamma_model.pdb'), model);
    const i2run = (...extra: string[]) => {
      const r = runCli(
        'i2run',
        ['demo_copycell', '--HKLIN', HKLIN, '--XYZIN', model, '--project_name', 'k', '--db', db, ...extra],
        { cwd },
      );
      expect(r.status, r.stderr).toBe(0);
    };
    const key = (...args: string[]) => {
      const r = runCli('ccp4i2', ['jobs', 'key', ...args, '-p', 'k', '--db', db], { cwd });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    i2run();
    const before = sha(model);
    appendFileSync(model, 'REMARK   changed\n');
    const after = sha(model);
    i2run('--resume');

    const two = JSON.parse(key('2', '--json'));
    expect(two.key).toBe(two.recordedKey);
    expect(two.against).toMatchObject({ job: '1', status: 'Finished', sameKey: false });
    expect(two.against.differences).toEqual([
      { path: 'params.inputData.XYZIN.checksum', job: after, against: before },
    ]);
    // Job 1 by the checksum recorded when it ran, not by the model file as it is now.
    const one = JSON.parse(key('1', '--against', '2', '--json'));
    expect(one.key).toBe(one.recordedKey);
    expect(one.material.params.inputData.XYZIN.checksum).toBe(before);

    const text = key('2.1');
    expect(text).toContain('job 2.1 (gemmi_cell)');
    expect(text).toContain('it reused the results of job 1.1 (--resume)');
    expect(text).toContain('the same key as job 1.1 (gemmi_cell, Finished)');
    expect(key('2.2')).toContain(
      `against job 1.2 (cell_writer, Finished): 1 difference(s)\n    params.inputData.XYZIN.checksum: "${after}" here, "${before}" there`,
    );
  });

  it("a job that reused another's results keeps its own inputs: its key stands when the other's files go", () => {
    const cwd = tempDir();
    const db = join(cwd, 'db.sqlite');
    const [a, b] = [join(cwd, 'a.mtz'), join(cwd, 'b.mtz')];
    copyFileSync(HKLIN, a);
    copyFileSync(HKLIN, b);
    const model = join(ROOT, 'examples/gamma_model.pdb');
    for (const [hklin, extra] of [
      [a, []],
      [b, ['--resume']],
    ] as const) {
      const r = runCli(
        'i2run',
        ['demo_copycell', '--HKLIN', hklin, '--XYZIN', model, '--project_name', 'k', '--db', db, ...extra],
        { cwd },
      );
      expect(r.status, r.stderr).toBe(0);
    }
    rmSync(a);
    const r = runCli('ccp4i2', ['jobs', 'key', '2', '--json', '-p', 'k', '--db', db], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const two = JSON.parse(r.stdout);
    expect(two.reusedFrom).toBe('1');
    expect(two.key).toBe(two.recordedKey);
    expect(two.against).toMatchObject({ job: '1', sameKey: true, differences: [] });
  });

  it('an unknown job to compare with is a coded error naming it', () => {
    const cwd = tempDir();
    const db = join(cwd, 'db.sqlite');
    const r0 = runCli(
      'i2run',
      [
        'demo_copycell',
        '--HKLIN',
        HKLIN,
        '--XYZIN',
        join(ROOT, 'examples/gamma_model.pdb'),
        '--project_name',
        'k',
        '--db',
        db,
      ],
      { cwd },
    );
    expect(r0.status, r0.stderr).toBe(0);
    const r = runCli('ccp4i2', ['jobs', 'key', '1', '--against', '7', '-p', 'k', '--db', db], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/job 7.*\[JobDatabase 8\]/);
    const alone = runCli('ccp4i2', ['jobs', 'key', '1', '-p', 'k', '--db', db], { cwd });
    expect(alone.stdout).toContain('no other Finished demo_copycell job in the project to compare with');
  });
});
