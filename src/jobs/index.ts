// The job service and its executors (docs/database.md). Above db, reports and plugins; below cli, server.
export { BUILTIN_EXECUTORS, type BuiltinExecutorOptions, loadBuiltinExecutor } from './builtin-executors.js';
export type { DeadJob, Executor, ExecutorState, RecoveredJob, RunSpec, Submission } from './executor.js';
export { LocalExecutor, type LocalExecutorOptions } from './executors/local.js';
export { type ImportResult, importProject, recordJobDirectory } from './import.js';
export { JOB_ID_ENV, jobLeftovers, stopJobLeftovers } from './orphans.js';
export { jobDirectoryMissing } from './path-watch.js';
export { claimJobDirectory, IMPORTED_DIR, JOBS_DIR, jobsDirectory } from './project-dirs.js';
export {
  type RunDefaults,
  type RunDefaultsPatch,
  runDefaults,
  SLURM_DEFAULT_KEYS,
  setRunDefaults,
} from './run-defaults.js';
export {
  type CreateJobOptions,
  JobService,
  type JobServiceOptions,
  type RunOptions as JobRunOptions,
} from './service.js';
