import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobDatabase, JobStatus } from '../../src/db/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { FIXTURE_TASKS, tempDir, until } from '../server/helpers.js';

const CLI = join(__dirname, '../../dist/bin/ccp4i2.cjs');

function serve(args: string[]): {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
  db: string;
} {
  const dir = tempDir();
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--db', join(dir, 'db.sqlite'), '--projects-dir', join(dir, 'p'), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => text, exit, db: join(dir, 'db.sqlite') };
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

describe('ccp4i2 serve', () => {
  it('prints the URL, serves the UI and the API, and stops on Ctrl-C (exit 0)', async () => {
    const s = serve([]);
    const url = await until(
      'the URL',
      () => /ccp4i2 serve: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(s.out())?.[1],
    );
    expect(await (await fetch(`${url}api/health`)).json()).toEqual({ ok: true });
    const page = await fetch(`${url}projects/x`);
    expect(await page.text()).toMatch(/<div id="app">|<script type="module"/);
    sendSignal(s.child.pid!, 'SIGINT');
    expect(await s.exit).toBe(0);
    expect(s.out()).toMatch(/SIGINT, stopping/);
  });

  it('--on-exit cancel: the jobs it started are cancelled (Interrupted, program gone); bad options are coded errors', async () => {
    const s = serve(['--on-exit', 'cancel', '--task-dir', FIXTURE_TASKS]);
    const url = await until('the URL', () => /ccp4i2 serve: (http:\/\/\S+\/)/.exec(s.out())?.[1]);
    // biome-ignore lint/suspicious/noExplicitAny: JSON checked field by field
    const post = async (path: string, body: unknown): Promise<any> =>
      (
        await fetch(url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    const p = await post('api/projects', { name: 'x' });
    const job = await post(`api/projects/${p.id}/jobs`, { taskName: 'test_sleeper', run: true });
    const log = join(job.directory, 'log.txt');
    const pid = await until('the program', () =>
      existsSync(log) ? Number(/pid (\d+)/.exec(readFileSync(log, 'utf8'))?.[1]) || undefined : undefined,
    );
    expect(alive(pid)).toBe(true);
    sendSignal(s.child.pid!, 'SIGTERM');
    expect(await s.exit).toBe(0);
    expect(alive(pid)).toBe(false);
    const db = JobDatabase.open(s.db);
    expect(db.jobs.get(job.id)?.status).toBe(JobStatus.INTERRUPTED);
    db.close();

    const bad = serve(['--on-exit', 'later']);
    expect(await bad.exit).not.toBe(0);
    expect(bad.out()).toMatch(/--on-exit must be keep or cancel.*\[CServer 1\]/);
    for (const [args, message] of [
      [['--executor', 'pbs'], /--executor must be local or slurm/],
      [['--slurm-poll', '0'], /--slurm-poll must be seconds/],
      [['--slurm-poll', 'often'], /--slurm-poll must be seconds/],
    ] as const) {
      const b = serve([...args]);
      expect(await b.exit).not.toBe(0);
      expect(b.out()).toMatch(message);
      expect(b.out()).toMatch(/\[CServer 1\]/);
    }
  });
});
