import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { certainlyNothingLeft } from '../../src/process/kill-tree.js';
import { processesSince, readProc } from '../../src/process/proc-table.js';
import { sendSignal } from '../../src/process/signal.js';
import { isRunning, waitFor } from './helpers.js';

// The check at a program's exit reads only the pids allocated since its spawn when few were: it must
// never say "nothing left" while a process of the job lives.

function start(script: string): Promise<{ child: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('error', reject);
    // 'close', not 'exit': stdout may still hold the echoed pid when the shell exits.
    child.on('close', () => resolve({ child, out }));
  });
}

/** SIGKILL a pid the test parsed; sendSignal refuses 0, 1 and our own group (a bad parse must not kill vitest). */
function kill(pid: number): void {
  sendSignal(pid, 'SIGKILL');
}

function pidFrom(out: string): number {
  const pid = Number(out.trim());
  expect(Number.isInteger(pid) && pid > 1, `pid printed by the helper: ${JSON.stringify(out)}`).toBe(true);
  return pid;
}

describe('the quick check for leftovers at exit', () => {
  it('processesSince lists processes created after a pid, not that pid or older ones', async () => {
    const a = spawn('sleep', ['1000']);
    const b = spawn('sleep', ['1000']);
    try {
      const since = processesSince(a.pid!, 1_000_000)!.map((e) => e.pid);
      expect(since).toContain(b.pid);
      expect(since).not.toContain(a.pid);
      expect(since).not.toContain(process.pid);
      expect(processesSince(a.pid!, 0) ?? []).toEqual([]);
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
    }
  });

  it('is false while a member of the job lives in a group of its own', async () => {
    const { child, out } = await start('set -m; sleep 1000 >/dev/null 2>&1 & echo $!; exit 0');
    const left = pidFrom(out);
    try {
      expect(isRunning(left)).toBe(true);
      expect(certainlyNothingLeft(child.pid!, 10)).toBe(false);
    } finally {
      kill(left);
    }
    await waitFor(() => !isRunning(left));
  });

  it('is false for an orphan that left the session, once tracking knows it', async () => {
    const { child, out } = await start('setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $!; exit 0');
    const left = pidFrom(out);
    try {
      await waitFor(() => readProc(left)?.sid === left); // setsid has run
      const e = readProc(left)!;
      expect(e.pgid).not.toBe(child.pid);
      expect(certainlyNothingLeft(child.pid!, 10, new Map([[left, e.startTime]]))).toBe(false);
    } finally {
      kill(left);
    }
  });

  it('is false after a long run (a full scan is due), true after a clean short one', async () => {
    const { child } = await start('exit 0');
    expect(certainlyNothingLeft(child.pid!, 5000)).toBe(false);
    // Nothing was left: true, unless more than 64 pids were handed out meanwhile (then a scan is due).
    const quick = certainlyNothingLeft(child.pid!, 10);
    expect(quick || processesSince(child.pid!, 64) === undefined).toBe(true);
  });
});
