import { Ccp4Error, type ErrorLocation } from '../errors/ccp4-error.js';

/** Class name under which the process layer's codes are defined (CCP4i2 error codes are per class). */
export const PROCESS_CLASS = 'ProcessRunner';

/**
 * The process layer's error table, in the style of CCP4i2's ERROR_CODES. Codes 101-106 mean the program
 * never started; 107-111 describe how a started program ended.
 */
export const PROCESS_ERROR_CODES = {
  101: 'Invalid option',
  102: 'Program not found',
  103: 'Working directory missing or not a directory',
  104: 'Working directory not writable',
  105: 'Standard input file cannot be read',
  106: 'Program could not be started',
  107: 'Program exited with a non-zero code',
  108: 'Program was killed by a signal',
  109: 'Program timed out and was killed',
  110: 'Program was interrupted',
  111: 'Program output could not be written',
} as const;

export type ProcessErrorCode = keyof typeof PROCESS_ERROR_CODES;

export const ProcessErrorCode = {
  INVALID_OPTION: 101,
  PROGRAM_NOT_FOUND: 102,
  CWD_INVALID: 103,
  CWD_NOT_WRITABLE: 104,
  STDIN_UNREADABLE: 105,
  SPAWN_FAILED: 106,
  NON_ZERO_EXIT: 107,
  KILLED_BY_SIGNAL: 108,
  TIMEOUT: 109,
  INTERRUPTED: 110,
  OUTPUT_FAILED: 111,
} as const satisfies Record<string, ProcessErrorCode>;

export function processError(
  code: ProcessErrorCode,
  message: string,
  where: ErrorLocation & { details?: string; cause?: unknown } = {},
): Ccp4Error {
  return new Ccp4Error({ className: PROCESS_CLASS, code, message, ...where });
}
