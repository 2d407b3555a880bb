import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { JobDatabase } from '../../src/db/index.js';
import { JOB_RUNNER } from '../../src/server/context.js';
import { watchedDirectories } from '../../src/server/file-changes.js';
import { FIXTURE_TASKS, startServer, type TestServer, tempDir, until } from './helpers.js';
import { SseClient } from './sse-client.js';

async function setup(s: TestServer, name: string) {
  const p = (await s.json('/api/projects', { method: 'POST', body: { name } })).body;
  return p as { id: string; directory: string };
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

describe('live jobs', () => {
  it('cancels a running job: its program is gone and it is Interrupted; the job stream pushes log, report and status', async () => {
    const s = await startServer();
    const p = await setup(s, 'cancel');
    const r = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: {
        taskName: 'test_sleeper',
        params: { 'controlParameters.STEPS': 2000, 'controlParameters.DELAY': 0.05 },
        run: true,
      },
    });
    expect(r.status).toBe(201);
    const jid = r.body.id;
    const events = new SseClient(`${s.base}/api/jobs/${jid}/events`);
    const pidLine = await events.waitFor(
      'the pid line',
      (e) => e.event === 'log' && /test_sleeper: pid \d+/.test(e.json.text),
    );
    const pid = Number(/pid (\d+)/.exec(pidLine.json.text)![1]);
    expect(alive(pid)).toBe(true);
    await events.waitFor('Running', (e) => e.event === 'job' && e.json.status === 3);
    // The report grows live: a table with rows while the job runs.
    const live = await events.waitFor(
      'a live report with rows',
      (e) => e.event === 'report' && e.json.tables[0]?.rows.length > 0,
    );
    expect(live.json.final).toBe(false);
    expect(live.json.tables[0].title).toBe('Progress');
    const c = await s.json(`/api/jobs/${jid}/cancel`, { method: 'POST' });
    expect(c.status).toBe(200);
    expect(c.body.status).toBe(4);
    expect(alive(pid)).toBe(false);
    await events.waitFor('Interrupted pushed', (e) => e.event === 'job' && e.json.status === 4);
    await events.waitFor('log end', (e) => e.event === 'log-end');
    await events.close();
    expect((await s.json(`/api/jobs/${jid}`)).body.statusName).toBe('Interrupted');
  });

  it('resumes a job log after a reconnect with Last-Event-ID: nothing lost, nothing repeated', async () => {
    const s = await startServer();
    const p = await setup(s, 'resume');
    const r = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: {
        taskName: 'test_sleeper',
        params: { 'controlParameters.STEPS': 60, 'controlParameters.DELAY': 0.02 },
        run: true,
      },
    });
    const jid = r.body.id;
    const first = new SseClient(`${s.base}/api/jobs/${jid}/events`);
    await first.waitFor('some rows', (e) => e.event === 'log' && /^ {2}5 /m.test(e.json.text));
    await first.close();
    const text1 = first
      .of('log')
      .map((e) => e.json.text)
      .join('');
    const id = first.lastEventId!;
    expect(id).toBe(`L${Buffer.byteLength(text1)}`);
    await sleep(300); // the job writes on meanwhile
    const second = new SseClient(`${s.base}/api/jobs/${jid}/events`, { 'last-event-id': id });
    await second.waitFor('the end of the log', (e) => e.event === 'log-end');
    await second.close();
    const text2 = second
      .of('log')
      .map((e) => e.json.text)
      .join('');
    const whole = await (await fetch(`${s.base}/api/jobs/${jid}/log`)).text();
    expect(text1 + text2).toBe(whole);
    expect(whole).toMatch(/test_sleeper: done/);
  });

  it('gives a client of a huge log a bounded tail and a notice; resumes exactly from an offset', async () => {
    const s = await startServer();
    const p = await setup(s, 'biglog');
    const r = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: { taskName: 'test_sleeper' },
    });
    const line = `${'x'.repeat(99)}\n`;
    writeFileSync(join(r.body.directory, 'log.txt'), line.repeat(200_000)); // 20 MB, a Pending job
    const c = new SseClient(`${s.base}/api/jobs/${r.body.id}/events`);
    await c.waitFor('the last line', (e) => e.event === 'log' && e.id === `L${200_000 * 100}`);
    const notice = c.of('notice')[0];
    expect(notice.json.skipped).toBeGreaterThan(19_000_000);
    const sent = c.of('log').reduce((n, e) => n + e.json.text.length, 0);
    expect(sent).toBeLessThanOrEqual(256 * 1024);
    expect(c.of('log')[0].json.text.startsWith('x')).toBe(true);
    await c.close();
    const resumed = new SseClient(`${s.base}/api/jobs/${r.body.id}/events`, {
      'last-event-id': `L${199_990 * 100}`,
    });
    await resumed.waitFor('the last line', (e) => e.event === 'log' && e.id === `L${200_000 * 100}`);
    expect(
      resumed
        .of('log')
        .map((e) => e.json.text)
        .join(''),
    ).toBe(line.repeat(10));
    expect(resumed.of('notice')).toEqual([]);
    await resumed.close();
    // Disconnected clients leave no directory watch behind.
    await until('watches released', () => watchedDirectories() === 0, 5000);
  });

  it('shows a job started by another process live (database change detection), and survives the db being locked', async () => {
    const s = await startServer();
    const p = await setup(s, 'cli');
    const feed = new SseClient(`${s.base}/api/projects/${p.id}/events`);
    await feed.waitFor('snapshot', (e) => e.event === 'snapshot');
    const dbFile = s.dbFile;
    // Another connection (as an i2run in a terminal) creates a job; another process runs it.
    const other = JobDatabase.open(dbFile);
    const proj = other.projects.require(p.id);
    const jobDir = join(proj.directory, 'CCP4_JOBS', 'job_1');
    mkdirSync(jobDir, { recursive: true });
    const job = other.jobs.create({
      projectId: p.id,
      taskName: 'test_sleeper',
      directory: jobDir,
      number: '1',
    });
    other.close();
    await feed.waitFor(
      'the new job',
      (e) => e.event === 'job' && e.json.id === job.id && e.json.status === 1,
    );
    const runner = spawn(
      process.execPath,
      [JOB_RUNNER, '--db', dbFile, '--job', job.id, '--task-dir', FIXTURE_TASKS],
      {
        stdio: 'ignore',
      },
    );
    const runnerExit = new Promise((r) => runner.once('exit', r));
    await feed.waitFor('Running', (e) => e.event === 'job' && e.json.id === job.id && e.json.status === 3);
    // A writer in another process holds the lock: the server's write waits for it instead of failing.
    const locker = spawn(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');const d=new D(${JSON.stringify(dbFile)});d.exec('BEGIN IMMEDIATE');console.log('locked');setTimeout(()=>{d.exec('COMMIT');process.exit(0)},700)`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(__dirname, '../..') },
    );
    await new Promise((r) => locker.stdout!.once('data', r));
    const t0 = Date.now();
    const created = await s.json('/api/projects', { method: 'POST', body: { name: 'while_locked' } });
    expect(created.status).toBe(201);
    expect(Date.now() - t0).toBeGreaterThan(300);
    const cancel = await s.json(`/api/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(cancel.body.status).toBe(4);
    await runnerExit;
    await feed.waitFor(
      'Interrupted',
      (e) => e.event === 'job' && e.json.id === job.id && e.json.status === 4,
    );
    // The feed resumes after a reconnect with exactly the missed events.
    const last = feed.lastEventId!;
    await feed.close();
    const r2 = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: { taskName: 'test_sleeper' },
    });
    const again = new SseClient(`${s.base}/api/projects/${p.id}/events`, { 'last-event-id': last });
    const ev = await again.waitFor('the missed job', (e) => e.event === 'job' && e.json.id === r2.body.id);
    expect(again.of('snapshot')).toEqual([]);
    expect(again.events.indexOf(ev)).toBe(0);
    await again.close();
  }, 90_000);

  it('shows an i2run started in a terminal live, from Queued/Running to Finished, in the project it names', async () => {
    const s = await startServer();
    const p = await setup(s, 'terminal');
    const feed = new SseClient(`${s.base}/api/projects/${p.id}/events`);
    await feed.waitFor('snapshot', (e) => e.event === 'snapshot');
    const examples = join(__dirname, '../../examples');
    const i2run = spawn(
      process.execPath,
      [
        join(__dirname, '../../dist/bin/i2run.cjs'),
        'demo_copycell',
        '--HKLIN',
        join(examples, 'merged_intensities_native.mtz'),
        '--XYZIN',
        join(examples, 'gamma_model.pdb'),
        '--project_name',
        'terminal',
        '--db',
        s.dbFile,
      ],
      { stdio: 'ignore', cwd: tempDir() },
    );
    const exit = new Promise((r) => i2run.once('exit', r));
    const done = await feed.waitFor(
      'the terminal job finished',
      (e) => e.event === 'job' && e.json.parentId === null && e.json.status === 6,
    );
    expect(done.json).toMatchObject({ taskName: 'demo_copycell', number: '1', projectId: p.id });
    expect(await exit).toBe(0);
    const seen = feed
      .of('job')
      .filter((e) => e.json.id === done.json.id)
      .map((e) => e.json.status);
    expect(seen[0]).not.toBe(6); // it appeared before it ended
    expect((await s.json(`/api/jobs/${done.json.id}/i2run`)).body.command).toMatch(
      /^i2run demo_copycell --HKLIN /,
    );
    await feed.close();
  });

  it('confines downloads to the job directory: no .., no absolute path, no symlink escape', async () => {
    const s = await startServer();
    const p = await setup(s, 'confine');
    const r = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: { taskName: 'test_sleeper' },
    });
    const jid = r.body.id;
    const outside = join(tempDir(), 'secret.txt');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, join(r.body.directory, 'link.txt'));
    symlinkSync('/etc', join(r.body.directory, 'etc'));
    for (const path of [
      '../../../../etc/passwd',
      '/etc/passwd',
      outside,
      'link.txt',
      'etc/passwd',
      '..',
      'a\u0000b',
    ]) {
      const res = await s.json(`/api/jobs/${jid}/download?path=${encodeURIComponent(path)}`);
      expect(res.status, path).toBe(403);
      expect(res.body.error).toMatchObject({ class: 'CServer', code: 6 });
    }
    expect((await s.json(`/api/jobs/${jid}/download?path=nothing.txt`)).status).toBe(404);
    expect((await s.json(`/api/jobs/${jid}/download?path=.`)).status).toBe(404);
    expect((await s.json(`/api/jobs/${jid}/download`)).status).toBe(400);
    const ok = await fetch(`${s.base}/api/jobs/${jid}/download?path=input_params.xml`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/test_sleeper/);
  });
});
