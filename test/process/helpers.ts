import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const dirs: string[] = [];

/** A fresh job directory, removed after the test. */
export function jobDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ccp4i2-process-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
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
