import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JobDatabase, type JobRecord, JobStatus, type ProjectRecord, thisRunner } from '../../db/index.js';
import { claimJobDirectory, JobService } from '../../jobs/index.js';
import type { TaskRegistry } from '../../plugins/index.js';
import type { I2runArgs } from './argv.js';
import { ensureProject, nextJobNumber, type ProjectLayout, releaseJob } from './project.js';

/** i2run's job as the database has it: the project, the Pending row, and the service that runs it. */
export interface Registration {
  db: JobDatabase;
  service: JobService;
  project: ProjectRecord;
  job: JobRecord;
  layout: ProjectLayout;
  /** What this registration made (taken back by `unregisterJob` when the job never runs). */
  made: { projectRow: boolean; directories: string[] };
}

/**
 * When this process started: a project row made since then came with this i2run or one running beside it.
 * (performance.timeOrigin would load Node's perf_hooks: ~1 ms of start-up.)
 */
const PROCESS_START_MS = Math.floor(Date.now() - process.uptime() * 1000);
const PROCESS_START = new Date(PROCESS_START_MS).toISOString();

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
 * without the database is skipped. Jobs of the project whose runner died are marked Failed first. The
 * project's folders are made in that transaction too, so that an i2run taking back what it made
 * (`unregisterJob`, in the same lock) never removes them between another one's steps.
 */
export async function registerJob(
  db: JobDatabase,
  layout: ProjectLayout,
  taskName: string,
  registry: TaskRegistry,
): Promise<Registration> {
  const service = new JobService({ db, registry });
  const known = db.projects.byDirectory(layout.directory);
  if (known) await service.reconcile(known.id);
  // The row names this process as its runner from the start: an i2run killed before its job started
  // leaves a Pending job that crash recovery can still see is dead.
  const runner = thisRunner();
  return db.transaction('registering the job', () => {
    const directories = ensureProject(layout);
    const existing = db.projects.byDirectory(layout.directory);
    const project =
      existing ?? db.projects.ensureAt(layout.name, layout.directory, nextJobNumber(layout) - 1);
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
    return {
      db,
      service,
      project,
      job: { ...row, ...patch },
      layout,
      made: { projectRow: existing === undefined, directories },
    };
  });
}

/**
 * Takes back a registration whose job never ran (refused parameters, Ctrl-C before it started): its row
 * and directory; then, when no job of the project exists by now, the project row if it is new (made by
 * this i2run, or by another one since this one started: i2runs refusing at once leave nothing either),
 * with i2run's own folders of it, and the folders this i2run made — each only when empty, after the
 * columns imported for the refused job. One write transaction, as registration: a concurrent i2run
 * registers into the project before it (and so keeps it) or after it (and makes it again).
 */
export function unregisterJob(reg: Registration): void {
  const { db, job, project, made, layout } = reg;
  db.transaction('taking back a job that never ran', () => {
    db.jobs.delete(job.id);
    releaseJob(job.directory);
    if (db.jobs.list({ projectId: project.id }).length > 0) return;
    const fresh = made.projectRow || project.created >= PROCESS_START;
    if (fresh) db.projects.delete(project.id);
    const dirs = new Set([...(fresh ? layout.ownDirectories : []), ...made.directories]);
    // Columns imported for the refused job (no job of the project can be using them); never a file from
    // before this i2run started (a project directory whose database was lost keeps all of its files).
    if (dirs.has(layout.importedDirectory)) removeFilesSince(layout.importedDirectory, PROCESS_START_MS);
    // deepest first: a directory's path is longer than its parent's
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) releaseJob(d);
  });
}

/** Removes the regular files directly in `dir` modified since `sinceMs` (none when it is gone). */
function removeFilesSince(dir: string, sinceMs: number): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const f of entries) {
    const path = join(dir, f.name);
    if (f.isFile() && (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= sinceMs)
      rmSync(path, { force: true });
  }
}
