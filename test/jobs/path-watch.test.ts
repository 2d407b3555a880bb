import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PathWatch } from '../../src/jobs/path-watch.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'path-watch-'));
  roots.push(root);
  const directory = join(root, 'job_1');
  mkdirSync(directory);
  const database = join(root, 'db.sqlite');
  writeFileSync(database, '');
  const lost: string[] = [];
  const watch = new PathWatch({
    directory,
    database,
    job: '1',
    intervalMs: 60_000,
    onDirectoryLost: (e) => lost.push(e.message),
  });
  return { directory, database, watch, lost };
}

const openFds = () => readdirSync('/proc/self/fd').length;

describe('PathWatch', () => {
  it('finds a job directory deleted and made again at the same path lost, even where the inode number is reused', () => {
    const { directory, watch, lost } = setup();
    const before = statSync(directory).ino;
    rmdirSync(directory);
    mkdirSync(directory); // as a plugin making its work directory again would
    watch.check();
    watch.stop();
    // ext4 hands a freed inode number to the next directory at once; held open, the first is never freed
    expect(statSync(directory).ino).not.toBe(before);
    expect(lost).toHaveLength(1);
    expect(watch.directoryLost?.message).toContain(
      'the directory of job 1 was deleted or replaced while it ran',
    );
  });

  it('finds a deleted job directory lost; an untouched one is kept', () => {
    const a = setup();
    a.watch.check();
    expect(a.watch.directoryLost).toBeUndefined();
    expect(a.watch.databaseLost).toBeUndefined();
    rmdirSync(a.directory);
    a.watch.check();
    a.watch.stop();
    expect(a.lost).toHaveLength(1);
  });

  it('holds one descriptor while it watches and none after stop; a check after stop says nothing', () => {
    const n = openFds();
    const { directory, watch, lost } = setup();
    expect(openFds()).toBe(n + 1);
    watch.stop();
    expect(openFds()).toBe(n);
    rmdirSync(directory);
    watch.check();
    expect(lost).toEqual([]);
    expect(watch.directoryLost).toBeUndefined();
  });

  it('a directory missing from the start is lost before the job starts, holding nothing', () => {
    const n = openFds();
    const root = mkdtempSync(join(tmpdir(), 'path-watch-'));
    roots.push(root);
    const watch = new PathWatch({
      directory: join(root, 'never'),
      database: join(root, 'db.sqlite'),
      job: '2',
      onDirectoryLost: () => {},
    });
    expect(openFds()).toBe(n);
    expect(watch.directoryLost?.message).toContain('before it started');
    watch.stop();
  });
});
