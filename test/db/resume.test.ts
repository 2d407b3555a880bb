import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobDatabase, type JobRecord, JobStatus } from '../../src/index.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir, track } from './helpers.js';

const HKLIN = join(ROOT, 'examples/merged_intensities_native.mtz');

describe('resume by cache key', () => {
  it('reruns exactly the steps whose inputs changed; the others reuse earlier outputs', () => {
    const cwd = tempDir();
    const file = join(cwd, 'db.sqlite');
    const xyzin = join(cwd, 'model.pdb');
    copyFileSync(join(ROOT, 'examples/gamma_model.pdb'), xyzin);
    const i2run = (...extra: string[]) => {
      const r = runCli(
        'i2run',
        ['demo_copycell', '--HKLIN', HKLIN, '--XYZIN', xyzin, '--project_name', 'r', '--db', file, ...extra],
        { cwd },
      );
      expect(r.status, r.stderr).toBe(0);
    };
    const open = () => track(JobDatabase.open(file));
    /** Steps (sub-jobs) of job N that ran their program, and those that reused another job's outputs. */
    const steps = (db: JobDatabase, n: string) => {
      const job = db.jobs.find(db.projects.require('r').id, n)!;
      const subs = db.jobs.list({ parentId: job.id });
      const number = (j: JobRecord) => db.jobs.get(j.reusedFrom!)!.number;
      return {
        job,
        ran: subs.filter((s) => s.reusedFrom === null).map((s) => s.taskName),
        reused: subs.filter((s) => s.reusedFrom !== null).map((s) => `${s.taskName}<-${number(s)}`),
      };
    };

    i2run();
    let db = open();
    expect(steps(db, '1').ran).toEqual(['gemmi_cell', 'cell_writer']);

    // nothing changed: the whole pipeline is reused, no step runs
    i2run('--resume');
    const two = steps(db, '2');
    expect(two.job.status).toBe(JobStatus.FINISHED);
    expect(db.jobs.get(two.job.reusedFrom!)!.number).toBe('1');
    expect(two.ran).toEqual([]);
    expect(two.reused).toEqual([]);

    // the model changed: the pipeline and its cell_writer step run again; gemmi_cell (HKLIN only) is reused
    appendFileSync(xyzin, 'REMARK   changed\n');
    i2run('--resume');
    const three = steps(db, '3');
    expect(three.job.reusedFrom).toBeNull();
    expect(three.ran).toEqual(['cell_writer']);
    expect(three.reused).toEqual(['gemmi_cell<-1.1']);
    // and its output is right: the cell read by the reused step is in the new file
    const out = db.files
      .uses({ jobId: three.job.id })
      .find((u) => u.role === 'out' && u.paramName === 'XYZOUT');
    const cryst1 = readFileSync(db.files.get(out!.fileId)!.path, 'latin1')
      .split('\n')
      .find((l) => l.startsWith('CRYST1'));
    expect(cryst1?.slice(6, 54)).toBe('   34.089   54.816   68.011  90.00  90.00  90.00');

    // without --resume everything runs
    i2run();
    expect(steps(db, '4').ran).toEqual(['gemmi_cell', 'cell_writer']);

    // jobs rerun --resume: job 3's inputs again, all reused
    const rerun = runCli('ccp4i2', ['jobs', 'rerun', '3', '--resume', '-p', 'r', '--db', file], { cwd });
    expect(rerun.status, rerun.stderr).toBe(0);
    db.close();
    db = open();
    const five = steps(db, '5');
    expect(five.job.status).toBe(JobStatus.FINISHED);
    expect(five.job.reusedFrom).not.toBeNull();
    expect(five.ran).toEqual([]);
    expect(db.integrityCheck()).toBe('ok');
  }, 120_000);
});
