import { Ccp4Error, type ErrorLocation } from '../../errors/ccp4-error.js';

/** Class name under which the SLURM client's codes are defined (CCP4i2 error codes are per class). */
export const SLURM_CLASS = 'SlurmClient';

/**
 * The SLURM client's error table. 101-105: the job was never queued (nothing to follow); 106-112: how a
 * queued job ended when it did not succeed.
 */
export const SLURM_ERROR_CODES = {
  101: 'Invalid SLURM option',
  102: 'SLURM command not found',
  103: 'SLURM rejected the job',
  104: 'SLURM controller not reachable',
  105: 'Job directory cannot hold the batch files',
  106: 'Job exited with a non-zero code',
  107: 'Job was killed by a signal',
  108: 'Job exceeded its time limit',
  109: 'Job was cancelled',
  110: 'Job failed in SLURM (node failure, out of memory, preemption)',
  111: 'Job ended without writing its status file',
  112: 'Unexpected output from a SLURM command',
} as const;

export type SlurmErrorCode = keyof typeof SLURM_ERROR_CODES;

export const SlurmErrorCode = {
  INVALID_OPTION: 101,
  COMMAND_NOT_FOUND: 102,
  REJECTED: 103,
  CONTROLLER_DOWN: 104,
  JOB_DIRECTORY: 105,
  NON_ZERO_EXIT: 106,
  KILLED_BY_SIGNAL: 107,
  TIME_LIMIT: 108,
  CANCELLED: 109,
  SLURM_FAILURE: 110,
  NO_STATUS_FILE: 111,
  BAD_OUTPUT: 112,
} as const satisfies Record<string, SlurmErrorCode>;

export function slurmError(
  code: SlurmErrorCode,
  message: string,
  where: ErrorLocation & { details?: string; cause?: unknown } = {},
): Ccp4Error {
  return new Ccp4Error({ className: SLURM_CLASS, code, message, ...where });
}
