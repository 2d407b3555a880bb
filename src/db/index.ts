// The projects and jobs database (docs/database.md). Above plugins, below jobs, cli and server.
export { CACHE_KEY_VERSION, cacheKey, cacheKeyMaterial, KEY_CONTAINERS } from './cache-key.js';
export { type FileFacts, fileFacts } from './checksum.js';
export { Connection, type OpenOptions } from './connection.js';
export { JobDatabase } from './database.js';
export { DB_CLASS, DB_ERROR_CODES, type DbErrorCode, dbError } from './errors.js';
export type { NewFile } from './files.js';
export type { JobPatch, ListFilter, NewJob } from './jobs.js';
export { DB_ENV, databasePath } from './location.js';
export { type RecorderOptions, recordInputFiles, recordJob, recordOutputFiles } from './recorder.js';
export type { FileRecord, FileUseRecord, Iso, JobRecord, JobValueRecord, ProjectRecord } from './records.js';
export { recordReports } from './reports.js';
export { type RunnerIdentity, runnerAlive, thisRunner } from './runner.js';
export {
  ACTIVE_STATUSES,
  isTerminal,
  JOB_STATUS_NAMES,
  JobStatus,
  jobStatusName,
  parseJobStatus,
  statusFromPlugin,
  TERMINAL_STATUSES,
} from './status.js';
