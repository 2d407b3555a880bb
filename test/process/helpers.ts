import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { sendSignal } from '../../src/process/signal.js';

const dirs: string[] = [];

/** A fresh job directory, removed after the test. */
export function jobDir(): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'ccp4i2-process-')));
  dirs.push(d);
  return d;
}

/**
 * Every live process whose working directory is inside one of `roots`, read from /proc, as
 * `pid command line`. Programs run with cwd = their job directory and their children inherit it, so
 * after a run has ended this must be empty: nothing of a job may outlive it.
 */
export function processesUnder(roots: string[]): string[] {
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${e}/cwd`);
    } catch {
      continue; // gone, or a kernel thread
    }
    if (!roots.some((r) => cwd === r || cwd.startsWith(`${r}/`)) || !isRunning(Number(e))) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${e}/cmdline`, 'latin1').replaceAll('\0', ' ').trim();
    } catch {}
    out.push(`${e} ${cmd}`);
  }
  return out;
}

/**
 * After each test: no process may still run in a directory the test made (checked in /proc; any found
 * are killed so that they cannot disturb later tests, and the test fails naming them).
 */
export function expectNoSurvivors(roots: string[]): void {
  const left = processesUnder(roots);
  for (const l of left) {
    try {
      sendSignal(Number(l.split(' ')[0]), 'SIGKILL');
    } catch {} // an unparsable pid is never signalled
  }
  if (left.length > 0) throw new Error(`processes outlived their job:\n${left.join('\n')}`);
}

afterEach(() => {
  const done = dirs.splice(0);
  try {
    expectNoSurvivors(done);
  } finally {
    for (const d of done) rmSync(d, { recursive: true, force: true });
  }
});

/** Writes an executable shell script into `dir` and returns its path. */
export function script(dir: string, name: string, body: string, shell = '/bin/sh'): string {
  const p = join(dir, name);
  writeFileSync(p, `#!${shell}\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

/** Whether a process exists and is not a zombie, read from /proc. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Pids a test script wrote, one per line, into `file`. */
export function readPids(file: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map(Number);
}

/** Polls until `cond` holds (or fails after `ms`). */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
