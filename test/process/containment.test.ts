import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { containmentSupport } from '../../src/process/containment.js';
import { runProgram } from '../../src/process/index.js';
import { isRunning, jobDir, readPids, script } from './helpers.js';

/**
 * Programs that leave a process behind and exit: after `delay` seconds they start `sleep 1000` either
 * with `setsid` (a session of its own) or by a classic daemon's double fork (fork, setsid, fork, the
 * middle process exits: the sleep is orphaned in a new session, its parent gone). Neither can be found by
 * session, process group or descent once the program has exited; each writes the detached pid to
 * escaped.txt.
 */
function detacher(dir: string, how: 'setsid' | 'double-fork', delay: number): string {
  const detach =
    how === 'setsid'
      ? 'setsid sleep 1000 & echo $! > escaped.txt'
      : `( setsid sh -c 'sleep 1000 & echo $! > escaped.txt' & )`;
  return script(
    dir,
    'detach.sh',
    [
      `sleep ${delay}`,
      detach,
      // Exit only once the detached process runs `sleep` (not still setsid or sh between fork and exec).
      'until [ -s escaped.txt ] && [ "$(cat /proc/$(cat escaped.txt)/comm 2>/dev/null)" = sleep ]; do :; done',
      'exit 0',
    ].join('\n'),
  );
}

const cgroup = containmentSupport();
const mechanisms = [
  ['cgroup', cgroup.mechanism === 'cgroup'],
  ['process-table', true],
] as const;

if (cgroup.mechanism !== 'cgroup') {
  const why = `cgroup v2 containment is not available here (${cgroup.reason}): only the /proc fallback is tested`;
  if (process.env.CI === 'true') throw new Error(why);
  console.warn(why);
}

describe.each(mechanisms)('containment by %s', (mechanism, available) => {
  for (const how of ['setsid', 'double-fork'] as const)
    for (const delay of [0, 0.5, 2])
      it.skipIf(!available)(
        `a process detached by ${how} after ${delay} s is stopped and reported`,
        async () => {
          const dir = jobDir();
          const r = await runProgram({
            program: detacher(dir, how, delay),
            cwd: dir,
            containment: mechanism,
          });
          const [escaped] = readPids(join(dir, 'escaped.txt'));
          expect(escaped).toBeGreaterThan(1);
          // The program's own result is untouched: it exited 0 by itself.
          expect(r.outcome).toBe('succeeded');
          expect(r.exitCode).toBe(0);
          expect(r.containment).toBe(mechanism);
          expect(isRunning(escaped!), `pid ${escaped} outlived its job`).toBe(false);
          expect(r.leftoverPids).toContain(escaped);
          expect(r.leftovers).toContainEqual({ pid: escaped, command: 'sleep 1000' });
        },
      );
});

describe.skipIf(cgroup.mechanism !== 'cgroup')('the job cgroup', () => {
  it('holds the program while it runs and is removed when the run ends', async () => {
    const dir = jobDir();
    const prog = script(dir, 'where.sh', 'cat /proc/self/cgroup');
    const r = await runProgram({ program: prog, cwd: dir });
    expect(r.containment).toBe('cgroup');
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toMatch(
      new RegExp(`/ccp4i2-${process.pid}/job-\\d+\n`),
    );
    // Node itself is back in its own cgroup (every thread of it), and no job cgroup holds a process
    // (empty ones are reused).
    expect(readFileSync('/proc/self/cgroup', 'utf8')).not.toContain('ccp4i2-');
    for (const t of readdirSync('/proc/self/task'))
      expect(readFileSync(`/proc/self/task/${t}/cgroup`, 'utf8')).not.toContain('ccp4i2-');
    const jobs = readdirSync(cgroup.root!).filter((n) => n.startsWith('job-'));
    expect(jobs.length).toBeGreaterThan(0);
    for (const j of jobs)
      expect(readFileSync(join(cgroup.root!, j, 'cgroup.events'), 'utf8')).toMatch(/^populated 0$/m);
  });

  it("is threaded where Node's own cgroup allows it (only the main thread moves), else a domain", () => {
    const own = dirname(cgroup.root!);
    const ownType = existsSync(join(own, 'cgroup.type'))
      ? readFileSync(join(own, 'cgroup.type'), 'utf8').trim()
      : 'root';
    const jobs = readdirSync(cgroup.root!).filter((n) => n.startsWith('job-'));
    const types = jobs.map((j) => readFileSync(join(cgroup.root!, j, 'cgroup.type'), 'utf8').trim());
    if (['root', 'threaded', 'domain threaded'].includes(ownType)) {
      expect(cgroup.threaded).toBe(true);
      expect(new Set(types)).toEqual(new Set(['threaded']));
    } else {
      expect(cgroup.threaded).toBe(false);
      expect(new Set(types)).toEqual(new Set(['domain']));
    }
  });

  it("is gone with its Node process's whole directory when that process exits", () => {
    // The built library (npm test builds first), in a Node process of its own.
    const src = pathToFileURL(resolve(__dirname, '../../dist/process/index.js')).href;
    const code = `const { runProgram } = await import(${JSON.stringify(src)});
      const r = await runProgram({ program: 'true', cwd: ${JSON.stringify(jobDir())} });
      console.log(r.containment, process.pid);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
    });
    const [mechanism, pid] = r.stdout.trim().split(' ');
    expect(mechanism, r.stderr).toBe('cgroup');
    expect(existsSync(join(dirname(cgroup.root!), `ccp4i2-${pid}`))).toBe(false);
  });
});

describe.skipIf(cgroup.mechanism !== 'cgroup')(
  'whole-process moves (CCP4I2_CONTAINMENT=cgroup-process)',
  () => {
    it('contain a detached process all the same, in domain job cgroups', () => {
      // The built library in a Node process of its own (the choice is made once per process).
      const src = pathToFileURL(resolve(__dirname, '../../dist/process/index.js')).href;
      const dir = jobDir();
      const program = detacher(dir, 'setsid', 0);
      const code = `const { runProgram, containmentSupport } = await import(${JSON.stringify(src)});
      const r = await runProgram({ program: ${JSON.stringify(program)}, cwd: ${JSON.stringify(dir)} });
      const s = containmentSupport();
      console.log(JSON.stringify({ containment: r.containment, threaded: s.threaded, leftovers: r.leftoverPids }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
        encoding: 'utf8',
        env: { ...process.env, CCP4I2_CONTAINMENT: 'cgroup-process' },
      });
      const out = JSON.parse(r.stdout.trim()) as {
        containment: string;
        threaded: boolean;
        leftovers: number[];
      };
      const [escaped] = readPids(join(dir, 'escaped.txt'));
      expect(out).toEqual({ containment: 'cgroup', threaded: false, leftovers: [escaped] });
      expect(isRunning(escaped!)).toBe(false);
    });
  },
);

describe.each(mechanisms)('with containment by %s, runs behave as before', (mechanism, available) => {
  it.skipIf(!available)('cancel and timeout stop a detached process with the rest of the tree', async () => {
    for (const stop of ['cancel', 'timeout'] as const) {
      const dir = jobDir();
      const prog = script(
        dir,
        'hang.sh',
        ['setsid sleep 1000 & echo $! > escaped.txt', 'echo ready', 'sleep 1000'].join('\n'),
      );
      const ac = new AbortController();
      const r = await runProgram({
        program: prog,
        cwd: dir,
        containment: mechanism,
        forceKillAfterDelay: 200,
        ...(stop === 'cancel'
          ? { cancelSignal: ac.signal, onLine: (l) => l.text === 'ready' && ac.abort() }
          : { timeout: 300 }),
      });
      expect(r.outcome).toBe(stop === 'cancel' ? 'interrupted' : 'timeout');
      expect(r.signal).toBe('SIGTERM');
      const [escaped] = readPids(join(dir, 'escaped.txt'));
      expect(isRunning(escaped!), `${stop}: pid ${escaped} survived`).toBe(false);
    }
  });

  it.skipIf(!available)('exit codes, signals, stdin and the logs are reported exactly', async () => {
    const dir = jobDir();
    writeFileSync(join(dir, 'com.txt'), 'LABIN F=FP\nEND\n');
    const echo = script(dir, 'echo.sh', ['cat', 'echo to-stderr >&2', 'exit 3'].join('\n'));
    const r = await runProgram({ program: echo, cwd: dir, inputFile: 'com.txt', containment: mechanism });
    expect([r.outcome, r.exitCode, r.signal]).toEqual(['failed', 3, null]);
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe('LABIN F=FP\nEND\n');
    expect(readFileSync(join(dir, 'stderr.txt'), 'utf8')).toBe('to-stderr\n');
    expect(r.leftovers).toEqual([]);
    const abort = script(dir, 'abort.sh', 'kill -ABRT $$');
    const s = await runProgram({ program: abort, cwd: dir, containment: mechanism, logFile: 'abort.log' });
    expect([s.outcome, s.exitCode, s.signal]).toEqual(['signalled', null, 'SIGABRT']);
  });
});

describe.skipIf(cgroup.mechanism !== 'cgroup')('cgroup containment', () => {
  it('also stops a detached process that cleared its environment', async () => {
    const dir = jobDir();
    const prog = script(
      dir,
      'clean.sh',
      [
        'env -i setsid sleep 1000 & echo $! > escaped.txt',
        'until [ "$(cat /proc/$(cat escaped.txt)/comm 2>/dev/null)" = sleep ]; do :; done',
      ].join('\n'),
    );
    const r = await runProgram({ program: prog, cwd: dir });
    const [escaped] = readPids(join(dir, 'escaped.txt'));
    expect(isRunning(escaped!)).toBe(false);
    expect(r.leftovers).toContainEqual({ pid: escaped, command: 'sleep 1000' });
  });
});
