import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCcp4Error } from '../../src/errors/ccp4-error.js';
import { type OutputLine, runProgram, startProgram } from '../../src/process/index.js';
import { isRunning, jobDir, readPids, script } from './helpers.js';

// directOutput: the log files themselves are the program's stdout and stderr (no pipes). Everything a
// result reports must be what the pipe path reports for the same program.
describe('directOutput: the program writes log.txt and stderr.txt itself', () => {
  it('gives the same files, byte counts and tails as the pipe path, and lines() ends without lines', async () => {
    const results = [];
    for (const directOutput of [false, true]) {
      const dir = jobDir();
      writeFileSync(join(dir, 'com.txt'), 'HEADER\nEND\n');
      // 10011 bytes of stdout: the tail is the last 4096 bytes.
      const prog = script(
        dir,
        'out.sh',
        "cat; i=0; while [ $i -lt 1000 ]; do printf '%09d\\n' $i; i=$((i+1)); done; echo to-stderr >&2; printf 'no newline' >&2",
      );
      const run = startProgram({ program: prog, cwd: dir, inputFile: 'com.txt', directOutput });
      const lines: OutputLine[] = [];
      for await (const l of run.lines()) lines.push(l);
      const r = await run.result;
      expect(r.outcome).toBe('succeeded');
      results.push({ r, lines, log: readFileSync(join(dir, 'log.txt'), 'utf8') });
    }
    const [piped, direct] = results;
    expect(direct!.log).toBe(piped!.log);
    expect(direct!.log.length).toBe(11 + 10000);
    expect(direct!.r.stdoutBytes).toBe(10011);
    expect(piped!.r.stdoutBytes).toBe(10011);
    expect(direct!.r.stderrBytes).toBe(20);
    expect(direct!.r.stdoutTail).toBe(piped!.r.stdoutTail);
    expect(direct!.r.stdoutTail).toBe(direct!.log.slice(-4096));
    expect(direct!.r.stderrTail).toBe('to-stderr\nno newline');
    expect(direct!.r.error).toBeUndefined();
    expect(direct!.lines).toEqual([]);
  });

  it('drops a partial UTF-8 sequence at the start of the tail', async () => {
    const dir = jobDir();
    // 'é' is 2 bytes; 4095 bytes after it put its second byte first in the 4096-byte tail.
    const prog = script(dir, 'utf.sh', "printf 'é'; head -c 4095 /dev/zero | tr '\\0' x");
    const r = await runProgram({ program: prog, cwd: dir, directOutput: true });
    expect(r.stdoutBytes).toBe(4097);
    expect(r.stdoutTail).toBe('x'.repeat(4095));
  });

  it('appendOutput: counts only what this run wrote', async () => {
    const dir = jobDir();
    writeFileSync(join(dir, 'log.txt'), 'banner\n');
    const r = await runProgram({
      program: 'echo',
      args: ['hello'],
      cwd: dir,
      appendOutput: true,
      directOutput: true,
    });
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe('banner\nhello\n');
    expect(r.stdoutBytes).toBe(6);
    expect(r.stdoutTail).toBe('hello\n'); // this run's output, as the pipe path reports it
  });

  it('stdout and stderr into one file: the pipe path is used, counts stay separate', async () => {
    const dir = jobDir();
    const r = await runProgram({
      program: 'sh',
      args: ['-c', 'echo out; echo err >&2'],
      cwd: dir,
      stderrFile: 'log.txt',
      directOutput: true,
    });
    expect(r.stdoutBytes).toBe(4);
    expect(r.stderrBytes).toBe(4);
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe('out\nerr\n');
  });

  it('cannot be combined with onLine (Ccp4Error 101 naming the option)', () => {
    let e: unknown;
    try {
      startProgram({ program: 'true', cwd: '/tmp', directOutput: true, onLine: () => {} });
    } catch (err) {
      e = err;
    }
    expect(isCcp4Error(e) && e.code === 101 && e.objectPath === 'options.directOutput').toBe(true);
  });

  it('stops background processes a program left behind, including one holding the log file', async () => {
    const dir = jobDir();
    // One leftover in the job's group writing to log.txt, one in a group of its own, output redirected.
    const prog = script(
      dir,
      'leaves.sh',
      "trap '' TERM\n(trap '' TERM; while :; do echo tick; sleep 0.05; done) & echo $! > pids.txt\nset -m\nsleep 1001 >/dev/null 2>&1 & echo $! >> pids.txt\nexit 0",
      '/bin/bash',
    );
    const r = await runProgram({ program: prog, cwd: dir, forceKillAfterDelay: 200, directOutput: true });
    expect(r.outcome).toBe('succeeded');
    const pids = readPids(join(dir, 'pids.txt'));
    for (const pid of pids) expect(r.leftoverPids).toContain(pid);
    expect(r.killedPids).toContain(pids[0]);
    for (const pid of pids) expect(isRunning(pid), `pid ${pid} survived`).toBe(false);
    // Counted after everything stopped: what the leftover wrote is included.
    expect(r.stdoutBytes).toBe(readFileSync(join(dir, 'log.txt')).length);
  });
});
