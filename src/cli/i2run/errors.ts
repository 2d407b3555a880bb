import { Ccp4Error, type ErrorLocation } from '../../errors/ccp4-error.js';

/** Error class of the i2run command line (its codes are listed in docs/i2run.md). */
export const I2RUN_CLASS = 'i2run';

export const I2RUN_ERRORS = {
  1: 'Usage error',
  2: 'Unknown parameter',
  3: 'Ambiguous parameter name',
  4: 'Bad value for a parameter',
  5: 'Parameter needs a value',
  6: 'Not a parameter (a container)',
  7: 'Unknown sub-field of a parameter',
  8: 'Project directory unusable',
  10: 'Column labels cannot be imported',
} as const;

export type I2runErrorCode = keyof typeof I2RUN_ERRORS;

/** Codes that are usage errors (exit 2) rather than invalid values (exit 1). */
const USAGE: ReadonlySet<number> = new Set([1, 2, 3, 5, 6, 7, 8, 10]);

export function i2runError(
  code: I2runErrorCode,
  message: string,
  more: ErrorLocation & { details?: string; cause?: unknown } = {},
): Ccp4Error {
  return new Ccp4Error({ className: I2RUN_CLASS, code, message, ...more });
}

/** Exit status for a Ccp4Error raised before the job runs: 2 for usage and unreadable input, else 1. */
export function exitCodeOf(e: Ccp4Error): number {
  if (e.className === I2RUN_CLASS) return USAGE.has(e.code) ? 2 : 1;
  return 2;
}

/** The exit statuses of i2run. */
export const EXIT = { SUCCEEDED: 0, FAILED: 1, USAGE: 2, INTERRUPTED: 130 } as const;
