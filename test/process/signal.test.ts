import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCcp4Error } from '../../src/errors/ccp4-error.js';
import { sendSignal, unsafeSignalTarget } from '../../src/process/signal.js';
import { isRunning, waitFor } from './helpers.js';

const ownGroup = Number(readFileSync('/proc/self/stat', 'latin1').split(') ')[1]!.split(' ')[2]);

function refused(target: number): unknown {
  try {
    sendSignal(target, 'SIGKILL');
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('sendSignal never signals the caller', () => {
  it.each([
    ['pid 0', 0],
    ['-0', -0],
    ['pid 1', 1],
    ['group -1', -1],
    ['NaN (Number of an empty string is 0, of junk NaN)', Number.NaN],
    ['a fraction', 2.5],
    ['our own pid', process.pid],
    ['our own process group', -ownGroup],
    ['minus our own pid', -process.pid],
  ])('refuses %s with a coded error', (_name, target) => {
    expect(unsafeSignalTarget(target)).toBeDefined();
    const e = refused(target);
    expect(isCcp4Error(e) && e.className === 'ProcessRunner' && e.code === 101).toBe(true);
  });

  it('signals a real child and its group, and says false once it is gone', async () => {
    const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    const pid = child.pid!;
    expect(unsafeSignalTarget(pid)).toBeUndefined();
    expect(sendSignal(pid, 0)).toBe(true);
    expect(sendSignal(-pid, 'SIGKILL')).toBe(true);
    await new Promise((r) => child.once('close', r));
    await waitFor(() => !isRunning(pid));
    expect(sendSignal(pid, 0)).toBe(false);
  });
});
