// The database without the job recorder: what commands that only read or manage rows need (`ccp4i2 jobs
// list`, `projects`...). Importing db/index.js also loads the recorder, hence the data model and plugin
// runtime it listens to; the build keeps these modules in a chunk of their own (bundle.mjs).
export { Connection, type OpenOptions } from './connection.js';
export { JobDatabase } from './database.js';
export { DB_CLASS, DB_ERROR_CODES, type DbErrorCode, dbError } from './errors.js';
export type { ListFilter } from './jobs.js';
export { DB_ENV, databasePath } from './location.js';
export type { FileRecord, FileUseRecord, Iso, JobRecord, JobValueRecord, ProjectRecord } from './records.js';
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
