import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { containmentSupport, settleWarmUp, warmUpContainment } from '../../src/process/containment.js';
import { runProgram } from '../../src/process/index.js';
import { isRunning, jobDir, readPids, script } from './helpers.js';

// i2run warms the kernel's cgroup migration lock up while it prepares its job (process/cgroup.ts): no-op
// migrations of Node into its own cgroup, written on the thread pool. They must never undo a spawn's move:
// programs started while they are in flight are born in their job's cgroup all the same.
// Warming matters where the whole process moves: forced here (decided at the first run of this process)
// where job cgroups would otherwise be threaded (only the main thread moves, which needs no warming).
const given = process.env.CCP4I2_CONTAINMENT;
process.env.CCP4I2_CONTAINMENT = 'cgroup-process';
afterAll(() => {
  if (given === undefined) delete process.env.CCP4I2_CONTAINMENT;
  else process.env.CCP4I2_CONTAINMENT = given;
});
const ownCgroup = () => readFileSync('/proc/self/cgroup', 'utf8');
const before = ownCgroup();
const cgroup = containmentSupport();
if (cgroup.mechanism !== 'cgroup') console.warn(`cgroup containment not available here: ${cgroup.reason}`);

describe.skipIf(cgroup.mechanism !== 'cgroup')('warming the cgroup migration lock up', () => {
  it('moves this process nowhere', async () => {
    warmUpContainment();
    for (let i = 0; i < 10; i++) {
      await sleep(3);
      warmUpContainment(); // a kick: a write at once unless one is in flight
      expect(ownCgroup()).toBe(before);
    }
    await settleWarmUp();
    expect(ownCgroup()).toBe(before);
  });

  it('leaves programs started meanwhile in their job cgroups, with what they leave behind', async () => {
    warmUpContainment();
    expect(settleWarmUp()).toBeInstanceOf(Promise); // a write is in flight as the runs start
    const dirs = Array.from({ length: 4 }, () => jobDir());
    const runs = dirs.map((dir) =>
      runProgram({
        program: script(dir, 'where.sh', 'cat /proc/self/cgroup; setsid sleep 1000 & echo $! > escaped.txt'),
        cwd: dir,
      }),
    );
    for (const [i, r] of (await Promise.all(runs)).entries()) {
      expect(r.containment).toBe('cgroup');
      expect(readFileSync(join(dirs[i]!, 'log.txt'), 'utf8')).toMatch(
        new RegExp(`/ccp4i2-${process.pid}/job-\\d+\n`),
      );
      const [escaped] = readPids(join(dirs[i]!, 'escaped.txt'));
      expect(isRunning(escaped!), `pid ${escaped} outlived its job`).toBe(false);
      expect(r.leftoverPids).toContain(escaped);
    }
    expect(ownCgroup()).toBe(before);
    // After the first spawn there is nothing more to warm: no write is made.
    warmUpContainment();
    expect(settleWarmUp()).toBeUndefined();
  });
});
