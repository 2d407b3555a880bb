import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  it('is removed when the run ends', async () => {
    const dir = jobDir();
    const r = await runProgram({ program: detacher(dir, 'setsid', 0), cwd: dir });
    expect(r.containment).toBe('cgroup');
    expect(cgroup.root && existsSync(cgroup.root)).toBeTruthy();
    // Only job cgroups of runs still going may exist under this process's directory.
    const left = readFileSync('/proc/self/cgroup', 'utf8');
    expect(left).not.toContain('ccp4i2-job');
  });
});
