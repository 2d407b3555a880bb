import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDefaults, setRunDefaults } from '../../src/index.js';
import { tempDb, tempDir } from '../db/helpers.js';
import { runCli } from '../helpers/cli.js';

// A project's run defaults (executor, SLURM options) kept in the database; no SLURM needed here (the
// checks are the SLURM client's own option checks). Their use by i2run and the job service against the
// real SLURM: test/slurm/defaults.test.ts.
describe('project run defaults', () => {
  it('are stored per project, checked as a submission is, changed and removed', () => {
    const db = tempDb();
    const p = db.projects.create('p', join(tempDir(), 'p'));
    const q = db.projects.create('q', join(tempDir(), 'q'));
    expect(runDefaults(db, p.id)).toEqual({ slurm: {} });
    const d = setRunDefaults(db, p.id, {
      executor: 'slurm',
      slurm: { partition: 'short', timeLimit: 30, memory: '4G', cpus: 2, extraArgs: ['--qos=high'] },
    });
    expect(d).toEqual({
      executor: 'slurm',
      slurm: { partition: 'short', timeLimit: 30, memory: '4G', cpus: 2, extraArgs: ['--qos=high'] },
    });
    expect(runDefaults(db, q.id)).toEqual({ slurm: {} });

    // a bad value: the SLURM client's code naming the option, and nothing written (the good one with it too)
    for (const slurm of [{ timeLimit: '1 hour' }, { cpus: 0 }, { extraArgs: ['--chdir=/x'] }])
      expect(() => setRunDefaults(db, p.id, { executor: 'local', slurm })).toThrow(
        expect.objectContaining({ className: 'SlurmClient', code: 101 }),
      );
    expect(() => setRunDefaults(db, p.id, { executor: 'pbs' })).toThrow(
      expect.objectContaining({ className: 'JobDatabase', code: 11 }),
    );
    expect(runDefaults(db, p.id)).toEqual(d);

    expect(
      setRunDefaults(db, p.id, { executor: null, slurm: { partition: null, timeLimit: '1:00:00' } }),
    ).toEqual({
      slurm: { timeLimit: '1:00:00', memory: '4G', cpus: 2, extraArgs: ['--qos=high'] },
    });
    // a damaged row (written by hand): a coded error naming it, not a crash
    db.projects.setSettings(q.id, { 'slurm.extraArgs': '--qos=high' });
    expect(() => runDefaults(db, q.id)).toThrow(
      expect.objectContaining({ className: 'JobDatabase', code: 15, objectPath: 'slurm.extraArgs' }),
    );
    db.projects.delete(p.id);
    expect(db.projects.settings(p.id)).toEqual({});
  });

  it('ccp4i2 projects set / show', () => {
    const dir = tempDir();
    const file = join(dir, 'db.sqlite');
    const cli = (...args: string[]) => runCli('ccp4i2', [...args, '--db', file], { cwd: dir });
    expect(cli('projects', 'create', 'p').status).toBe(0);
    const set = cli(
      'projects',
      'set',
      'p',
      '--executor',
      'slurm',
      '--slurm-partition',
      'short',
      '--slurm-time',
      '90',
    );
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toBe('project p run defaults: executor slurm; SLURM partition=short timeLimit=90\n');
    const show = cli('projects', 'show', 'p');
    expect(show.stdout).toContain('run defaults: executor slurm; SLURM partition=short timeLimit=90\n');
    const json = JSON.parse(cli('projects', 'show', 'p', '--json').stdout);
    expect(json.runDefaults).toEqual({ executor: 'slurm', slurm: { partition: 'short', timeLimit: 90 } });

    const bad = cli('projects', 'set', 'p', '--slurm-mem', 'lots', '--executor', 'local');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/memory.*\[SlurmClient 101\]/i);
    expect(cli('projects', 'set', 'p', '--unset', 'executor', 'slurm-time').stdout).toBe(
      'project p run defaults: SLURM partition=short\n',
    );
    expect(cli('projects', 'set', 'p', '--unset', 'slurm').stdout).toBe(
      'project p run defaults: none (jobs run locally)\n',
    );
  });
});
