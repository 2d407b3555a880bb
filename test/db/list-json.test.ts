import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { durationSeconds } from '../../src/cli/commands/job-context.js';
import { JobStatus, jobStatusName } from '../../src/db/index.js';
import { ROOT, tempDb, tempDir } from './helpers.js';

// `jobs list --json` has SQLite write each job's JSON (Jobs.listJson); it must be what the record plus
// jobStatusName and the CLI's durationSeconds give, field for field, for every status and every
// rounding boundary of the duration.
describe('Jobs.listJson', () => {
  it('gives the record, statusName and durationSeconds exactly as the JavaScript path', () => {
    const dir = tempDir();
    const db = tempDb(dir);
    const p = db.projects.create('p', join(dir, 'p'));
    const base = Date.parse('2026-12-07T10:00:00.000Z');
    const iso = (ms: number) => new Date(base + ms).toISOString();
    // Durations in ms: on, just below and just above each 0.05 s rounding boundary; negative (clock skew).
    const spans = [0, 1, 49, 50, 51, 149, 150, 151, 999, 1050, 1049, 86_400_050, 3_599_949, -120, -50, -1];
    const titles = [
      'plain',
      'quote " and \\ back',
      "it's",
      'line\nbreak\ttab',
      'ünïcødé ✓ 🧪',
      '\u0001\u001f',
      null,
    ];
    spans.forEach((ms, i) => {
      const j = db.jobs.create({
        projectId: p.id,
        taskName: 'mtzdump',
        title: titles[i % titles.length],
        directory: dir,
      });
      db.jobs.update(j.id, {
        status: (i % 11) as JobStatus,
        started: iso(i * 1000),
        finished: iso(i * 1000 + ms),
        pid: i * 7919,
        exitCode: i % 3 ? i : null,
        diagnostic: i % 2 ? `diag ${i} "x"` : null,
      });
    });
    // Not started; a status code CCP4i2 does not have; a running job (duration to now).
    db.jobs.create({ projectId: p.id, taskName: 'pdbset', directory: dir });
    const odd = db.jobs.create({ projectId: p.id, taskName: 'pdbset', directory: dir });
    db.connection.sql.prepare('UPDATE jobs SET status = 42 WHERE id = ?').run(odd.id);
    const running = db.jobs.create({ projectId: p.id, taskName: 'refmac', directory: dir });
    db.jobs.update(running.id, {
      status: JobStatus.RUNNING,
      started: new Date(Date.now() - 2345).toISOString(),
    });
    const sub = db.jobs.create({
      projectId: p.id,
      taskName: 'x',
      number: '1.1',
      parentId: odd.id,
      directory: dir,
    });

    for (const filter of [{ projectId: p.id }, { projectId: p.id, parentId: null }, { status: 6 }]) {
      const expected = db.jobs.list(filter).map((j) => ({
        ...j,
        statusName: jobStatusName(j.status),
        durationSeconds: durationSeconds(j.started, j.finished),
      }));
      const got = db.jobs.listJson(filter).map((t) => JSON.parse(t) as (typeof expected)[number]);
      expect(got.length).toBe(expected.length);
      got.forEach((g, i) => {
        const e = expected[i]!;
        expect(Object.keys(g)).toEqual(Object.keys(e));
        if (g.id === running.id) {
          // to now: the two computations are a few ms apart
          expect(Math.abs(g.durationSeconds! - e.durationSeconds!)).toBeLessThanOrEqual(0.2);
          expect({ ...g, durationSeconds: 0 }).toEqual({ ...e, durationSeconds: 0 });
        } else expect(g).toEqual(e);
      });
    }
    expect(db.jobs.listJson({ projectId: p.id }).some((t) => t.includes('"Unknown(42)"'))).toBe(true);
    expect(db.jobs.listJson({ parentId: sub.id })).toEqual([]);
  });

  it('`ccp4i2 jobs list --json` prints them as one JSON array, [] for none', () => {
    const dir = tempDir();
    const db = tempDb(dir);
    const p = db.projects.create('p', dir);
    const e = db.projects.create('empty', join(dir, 'e'));
    expect(e.name).toBe('empty');
    for (let i = 0; i < 3; i++)
      db.jobs.create({ projectId: p.id, taskName: 'mtzdump', title: `t${i}`, directory: dir });
    const cli = (name: string) =>
      spawnSync(
        process.execPath,
        [join(ROOT, 'dist/bin/ccp4i2.cjs'), 'jobs', 'list', '--json', '-p', name, '--db', db.file],
        {
          encoding: 'utf8',
        },
      );
    const r = cli('p');
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { number: string; title: string; statusName: string }[];
    expect(rows.map((j) => [j.number, j.title, j.statusName])).toEqual([
      ['1', 't0', 'Pending'],
      ['2', 't1', 'Pending'],
      ['3', 't2', 'Pending'],
    ]);
    const none = cli('empty');
    expect(none.status, none.stderr).toBe(0);
    expect(none.stdout).toBe('[]\n');
  });
});
