import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type OutputLine, runProgram, startProgram } from '../../src/process/index.js';
import { jobDir, script, waitFor } from './helpers.js';

describe('runProgram: a program in its job directory', () => {
  it('feeds com.txt on stdin, writes log.txt and stderr.txt in the job directory and records exit 0', async () => {
    const dir = jobDir();
    writeFileSync(join(dir, 'com.txt'), 'HEADER\nEND\n');
    const r = await runProgram({
      program: 'sh',
      args: ['-c', 'pwd; cat; echo to-stderr >&2'],
      cwd: dir,
      inputFile: 'com.txt',
    });
    expect(r.outcome).toBe('succeeded');
    expect(r.exitCode).toBe(0);
    expect(r.signal).toBeNull();
    expect(r.error).toBeUndefined();
    expect(r.command).toMatch(/\/sh$/);
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe(`${dir}\nHEADER\nEND\n`);
    expect(readFileSync(join(dir, 'stderr.txt'), 'utf8')).toBe('to-stderr\n');
    expect(r.stdoutBytes).toBe(dir.length + 12);
    expect(r.stderrTail).toBe('to-stderr\n');
  });

  it('passes arguments as argv, never through a shell', async () => {
    const dir = jobDir();
    const args = ['$HOME', '; rm -rf /', '`id`', 'a b', "'q'", ''];
    const r = await runProgram({ program: 'printf', args: ['%s|', ...args], cwd: dir });
    expect(r.outcome).toBe('succeeded');
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe(`${args.map((a) => `${a}|`).join('')}`);
  });

  it('reports a non-zero exit as failed with code 107 and the last stderr line', async () => {
    const dir = jobDir();
    const r = await runProgram({ program: 'sh', args: ['-c', 'echo bad input >&2; exit 3'], cwd: dir });
    expect(r.outcome).toBe('failed');
    expect(r.exitCode).toBe(3);
    expect(r.error?.code).toBe(107);
    expect(r.error?.className).toBe('ProcessRunner');
    expect(r.error?.message).toMatch(/exited with code 3/);
    expect(r.error?.details).toBe('last output line: bad input');
    expect(r.error?.file).toBe(join(dir, 'log.txt'));
  });

  it('records the terminating signal of a program killed by someone else (108)', async () => {
    const dir = jobDir();
    const r = await runProgram({ program: 'sh', args: ['-c', 'kill -SEGV $$'], cwd: dir });
    expect(r.outcome).toBe('signalled');
    expect(r.signal).toBe('SIGSEGV');
    expect(r.exitCode).toBeNull();
    expect(r.error?.code).toBe(108);
  });

  it('reports a program that is not found with every place searched (102), without running anything', async () => {
    const dir = jobDir();
    const r = await runProgram({
      program: 'no-such-ccp4-program',
      cwd: dir,
      searchPath: ['/opt/extra'],
      env: { PATH: '/usr/local/bin:/usr/bin' },
    });
    expect(r.outcome).toBe('not-started');
    expect(r.error?.code).toBe(102);
    expect(r.error?.message).toBe(
      "program 'no-such-ccp4-program' not found in /opt/extra, /usr/local/bin, /usr/bin",
    );
    expect(existsSync(join(dir, 'log.txt'))).toBe(false);
  });

  it('finds programs in extra search directories before PATH', async () => {
    const dir = jobDir();
    const bin = jobDir();
    script(bin, 'mtzdump', 'echo fake mtzdump');
    const r = await runProgram({ program: 'mtzdump', cwd: dir, searchPath: [bin] });
    expect(r.command).toBe(join(bin, 'mtzdump'));
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe('fake mtzdump\n');
  });

  it('reports a missing job directory (103) and a job directory that is a file (103)', async () => {
    const dir = jobDir();
    const missing = await runProgram({ program: 'true', cwd: join(dir, 'nope') });
    expect(missing.error?.code).toBe(103);
    expect(missing.error?.file).toBe(join(dir, 'nope'));
    writeFileSync(join(dir, 'f'), '');
    const file = await runProgram({ program: 'true', cwd: join(dir, 'f') });
    expect(file.error?.code).toBe(103);
    expect(file.error?.message).toMatch(/not a directory/);
  });

  it('reports an unreadable stdin file (105) naming it', async () => {
    const dir = jobDir();
    const r = await runProgram({ program: 'cat', cwd: dir, inputFile: 'com.txt' });
    expect(r.outcome).toBe('not-started');
    expect(r.error?.code).toBe(105);
    expect(r.error?.file).toBe(join(dir, 'com.txt'));
  });

  it('writes both streams into one file when logFile and stderrFile are the same', async () => {
    const dir = jobDir();
    const r = await runProgram({
      program: 'sh',
      args: ['-c', 'echo one; echo two >&2; echo three'],
      cwd: dir,
      stderrFile: 'log.txt',
    });
    expect(r.outcome).toBe('succeeded');
    expect(readFileSync(join(dir, 'log.txt'), 'utf8').split('\n').sort()).toEqual([
      '',
      'one',
      'three',
      'two',
    ]);
  });

  it('appends after a banner when asked to', async () => {
    const dir = jobDir();
    writeFileSync(join(dir, 'log.txt'), 'banner\n');
    await runProgram({ program: 'echo', args: ['out'], cwd: dir, appendOutput: true });
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe('banner\nout\n');
  });

  it('sets CCP4 conventions when $CCP4 is set: $CCP4/bin first on PATH, CLIBD, CCP4_SCR', async () => {
    const dir = jobDir();
    const ccp4 = jobDir();
    const r = await runProgram({
      program: 'sh',
      args: ['-c', 'echo "$PATH"; echo "$CLIBD"; echo "$CCP4_SCR"'],
      cwd: dir,
      env: { CCP4: ccp4 },
    });
    expect(r.outcome).toBe('succeeded');
    const [path, clibd, scr] = readFileSync(join(dir, 'log.txt'), 'utf8').split('\n');
    expect(path!.split(':')[0]).toBe(join(ccp4, 'bin'));
    expect(clibd).toBe(join(ccp4, 'lib', 'data'));
    expect(scr!.length).toBeGreaterThan(0);
  });
});

describe('following output live', () => {
  it('delivers lines to onLine and to an async iterator while the program runs, and log.txt grows as it runs', async () => {
    const dir = jobDir();
    const marker = join(dir, 'go');
    // The program waits for the test to create `go` after seeing the first line: proof lines arrive live.
    const prog = script(
      dir,
      'slow.sh',
      `echo first\nwhile [ ! -e ${marker} ]; do sleep 0.02; done\necho second\necho oops >&2`,
    );
    const seen: OutputLine[] = [];
    const run = startProgram({ program: prog, cwd: dir, onLine: (l) => seen.push(l) });
    const iterated: string[] = [];
    const follower = (async () => {
      for await (const l of run.lines()) iterated.push(`${l.stream}:${l.text}`);
    })();
    await waitFor(() => seen.length > 0);
    expect(seen[0]).toEqual({ stream: 'stdout', text: 'first' });
    await waitFor(() => readFileSync(join(dir, 'log.txt'), 'utf8') === 'first\n');
    expect(run.state).toBe('running');
    writeFileSync(marker, '');
    const r = await run.result;
    await follower;
    expect(r.outcome).toBe('succeeded');
    expect(seen.map((l) => l.text)).toEqual(['first', 'second', 'oops']);
    expect(iterated).toEqual(['stdout:first', 'stdout:second', 'stderr:oops']);
    expect(run.state).toBe('ended');
  });

  it('survives a follower callback that throws, and reports it', async () => {
    const dir = jobDir();
    const r = await runProgram({
      program: 'printf',
      args: ['a\\nb\\n'],
      cwd: dir,
      onLine: () => {
        throw new Error('follower bug');
      },
    });
    expect(r.outcome).toBe('succeeded');
    expect((r.followerError as Error).message).toBe('follower bug');
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe('a\nb\n');
  });
});

describe('timeout', () => {
  it('kills a program that runs too long and reports timeout (109)', async () => {
    const dir = jobDir();
    const r = await runProgram({ program: 'sleep', args: ['30'], cwd: dir, timeout: 200 });
    // Ended by our SIGTERM (not after 30 s by itself): no timing assertion needed.
    expect(r.outcome).toBe('timeout');
    expect(r.error?.code).toBe(109);
    expect(r.signal).toBe('SIGTERM');
    expect(r.exitCode).toBeNull();
  });
});

describe('job directory not writable', () => {
  it('fails with 104 naming log.txt, before starting the program', async () => {
    const dir = jobDir();
    const marker = join(dir, 'ran');
    const ro = join(dir, 'ro');
    const { mkdirSync, chmodSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    // root ignores permission bits: make the directory immutable instead, or fall back to sysfs.
    let cwd = ro;
    let immutable = false;
    if (process.getuid?.() === 0) {
      immutable = spawnSync('chattr', ['+i', ro]).status === 0;
      if (!immutable) cwd = '/sys/kernel';
    }
    try {
      const r = await runProgram({ program: 'touch', args: [marker], cwd });
      expect(r.outcome).toBe('not-started');
      expect(r.error?.code).toBe(104);
      expect(r.error?.file).toBe(join(cwd, 'log.txt'));
      expect(existsSync(marker)).toBe(false);
    } finally {
      if (immutable) spawnSync('chattr', ['-i', ro]);
      chmodSync(ro, 0o755);
    }
  });
});

describe('100 MB of output', () => {
  it('streams it to log.txt without buffering it in memory', async () => {
    const dir = jobDir();
    const size = 100 * 1024 * 1024;
    global.gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed);
    }, 5);
    const r = await runProgram({ program: 'head', args: ['-c', String(size), '/dev/zero'], cwd: dir });
    clearInterval(sampler);
    expect(r.outcome).toBe('succeeded');
    expect(r.stdoutBytes).toBe(size);
    expect(statSync(join(dir, 'log.txt')).size).toBe(size);
    expect(peak - (before.arrayBuffers + before.heapUsed)).toBeLessThan(40 * 1024 * 1024);
  });

  it('splits 100 MB of `yes` output into lines for a follower with bounded memory', async () => {
    const dir = jobDir();
    const size = 100 * 1024 * 1024;
    const prog = script(dir, 'yes.sh', `yes | head -c ${size}`);
    let lines = 0;
    let bad = 0;
    const r = await runProgram({
      program: prog,
      cwd: dir,
      onLine: (l) => {
        lines++;
        if (l.text !== 'y') bad++;
      },
    });
    expect(r.outcome).toBe('succeeded');
    expect(statSync(join(dir, 'log.txt')).size).toBe(size);
    expect(lines).toBe(size / 2);
    expect(bad).toBe(0);
  });
});

describe('start failures are outcomes, never rejections', () => {
  it('an argument list too long for the OS ends not-started with 106', async () => {
    const dir = jobDir();
    const huge = 'x'.repeat(200_000);
    const r = await runProgram({ program: 'true', args: Array.from({ length: 20 }, () => huge), cwd: dir });
    expect(r.outcome).toBe('not-started');
    expect(r.error?.code).toBe(106);
    expect(r.error?.message).toMatch(/E2BIG/);
  });

  it('a file without an exec bit, or a directory, is not a program (102)', async () => {
    const dir = jobDir();
    const { writeFileSync: write, mkdirSync } = await import('node:fs');
    write(join(dir, 'noexec'), 'echo hi\n');
    mkdirSync(join(dir, 'adir'));
    for (const p of ['./noexec', './adir']) {
      const r = await runProgram({ program: p, cwd: dir });
      expect(r.outcome).toBe('not-started');
      expect(r.error?.code).toBe(102);
    }
  });
});
