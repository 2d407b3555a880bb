import { readFileSync } from 'node:fs';
import { ProcessErrorCode, processError } from './errors.js';

/**
 * The only way this library sends signals. `process.kill` with 0, 1, -1 or the caller's own group id
 * signals the caller itself (or every process the user owns), so a pid that came from a file, /proc or
 * a test helper's parse (`Number('') === 0`) could kill the runner: such targets are refused with an
 * internal error instead of being signalled.
 */

/** The caller's process group id (Linux: field 5 of /proc/self/stat); undefined where /proc is absent. */
function ownProcessGroup(): number | undefined {
  try {
    const text = readFileSync('/proc/self/stat', 'latin1');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const pgid = Number(f[2]);
    return Number.isInteger(pgid) && pgid > 0 ? pgid : undefined;
  } catch {
    return undefined;
  }
}

/** Why `target` (a pid, or a negative process group id) must never be signalled; undefined when it may be. */
export function unsafeSignalTarget(target: number): string | undefined {
  if (!Number.isSafeInteger(target)) return `not an integer pid (${String(target)})`;
  const id = Math.abs(target);
  if (id === 0) return 'pid 0 is the caller’s own process group';
  if (id === 1) return target > 0 ? 'pid 1 is init' : 'group -1 is every process of the user';
  if (target === process.pid) return 'the caller itself';
  if (target < 0 && (id === process.pid || id === ownProcessGroup())) return 'the caller’s own process group';
  return undefined;
}

/**
 * Sends `signal` (or 0 to probe) to a validated pid or negative group id. True when it was delivered,
 * false when the target no longer exists (ESRCH) or is not ours (EPERM). An unsafe target is a coded
 * internal error (ProcessRunner 101), never a signal.
 */
export function sendSignal(target: number, signal: NodeJS.Signals | 0): boolean {
  const why = unsafeSignalTarget(target);
  if (why !== undefined) {
    throw processError(ProcessErrorCode.INVALID_OPTION, `Refusing to signal ${String(target)}: ${why}`, {
      objectPath: 'signal target',
    });
  }
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}
