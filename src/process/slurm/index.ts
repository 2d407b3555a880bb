// SLURM client of the process layer: submit, follow, cancel. See docs/slurm.md.
export { BATCH_FILES, BATCH_SCRIPT, type BatchCommand, writeBatchFiles } from './batch-script.js';
export { type CommandOptions, runSlurmCommand, type SlurmCommand } from './commands.js';
export { SLURM_CLASS, SLURM_ERROR_CODES, SlurmErrorCode, slurmError } from './errors.js';
export { directoriesBeingSubmitted, slurmJobsByDirectory } from './find.js';
export {
  type FollowedJob,
  type FollowOptions,
  type MonitorOptions,
  type SlurmJobState,
  SlurmMonitor,
} from './monitor.js';
export { type SlurmJobOptions, sbatchOptionArgs } from './options.js';
export { jobResult, type SlurmJobResult, type SlurmOutcome } from './outcome.js';
export { findJobcompRecord, isFinalState, SLURM_JOB_ID, type SlurmRecord } from './records.js';
export { type JobStatusFile, parseStatusFile, readStatusFile } from './status-file.js';
export { type SubmitRequest, type SubmittedJob, sbatchArgs, submitJob } from './submit.js';
