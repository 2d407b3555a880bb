import type { Ccp4Error } from '../../errors/ccp4-error.js';
import { BATCH_FILES } from './batch-script.js';
import { SlurmErrorCode, slurmError } from './errors.js';
import type { SlurmRecord } from './records.js';
import type { JobStatusFile } from './status-file.js';

/** How a SLURM job ended, in the process layer's words (RunOutcome without 'not-started'). */
export type SlurmOutcome = 'succeeded' | 'failed' | 'signalled' | 'timeout' | 'interrupted';

export interface SlurmJobResult {
  jobId: string;
  jobDirectory: string;
  outcome: SlurmOutcome;
  /** The command's exit code from the status file; null when it did not exit normally or is unknown. */
  exitCode: number | null;
  /** The signal number that killed the command (status file, else SLURM's ExitCode); null otherwise. */
  signal: number | null;
  /** SLURM's final view of the job, when any source still knew it. */
  slurm?: SlurmRecord;
  /** What the batch script recorded, when it wrote anything. */
  status?: JobStatusFile;
  /** Whether the coordinator asked for the cancel (otherwise a CANCELLED job was cancelled outside). */
  cancelledByCoordinator: boolean;
  /** Why the job did not succeed; absent exactly when outcome is 'succeeded'. */
  error?: Ccp4Error;
}

function describeSlurm(r: SlurmRecord | undefined): string {
  if (!r) return 'no SLURM record (squeue no longer lists the job)';
  const exit = r.exitCode !== undefined ? `, ExitCode ${r.exitCode}:${r.exitSignal ?? 0}` : '';
  const reason = r.reason && r.reason !== 'None' ? `, reason ${r.reason}` : '';
  return `SLURM state ${r.state}${exit}${reason} (from ${r.source})`;
}

/**
 * The result of a job SLURM has finished with, from SLURM's final state and the status file. SLURM
 * decides for cancel, time limit and its own failures (the script may have been SIGKILLed before writing
 * anything); otherwise the status file says how the command ended, and its absence is a failure whose
 * diagnostic says so.
 */
export function jobResult(
  jobId: string,
  jobDirectory: string,
  slurm: SlurmRecord | undefined,
  status: JobStatusFile | undefined,
  cancelledByCoordinator: boolean,
): SlurmJobResult {
  const ended = status?.state === 'ended' ? status : undefined;
  const base = {
    jobId,
    jobDirectory,
    slurm,
    status,
    cancelledByCoordinator,
    exitCode: ended?.exitCode ?? null,
    signal: ended?.signal ?? (slurm?.exitSignal ? slurm.exitSignal : null),
  };
  const where = { file: jobDirectory, objectPath: `SLURM job ${jobId}`, details: describeSlurm(slurm) };
  const fail = (outcome: SlurmOutcome, error: Ccp4Error): SlurmJobResult => ({ ...base, outcome, error });
  switch (slurm?.state) {
    case 'CANCELLED':
      return fail(
        'interrupted',
        slurmError(
          SlurmErrorCode.CANCELLED,
          cancelledByCoordinator
            ? `SLURM job ${jobId} was cancelled`
            : `SLURM job ${jobId} was cancelled outside ccp4i2 (scancel by a user or an administrator)`,
          where,
        ),
      );
    case 'TIMEOUT':
    case 'DEADLINE':
      return fail(
        'timeout',
        slurmError(SlurmErrorCode.TIME_LIMIT, `SLURM job ${jobId} was killed at its time limit`, where),
      );
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
    case 'OUT_OF_MEMORY':
    case 'PREEMPTED':
    case 'REVOKED':
    case 'SPECIAL_EXIT': {
      const what =
        slurm.state === 'OUT_OF_MEMORY'
          ? 'ran out of memory'
          : slurm.state === 'PREEMPTED'
            ? 'was preempted'
            : `failed in SLURM (${slurm.state}${slurm.nodes ? ` on ${slurm.nodes}` : ''})`;
      return fail('failed', slurmError(SlurmErrorCode.SLURM_FAILURE, `SLURM job ${jobId} ${what}`, where));
    }
  }
  if (ended?.exitCode === 0) return { ...base, outcome: 'succeeded' };
  if (ended?.exitCode !== undefined) {
    return fail(
      'failed',
      slurmError(
        SlurmErrorCode.NON_ZERO_EXIT,
        ended.error
          ? `SLURM job ${jobId}: ${ended.error}`
          : `SLURM job ${jobId}: the command exited with code ${ended.exitCode}`,
        where,
      ),
    );
  }
  if (ended?.signal !== undefined) {
    return fail(
      'signalled',
      slurmError(
        SlurmErrorCode.KILLED_BY_SIGNAL,
        `SLURM job ${jobId}: the command was killed by signal ${ended.signal}`,
        where,
      ),
    );
  }
  if (ended) {
    return fail(
      'failed',
      slurmError(
        SlurmErrorCode.NON_ZERO_EXIT,
        `SLURM job ${jobId}: the batch script reported ${ended.error ?? 'no exit code'}`,
        where,
      ),
    );
  }
  const started = status?.state === 'running' ? ` after it started on ${status.node ?? 'its node'}` : '';
  return fail(
    'failed',
    slurmError(
      SlurmErrorCode.NO_STATUS_FILE,
      `SLURM job ${jobId} ended without writing ${BATCH_FILES.status}${started}: the node may have crashed or the batch script was killed; ${describeSlurm(slurm)}`,
      where,
    ),
  );
}
