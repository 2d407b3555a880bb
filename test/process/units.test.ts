import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnvironment, ConcurrencyLimiter, type OutputLine } from '../../src/process/index.js';
import { LineFeed, LineSplitter } from '../../src/process/lines.js';
import { jobProcesses, parseStat, readProc } from '../../src/process/proc-table.js';

describe('LineSplitter', () => {
  it('gives the same lines however the output is chunked (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 20 }),
        fc.array(fc.nat(50)),
        (parts, cuts) => {
          const text = parts.join('\n');
          const bytes = Buffer.from(text);
          const lines: string[] = [];
          const s = new LineSplitter('stdout', 1 << 20, (l) => lines.push(l.text));
          let at = 0;
          for (const c of cuts) {
            s.push(bytes.subarray(at, Math.min(bytes.length, at + c)));
            at = Math.min(bytes.length, at + c);
          }
          s.push(bytes.subarray(at));
          s.end();
          const expected =
            text.length === 0 ? [] : text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
          expect(lines).toEqual(expected.map((l) => l.replace(/\r$/, '')));
        },
      ),
    );
  });

  it('cuts an endless line into pieces instead of accumulating it', () => {
    const out: OutputLine[] = [];
    const s = new LineSplitter('stderr', 4, (l) => out.push(l));
    s.push(Buffer.from('abcdefghij'));
    s.push(Buffer.from('kl\nxy\r\n'));
    s.end();
    expect(out).toEqual([
      { stream: 'stderr', text: 'abcd', incomplete: true },
      { stream: 'stderr', text: 'efgh', incomplete: true },
      { stream: 'stderr', text: 'ijkl' },
      { stream: 'stderr', text: 'xy' },
    ]);
  });

  it('keeps a UTF-8 character split across chunks whole', () => {
    const out: string[] = [];
    const s = new LineSplitter('stdout', 100, (l) => out.push(l.text));
    const b = Buffer.from('Å=1.5\n');
    s.push(b.subarray(0, 1));
    s.push(b.subarray(1));
    expect(out).toEqual(['Å=1.5']);
  });
});

describe('LineFeed', () => {
  it('drops the oldest lines of a follower that falls behind, and says how many', async () => {
    const feed = new LineFeed(3);
    const it = feed.subscribe();
    for (let i = 0; i < 10; i++) feed.push({ stream: 'stdout', text: String(i) });
    feed.close();
    const got: OutputLine[] = [];
    for await (const l of it) got.push(l);
    expect(got.map((l) => l.text)).toEqual(['7', '8', '9']);
    expect(got[0]!.skipped).toBe(7);
  });
});

describe('ConcurrencyLimiter', () => {
  it('grants in FIFO order and rejects bad limits', async () => {
    const l = new ConcurrencyLimiter(1);
    const order: number[] = [];
    const r1 = await l.acquire();
    const p2 = l.acquire().then((r) => {
      order.push(2);
      return r;
    });
    const p3 = l.acquire().then((r) => {
      order.push(3);
      return r;
    });
    r1();
    r1(); // idempotent
    (await p2)();
    (await p3)();
    expect(order).toEqual([2, 3]);
    expect(l.running).toBe(0);
    expect(() => new ConcurrencyLimiter(0)).toThrow(/integer >= 1/);
  });

  it('raising the limit starts queued callers', async () => {
    const l = new ConcurrencyLimiter(1);
    await l.acquire();
    const p = l.acquire();
    l.max = 2;
    await p;
    expect(l.running).toBe(2);
  });
});

describe('buildEnvironment', () => {
  it('leaves the environment alone without $CCP4', () => {
    const env = buildEnvironment({ env: { PATH: '/usr/bin', CCP4: undefined }, extendEnv: false });
    expect(env).toEqual({ PATH: '/usr/bin' });
  });

  it('applies CCP4 conventions without overriding explicit choices', () => {
    const env = buildEnvironment({
      env: { PATH: '/usr/bin:/opt/ccp4/bin', CCP4: '/opt/ccp4', CLIBD: '/my/clibd' },
      extendEnv: false,
    });
    expect(env.PATH).toBe('/opt/ccp4/bin:/usr/bin');
    expect(env.CLIBD).toBe('/my/clibd');
    expect(env.CINCL).toBe(join('/opt/ccp4', 'include'));
    expect(env.CCP4_SCR).toBe(tmpdir());
    expect(buildEnvironment({ env: { CCP4: '/c', PATH: '/b' }, extendEnv: false, ccp4Env: false }).PATH).toBe(
      '/b',
    );
  });
});

describe('/proc', () => {
  it('parses a stat line whose command name has spaces and parentheses', () => {
    const line = '4242 (a (b) c) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1 2 3';
    expect(parseStat(line)).toEqual({
      pid: 4242,
      state: 'S',
      ppid: 1,
      pgid: 4242,
      sid: 4242,
      startTime: 987654,
    });
  });

  it('reads this process and never counts it as part of a job', () => {
    expect(readProc(process.pid)?.pid).toBe(process.pid);
    expect(jobProcesses(process.pid).some((e) => e.pid === process.pid)).toBe(false);
  });
});
