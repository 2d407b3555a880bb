import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectRecord } from '../db/index.js';
import { dbError } from '../db/index.js';

/** CCP4i2's project layout: jobs in CCP4_JOBS/job_N, imported files in CCP4_IMPORTED_FILES. */
export const JOBS_DIR = 'CCP4_JOBS';
export const IMPORTED_DIR = 'CCP4_IMPORTED_FILES';

export function jobsDirectory(project: ProjectRecord): string {
  return join(project.directory, JOBS_DIR);
}

/**
 * Claims `CCP4_JOBS/job_N` (exclusive mkdir) for a new job numbered N; undefined when it exists already
 * (made outside the database, e.g. by an older i2run), so that the next number is tried.
 */
export function claimJobDirectory(project: ProjectRecord, n: number): string | undefined {
  if (!existsSync(project.directory))
    throw dbError(14, `the project directory of '${project.name}' is missing`, { file: project.directory });
  const jobs = jobsDirectory(project);
  const dir = join(jobs, `job_${n}`);
  try {
    mkdirSync(jobs, { recursive: true });
    mkdirSync(dir);
    return dir;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw dbError(2, `cannot create the job directory: ${(e as NodeJS.ErrnoException).code}`, { file: dir });
  }
}
