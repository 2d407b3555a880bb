import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter, defaultLimiter, runProgram, startProgram } from '../../src/process/index.js';
import { isRunning, jobDir, readPids, script, waitFor } from './helpers.js';

/**
 * A job that fights back: it ignores SIGTERM, forks children that ignore it too (inherited), one child
 * in a process group of its own (bash job control), one in a session of its own (setsid), and one
 * grandchild whose parent exits at once (orphaned), then writes every pid to pids.txt.
 */
function stubbornJob(dir: string): string {
  return script(
    dir,
    'stubborn.sh',
    [
      "trap '' TERM",
      'pids=pids.txt',
      'echo $$ > $pids',
      'sleep 1000 & echo $! >> $pids',
      'set -m',
      'sleep 1001 & echo $! >> $pids',
      'set +m',
      'setsid sleep 1002 & echo $! >> $pids',
      "sh -c 'sleep 1003 & echo $! >> pids.txt' &",
      'wait $!',
      'echo ready',
      'wait',
    ].join('\n'),
    '/bin/bash',
  );
}

describe('no process outlives its job', () => {
  it('cancel stops a whole tree that ignores SIGTERM, escaped groups and sessions included', async () => {
    const dir = jobDir();
    const ac = new AbortController();
    const run = startProgram({
      program: stubbornJob(dir),
      cwd: dir,
      cancelSignal: ac.signal,
      forceKillAfterDelay: 300,
      onLine: (l) => {
        if (l.text === 'ready') ac.abort();
      },
    });
    const r = await run.result;
    const pids = readPids(join(dir, 'pids.txt'));
    expect(pids).toHaveLength(5);
    expect(r.outcome).toBe('interrupted');
    expect(r.error?.code).toBe(110);
    expect(r.signal).toBe('SIGKILL'); // the shell ignored TERM
    expect(r.killedPids.length).toBeGreaterThanOrEqual(4);
    for (const pid of pids) expect(isRunning(pid), `pid ${pid} survived`).toBe(false);
  });

  it('timeout stops the same tree and reports timeout', async () => {
    const dir = jobDir();
    // 2 s: ample for the tree to be complete even on a loaded machine (checked: five pids).
    const r = await runProgram({
      program: stubbornJob(dir),
      cwd: dir,
      timeout: 2000,
      forceKillAfterDelay: 200,
    });
    expect(r.outcome).toBe('timeout');
    expect(r.error?.code).toBe(109);
    expect(readPids(join(dir, 'pids.txt'))).toHaveLength(5);
    for (const pid of readPids(join(dir, 'pids.txt')))
      expect(isRunning(pid), `pid ${pid} survived`).toBe(false);
  });

  it('stops background processes a program left behind when it exited normally', async () => {
    const dir = jobDir();
    // One leftover in the job's group, one in a group of its own with its output redirected.
    const prog = script(
      dir,
      'leaves.sh',
      'sleep 1000 & echo $! > pids.txt\nset -m\nsleep 1001 >/dev/null 2>&1 & echo $! >> pids.txt\nexit 0',
      '/bin/bash',
    );
    const r = await runProgram({ program: prog, cwd: dir, forceKillAfterDelay: 200 });
    expect(r.outcome).toBe('succeeded');
    const pids = readPids(join(dir, 'pids.txt'));
    expect(r.leftoverPids.sort()).toEqual([...pids].sort());
    for (const pid of pids) expect(isRunning(pid), `pid ${pid} survived`).toBe(false);
  });

  it('finds a child that escaped with setsid after its parent died, thanks to tracking', async () => {
    const dir = jobDir();
    // The middle shell exits once told to (file `go`) after starting a setsid child: the child is then
    // orphaned in a session of its own, out of reach of any group, session or descent scan at cancel time.
    const prog = script(
      dir,
      'escape.sh',
      "sh -c 'setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > pids.txt; echo $$ > mid.txt; while [ ! -e go ]; do sleep 0.02; done'\nsleep 1000",
    );
    const run = startProgram({ program: prog, cwd: dir, forceKillAfterDelay: 200 });
    const written = (f: string) => () => {
      try {
        return readFileSync(join(dir, f), 'utf8').trim().length > 0;
      } catch {
        return false;
      }
    };
    await waitFor(written('pids.txt'));
    await waitFor(written('mid.txt'));
    await new Promise((r) => setTimeout(r, 1200)); // two tracking passes (every 500 ms) see the child
    writeFileSync(join(dir, 'go'), '');
    const [mid] = readPids(join(dir, 'mid.txt'));
    await waitFor(() => !isRunning(mid!)); // the intermediate has exited: the child is orphaned
    run.cancel();
    const r = await run.result;
    expect(r.outcome).toBe('interrupted');
    for (const pid of readPids(join(dir, 'pids.txt')))
      expect(isRunning(pid), `pid ${pid} survived`).toBe(false);
  });
});

describe('concurrency limit', () => {
  it('queues runs beyond the limit and runs them in order', async () => {
    const dir = jobDir();
    const limiter = new ConcurrencyLimiter(2);
    const log = join(dir, 'order.txt');
    // Each step waits for the file `go`: the states below do not depend on how fast the machine is.
    const prog = script(
      dir,
      'step.sh',
      `echo start $1 >> ${log}; while [ ! -e go ]; do sleep 0.02; done; sleep 0.1; echo end $1 >> ${log}`,
    );
    const runs = [1, 2, 3, 4].map((i) =>
      startProgram({ program: prog, args: [String(i)], cwd: dir, limiter, logFile: `log${i}.txt` }),
    );
    await waitFor(() => runs.filter((r) => r.state === 'running').length === 2);
    await waitFor(() => readFileSync(log, 'utf8').split('\n').length === 3); // both steps have started
    expect(runs.map((r) => r.state)).toEqual(['running', 'running', 'queued', 'queued']);
    expect(limiter.queued).toBe(2);
    writeFileSync(join(dir, 'go'), '');
    const results = await Promise.all(runs.map((r) => r.result));
    expect(results.every((r) => r.outcome === 'succeeded')).toBe(true);
    expect(results[2]!.queuedMs).toBeGreaterThan(results[0]!.queuedMs);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    // Never more than two running at once.
    let running = 0;
    for (const l of lines) {
      running += l.startsWith('start') ? 1 : -1;
      expect(running).toBeLessThanOrEqual(2);
    }
    expect(limiter.running).toBe(0);
  });

  it('a run cancelled while queued ends interrupted without starting, and frees its place', async () => {
    const dir = jobDir();
    const limiter = new ConcurrencyLimiter(1);
    const block = script(dir, 'block.sh', 'while [ ! -e go ]; do sleep 0.02; done');
    const blocker = startProgram({ program: block, cwd: dir, limiter, logFile: 'a.txt' });
    await blocker.started;
    const ac = new AbortController();
    const queued = startProgram({
      program: 'touch',
      args: ['should-not-exist'],
      cwd: dir,
      limiter,
      cancelSignal: ac.signal,
      logFile: 'b.txt',
    });
    const third = startProgram({ program: 'true', cwd: dir, limiter, logFile: 'c.txt' });
    await waitFor(() => limiter.queued === 2);
    ac.abort();
    const r = await queued.result;
    expect(r.outcome).toBe('interrupted');
    expect(r.pid).toBeUndefined();
    expect(r.error?.code).toBe(110);
    expect(r.error?.message).toMatch(/before it started/);
    expect(limiter.queued).toBe(1);
    writeFileSync(join(dir, 'go'), '');
    expect((await blocker.result).outcome).toBe('succeeded');
    expect((await third.result).outcome).toBe('succeeded');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'should-not-exist'))).toBe(false);
  });

  it('by default allows as many programs at once as the machine has cores, and queues the rest', async () => {
    const dir = jobDir();
    const cores = availableParallelism();
    expect(defaultLimiter().max).toBe(cores);
    const prog = script(dir, 'wait.sh', 'while [ ! -e go ]; do sleep 0.02; done');
    const runs = Array.from({ length: cores + 1 }, (_, i) =>
      startProgram({ program: prog, cwd: dir, logFile: `log${i}.txt` }),
    );
    await waitFor(() => runs.filter((r) => r.state === 'running').length === cores);
    expect(runs.at(-1)!.state).toBe('queued');
    writeFileSync(join(dir, 'go'), '');
    const results = await Promise.all(runs.map((r) => r.result));
    expect(results.map((r) => r.outcome)).toEqual(runs.map(() => 'succeeded'));
    expect(defaultLimiter().running).toBe(0);
  });

  it('an already aborted signal never starts the program', async () => {
    const dir = jobDir();
    const r = await runProgram({ program: 'true', cwd: dir, cancelSignal: AbortSignal.abort() });
    expect(r.outcome).toBe('interrupted');
    expect(r.pid).toBeUndefined();
  });
});
