// The projects and jobs database (docs/database.md). Above plugins, below jobs, cli and server.
// core.ts is the database without the job recorder (the rows); this adds what records running plugins.
export {
  CACHE_KEY_VERSION,
  type ChecksumOf,
  cacheKey,
  cacheKeyMaterial,
  KEY_CONTAINERS,
  keyOfMaterial,
} from './cache-key.js';
export { type FileFacts, fileFacts } from './checksum.js';
export * from './core.js';
export type { NewFile } from './files.js';
export type { JobPatch, NewJob } from './jobs.js';
export {
  diagnosticText,
  jobTitle,
  type RecorderOptions,
  recordInputFiles,
  recordJob,
  recordOutputFiles,
} from './recorder.js';
export { recordReports, storeReport } from './reports.js';
export { type RunnerIdentity, runnerAlive, thisRunner } from './runner.js';
