import { type Ccp4Error, isCcp4Error } from '../../errors/ccp4-error.js';
import { Severity } from '../../errors/severity.js';
import { type CErrorReport, type ErrorEntry, formatEntry } from '../../report/index.js';
import { exitCodeOf } from './errors.js';
import type { StatusStream } from './status.js';

/** Where i2run runs and writes: the user's directory, the two output streams, interrupt handling. */
export interface I2runIo {
  cwd: string;
  stdout: StatusStream;
  stderr: StatusStream;
  /** Registers Ctrl-C / SIGTERM handling; returns the function that removes it. */
  onInterrupt?: (handler: () => void) => () => void;
}

/** Ctrl-C seen so far, and what it should stop once a job runs. */
export interface InterruptState {
  count: number;
  onInterrupt?: () => void;
  /** Set once the job's (or dry run's) result has been printed (so --json prints one result). */
  resultPrinted?: boolean;
}

/** With --json, the errors printed before a job ran are also collected here, for the JSON result. */
const collected = new WeakMap<I2runIo, ErrorEntry[]>();

/** Starts collecting the errors `fail` and `printReport` print on `io` (for --json). */
export function collectErrors(io: I2runIo): ErrorEntry[] {
  const list: ErrorEntry[] = [];
  collected.set(io, list);
  return list;
}

export const print = (s: StatusStream, text: string) => s.write(text.endsWith('\n') ? text : `${text}\n`);

/** An error report on stderr (warnings and worse), under a heading; returns `code`. */
export function printReport(io: I2runIo, report: CErrorReport, what: string, code: number): number {
  const shown = report.entries.filter((e) => e.severity >= Severity.WARNING);
  collected.get(io)?.push(...shown);
  const lines = shown.map(formatEntry);
  print(io.stderr, `i2run: ${what}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  return code;
}

/** A Ccp4Error on stderr with its details; returns its exit status. Anything else is a bug: rethrown. */
export function fail(io: I2runIo, e: unknown): number {
  if (isCcp4Error(e)) {
    collected.get(io)?.push({
      className: e.className,
      code: e.code,
      severity: e.severity,
      description: e.message,
      details: e.details ?? '',
      objectPath: e.objectPath ?? '',
      ...(e.file ? { file: e.file } : {}),
      time: new Date().toISOString(),
    });
    print(io.stderr, `i2run: error: ${(e as Ccp4Error).describe()}${e.details ? `\n  ${e.details}` : ''}`);
    return exitCodeOf(e);
  }
  throw e;
}
