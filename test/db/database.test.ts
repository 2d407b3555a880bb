import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databasePath, JobDatabase, JobStatus, parseJobStatus } from '../../src/db/index.js';
import { SCHEMA_VERSION } from '../../src/db/schema.js';
import { Ccp4Error } from '../../src/errors/ccp4-error.js';
import { tempDb, tempDir, track } from './helpers.js';

function openError(file: string, opts = {}): Ccp4Error {
  try {
    track(JobDatabase.open(file, opts));
  } catch (e) {
    expect(e).toBeInstanceOf(Ccp4Error);
    return e as Ccp4Error;
  }
  throw new Error('opened');
}

describe('opening the database', () => {
  it('creates the file in WAL mode with the current schema', () => {
    const dir = tempDir();
    const file = join(dir, 'sub', 'db.sqlite');
    const db = track(JobDatabase.open(file));
    expect(existsSync(file)).toBe(true);
    expect(db.connection.sql.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.connection.schemaVersion).toBe(SCHEMA_VERSION);
    expect(db.connection.sql.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(db.integrityCheck()).toBe('ok');
    db.close();
    // reopening applies nothing and keeps the data
    const again = track(JobDatabase.open(file));
    expect(again.connection.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('finds the file from the option, $CCP4I2_DB, then ~/.ccp4i2-ts/db.sqlite', () => {
    expect(databasePath('/x/a.sqlite', { CCP4I2_DB: '/y/b.sqlite' })).toBe('/x/a.sqlite');
    expect(databasePath(undefined, { CCP4I2_DB: '/y/b.sqlite' })).toBe('/y/b.sqlite');
    expect(databasePath(undefined, {})).toMatch(/\.ccp4i2-ts\/db\.sqlite$/);
  });

  it('refuses a file that is not SQLite, naming it, and leaves it untouched', () => {
    const file = join(tempDir(), 'notes.sqlite');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    const before = readFileSync(file);
    const e = openError(file);
    expect([e.className, e.code, e.file]).toEqual(['JobDatabase', 1, file]);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a read-only database with a coded error and changes nothing', () => {
    if (process.getuid?.() === 0) return; // root writes anyway
    const dir = tempDir();
    const file = join(dir, 'db.sqlite');
    track(JobDatabase.open(file)).close();
    const before = readFileSync(file);
    chmodSync(file, 0o444);
    const e = openError(file);
    expect([e.code, e.file]).toEqual([3, file]);
    expect(readFileSync(file).equals(before)).toBe(true);
    // reading is still possible when asked for
    const ro = track(JobDatabase.open(file, { readonly: true }));
    expect(ro.projects.list()).toEqual([]);
    expect(() => ro.projects.create('p', dir)).toThrow(/read-only/);
  });

  it('refuses a database from a newer schema without touching it', () => {
    const file = join(tempDir(), 'db.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.exec('CREATE TABLE future (x)');
    raw.close();
    const before = readFileSync(file);
    const e = openError(file);
    expect([e.code, e.file]).toEqual([4, file]);
    expect(e.message).toMatch(/newer/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('projects and jobs', () => {
  it('creates projects with unique names and numbers top-level jobs from the database', () => {
    const dir = tempDir();
    const db = tempDb(dir);
    const p = db.projects.create('gamma', join(dir, 'gamma'));
    expect(() => db.projects.create('gamma', dir)).toThrow(expect.objectContaining({ code: 9 }));
    expect(() => db.projects.create('bad name', dir)).toThrow(expect.objectContaining({ code: 11 }));
    const numbers = Array.from({ length: 5 }, () =>
      db.jobs.create({ projectId: p.id, taskName: 'mtzdump', directory: dir }),
    ).map((j) => j.number);
    expect(numbers).toEqual(['1', '2', '3', '4', '5']);
    const sub = db.jobs.create({
      projectId: p.id,
      taskName: 'pdbset',
      number: '3.1',
      parentId: db.jobs.find(p.id, '3')!.id,
      directory: dir,
    });
    expect(db.jobs.list({ projectId: p.id, parentId: null })).toHaveLength(5);
    expect(db.jobs.subtree(db.jobs.find(p.id, '3')!.id).map((j) => j.number)).toEqual(['3', '3.1']);
    expect(sub.status).toBe(JobStatus.PENDING);
    expect(db.projects.get('gamma')!.lastJobNumber).toBe(5);
    expect(() => db.projects.require('nope')).toThrow(expect.objectContaining({ code: 7 }));
    // deleting a project removes its records
    db.projects.delete(p.id);
    expect(db.jobs.list({})).toEqual([]);
  });

  it('skips numbers whose directory already exists', () => {
    const dir = tempDir();
    const db = tempDb(dir);
    const p = db.projects.create('p', dir);
    const taken = new Set([1, 2]);
    const j = db.jobs.create({ projectId: p.id, taskName: 't' }, (n) =>
      taken.has(n) ? undefined : `/x/job_${n}`,
    );
    expect([j.number, j.directory]).toEqual(['3', '/x/job_3']);
  });

  it('rolls a failed transaction back whole', () => {
    const dir = tempDir();
    const db = tempDb(dir);
    const p = db.projects.create('p', dir);
    expect(() =>
      db.transaction('two jobs', () => {
        db.jobs.create({ projectId: p.id, taskName: 't', directory: dir });
        throw new Error('disk on fire');
      }),
    ).toThrow();
    expect(db.jobs.list({})).toEqual([]);
    expect(db.projects.get('p')!.lastJobNumber).toBe(0);
  });

  it('reads status names as CCP4i2 writes them', () => {
    expect(parseJobStatus('Running remotely')).toBe(7);
    expect(parseJobStatus('finished')).toBe(6);
    expect(parseJobStatus('5')).toBe(5);
    expect(parseJobStatus('nope')).toBeUndefined();
  });
});
