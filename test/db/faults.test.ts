import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPluginScript, JobDatabase, JobService, JobStatus, TaskRegistry } from '../../src/index.js';
import { tempDb, tempDir, track } from './helpers.js';

class TrueTask extends CPluginScript {
  static override TASKNAME = 'true_task';
  static override TASKCOMMAND = 'true';
}

describe('database faults', () => {
  it('disk full (SQLite max_page_count): the write rolls back whole, a coded error naming the file', () => {
    const db = tempDb();
    const p = db.projects.create('p', join(tempDir(), 'p'));
    const pages = db.connection.sql.pragma('page_count', { simple: true }) as number;
    db.connection.sql.pragma(`max_page_count = ${pages + 2}`);
    const before = db.jobs.count();
    let thrown: unknown;
    try {
      db.transaction('filling', () => {
        for (let i = 1; i <= 200; i++) {
          const j = db.jobs.create({
            projectId: p.id,
            taskName: 't',
            number: String(i),
            directory: `/x/${i}`,
          });
          db.jobs.setReport(j.id, 'x'.repeat(4000));
        }
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ className: 'JobDatabase', code: 5, file: db.file });
    expect(String((thrown as Error).message)).toMatch(/disk is full; nothing was written/);
    expect(db.jobs.count()).toBe(before);
    expect(db.integrityCheck()).toBe('ok');
  });

  it('disk full while a job runs: the job fails with the coded error, no partial records, the file stays consistent', async () => {
    const dir = tempDir();
    const db = tempDb(dir);
    const registry = new TaskRegistry();
    registry.register({ taskName: 'true_task', defFile: '', pluginClass: TrueTask as never });
    const p = db.projects.create('p', join(dir, 'p'));
    mkdirSync(p.directory);
    const service = new JobService({ db, registry });
    const job = service.createJob({ project: p, taskName: 'true_task' });
    // The disk is full: the file may not grow by a page, and the free space left in its pages is used up
    // (rows of shrinking size until not even 10 bytes fit).
    db.connection.sql.pragma(`max_page_count = ${db.connection.sql.pragma('page_count', { simple: true })}`);
    const filler = db.projects.create('filler', join(dir, 'filler'));
    let n = 0;
    for (const size of [2000, 500, 100, 10])
      for (;;) {
        try {
          db.jobs.create({
            projectId: filler.id,
            taskName: 'x'.repeat(size),
            number: String(++n),
            directory: '/',
          });
        } catch (e) {
          expect(e).toMatchObject({ code: 5 });
          break;
        }
      }
    const { status, plugin } = await service.run(job, { heartbeatMs: 0 });
    expect(status).toBe(CPluginScript.FAILED);
    const codes = plugin.errorReport.entries.map((e) => `${e.className} ${e.code}`);
    expect(codes).toContain('JobDatabase 5');
    expect(plugin.errorReport.entries.find((e) => e.className === 'JobDatabase')?.file).toBe(db.file);
    const row = db.jobs.get(job.id)!;
    expect([JobStatus.PENDING, JobStatus.FAILED]).toContain(row.status); // never left Running
    expect(db.files.list({ jobId: job.id })).toEqual([]);
    expect(db.integrityCheck()).toBe('ok');
    // space again: the database works on
    db.connection.sql.pragma('max_page_count = 1073741823');
    expect(db.projects.create('after', join(dir, 'after')).name).toBe('after');
  }, 30_000);

  it('SQLITE_BUSY: a write blocked by another process holding the lock is retried and lands', async () => {
    const db = track(JobDatabase.open(join(tempDir(), 'db.sqlite'), { busyTimeoutMs: 20 }));
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const d = new D(process.argv[1]);
         d.prepare('BEGIN IMMEDIATE').run(); process.stdout.write('locked\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
         d.prepare('COMMIT').run(); d.close();`,
        db.file,
      ],
      { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((r) => holder.stdout!.once('data', () => r()));
    const t0 = Date.now();
    const p = db.projects.create('busy', '/tmp/busy');
    expect(Date.now() - t0).toBeGreaterThan(300); // it waited for the other process
    expect(db.projects.require('busy').id).toBe(p.id);
    await new Promise((r) => holder.on('close', r));
    expect(db.integrityCheck()).toBe('ok');
  });
});
