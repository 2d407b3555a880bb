import type { JobDatabase, JobRecord, ProjectRecord } from '../db/index.js';
import { JobStatus } from '../db/status.js';
import type { TaskRegistry } from '../plugins/index.js';
import { diagnosticOf, recordJobDirectory } from './import.js';

/**
 * Records what an ended job whose runner wrote no database (a SLURM node) left in its directory: its
 * files, sub-jobs, values and report (src/jobs/import.ts), in a savepoint of the caller's transaction. A
 * directory that cannot be read leaves the status recorded and says why in the diagnostic. A job that did
 * not finish gets its diagnostic.xml's first entries, then the executor's account (`detail`).
 */
export function recordDirectory(
  db: JobDatabase,
  registry: TaskRegistry,
  project: ProjectRecord,
  job: JobRecord,
  detail: string | undefined,
): void {
  let problems: string[];
  try {
    problems = db.transaction(`recording the outputs of job ${job.number}`, () =>
      recordJobDirectory(db, project, job, registry).skipped.map((s) => `${s.directory}: ${s.reason}`),
    );
  } catch (e) {
    problems = [`its outputs could not be recorded: ${e instanceof Error ? e.message : String(e)}`];
  }
  const own = job.status === JobStatus.FINISHED ? null : diagnosticOf(job.directory);
  const text = [own, detail, ...problems].filter((x) => !!x).join('\n');
  db.jobs.update(job.id, { diagnostic: text || null });
}
