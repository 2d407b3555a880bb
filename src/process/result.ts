import type { Ccp4Error } from '../errors/ccp4-error.js';
import type { ContainmentMechanism } from './cgroup.js';
import { ProcessErrorCode, processError } from './errors.js';

/**
 * How a run ended. `not-started`: the program could not be started (not found, job directory unusable...);
 * `interrupted`: cancelled, while queued or running; `timeout`: killed after its time limit; `signalled`:
 * killed by a signal nobody here sent; `failed`: non-zero exit or output that could not be written.
 */
export type RunOutcome = 'succeeded' | 'failed' | 'signalled' | 'timeout' | 'interrupted' | 'not-started';

export interface RunResult {
  outcome: RunOutcome;
  /** Absolute path of the program run (the name given when it was never found). */
  command: string;
  args: string[];
  cwd: string;
  pid?: number;
  /** Exit code, or null when the program was killed by a signal or never started. */
  exitCode: number | null;
  /** Terminating signal (e.g. SIGKILL), or null. */
  signal: NodeJS.Signals | null;
  /** Milliseconds spent waiting for a free slot. */
  queuedMs: number;
  /** Milliseconds from spawn to the end of the run (all processes gone, logs on disk). */
  durationMs: number;
  logFile: string;
  stderrFile: string;
  stdoutBytes: number;
  stderrBytes: number;
  /** The last few kilobytes of each stream, for messages (the full text is in the files). */
  stdoutTail: string;
  stderrTail: string;
  /** Processes of the job still alive after the program ended, which were stopped. */
  leftoverPids: number[];
  /** The same, with each one's command line as read before it was stopped. */
  leftovers: { pid: number; command: string }[];
  /** How the job's processes were found: its own cgroup, or the /proc process table (see docs/process.md). */
  containment: ContainmentMechanism;
  /** Processes that ignored SIGTERM and had to be SIGKILLed. */
  killedPids: number[];
  /** The first exception thrown by an onLine callback (which was then no longer called). */
  followerError?: unknown;
  /** Why the run did not succeed; absent exactly when outcome is 'succeeded'. */
  error?: Ccp4Error;
}

function lastLine(tail: string): string | undefined {
  const lines = tail.split('\n').filter((l) => l.trim().length > 0);
  return lines.at(-1)?.trim();
}

/** The Ccp4Error describing a finished program's outcome. */
export function outcomeError(r: Omit<RunResult, 'error'>, timeoutMs: number): Ccp4Error | undefined {
  const name = r.command;
  const hint = lastLine(r.stderrTail) ?? lastLine(r.stdoutTail);
  const details = hint ? `last output line: ${hint}` : undefined;
  const where = { file: r.logFile, details };
  switch (r.outcome) {
    case 'failed':
      return processError(ProcessErrorCode.NON_ZERO_EXIT, `${name} exited with code ${r.exitCode}`, where);
    case 'signalled':
      return processError(ProcessErrorCode.KILLED_BY_SIGNAL, `${name} was killed by ${r.signal}`, where);
    case 'timeout':
      return processError(
        ProcessErrorCode.TIMEOUT,
        `${name} did not finish within ${timeoutMs} ms and was killed`,
        where,
      );
    case 'interrupted':
      return processError(
        ProcessErrorCode.INTERRUPTED,
        r.pid === undefined ? `${name} was cancelled before it started` : `${name} was cancelled and stopped`,
        where,
      );
    default:
      return undefined;
  }
}
