import { JobDatabase, type JobRecord, JobStatus, type ProjectRecord, thisRunner } from '../../db/index.js';
import { claimJobDirectory, JobService } from '../../jobs/index.js';
import type { TaskRegistry } from '../../plugins/index.js';
import type { I2runArgs } from './argv.js';
import { nextJobNumber, type ProjectLayout } from './project.js';

/** i2run's job as the database has it: the project, the Pending row, and the service that runs it. */
export interface Registration {
  db: JobDatabase;
  service: JobService;
  project: ProjectRecord;
  job: JobRecord;
}

/** The job database of --db, $CCP4I2_DB or the per-user default (a coded error naming the file when unusable). */
export function openJobDatabase(args: I2runArgs): JobDatabase {
  return JobDatabase.open(args.db);
}

/**
 * With --project_name but no --project_path, a project the database already knows is used where it is
 * (CCP4i2's i2run): the directory to use, or undefined.
 */
export function knownProjectPath(db: JobDatabase, args: I2runArgs): string | undefined {
  if (args.projectName === undefined || args.projectPath !== undefined) return undefined;
  return db.projects.get(args.projectName)?.directory;
}

/**
 * Registers the project (when new) and a Pending job in it. The number comes from the database in the
 * same transaction that claims CCP4_JOBS/job_N, so concurrent i2runs never share one; a job_N made
 * without the database is skipped. Jobs of the project whose runner died are marked Failed first.
 */
export async function registerJob(
  db: JobDatabase,
  layout: ProjectLayout,
  taskName: string,
  registry: TaskRegistry,
): Promise<Registration> {
  const project = db.projects.ensureAt(layout.name, layout.directory, nextJobNumber(layout) - 1);
  const service = new JobService({ db, registry });
  await service.reconcile(project.id);
  // The row names this process as its runner from the start: an i2run killed before its job started
  // leaves a Pending job that crash recovery can still see is dead.
  const runner = thisRunner();
  const job = db.transaction('registering the job', () => {
    const row = db.jobs.create({ projectId: project.id, taskName, status: JobStatus.PENDING }, (n) =>
      claimJobDirectory(project, n),
    );
    const patch = {
      host: runner.host,
      pid: runner.pid,
      pidStartTime: runner.pidStartTime,
      externalId: String(runner.pid),
    };
    db.jobs.update(row.id, patch);
    return { ...row, ...patch };
  });
  return { db, service, project, job };
}
