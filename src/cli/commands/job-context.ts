import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { JobDatabase, JobRecord, ProjectRecord } from '../../db/index.js';
import { isCcp4Error } from '../../errors/ccp4-error.js';
import type { JobService } from '../../jobs/index.js';

/** Options every database command takes. */
export interface DbOptions {
  db?: string;
  json?: boolean;
  project?: string;
}

/** Adds `--db FILE` and `--json` (and `-p, --project NAME` when `project`) to a command. */
export function dbOptions(c: Command, project = true): Command {
  c.option(
    '--db <file>',
    'the projects and jobs database (default: $CCP4I2_DB, else ~/.ccp4i2-ts/db.sqlite)',
  );
  c.option('--json', 'print the result as JSON');
  if (project)
    c.option(
      '-p, --project <name>',
      'the project (default: the one holding the current directory, or the only one)',
    );
  return c;
}

/** Exit statuses of the database commands (docs/cli.md). */
export const DB_EXIT = { OK: 0, JOB_NOT_FINISHED: 1, INPUT: 2, REFUSED: 3, INTERRUPTED: 130 } as const;

/**
 * Runs a command's action with its database open (closed afterwards). A JobDatabase 12 or 13 error (the
 * job's state refuses the request: cancel of a finished job, delete of a job whose outputs were used) is
 * printed and exits 3; every other coded error goes to the CLI's handler (exit 2).
 */
export async function withDatabase<T>(
  opts: DbOptions,
  fn: (db: JobDatabase) => Promise<T> | T,
): Promise<T | undefined> {
  const { JobDatabase } = await import('../../db/core.js');
  const db = JobDatabase.open(opts.db);
  try {
    return await fn(db);
  } catch (e) {
    if (isCcp4Error(e) && e.className === 'JobDatabase' && (e.code === 12 || e.code === 13)) {
      process.stderr.write(`ccp4i2: ${e.describe()}${e.details ? `\n  ${e.details}` : ''}\n`);
      process.exitCode = DB_EXIT.REFUSED;
      return undefined;
    }
    throw e;
  } finally {
    db.close();
  }
}

/**
 * The project a command is about: `--project NAME`, else the project whose directory holds the current
 * directory, else the only project. Its jobs whose runner died are marked Failed first (crash recovery
 * runs whenever a command opens the database for a project).
 */
export async function resolveProject(db: JobDatabase, name: string | undefined): Promise<ProjectRecord> {
  const { dbError } = await import('../../db/core.js');
  let project: ProjectRecord | undefined;
  if (name !== undefined) project = db.projects.require(name);
  else {
    const cwd = process.cwd();
    const all = db.projects.list();
    project =
      all.find((p) => cwd === p.directory || cwd.startsWith(`${p.directory}/`)) ??
      (all.length === 1 ? all[0] : undefined);
    if (!project)
      throw dbError(11, all.length ? 'which project? give --project NAME' : 'the database has no projects', {
        file: db.file,
        details: all.length
          ? `projects: ${all.map((p) => p.name).join(', ')}`
          : 'i2run or `ccp4i2 projects create` makes one',
      });
  }
  if (!existsSync(project.directory))
    process.stderr.write(
      `ccp4i2: warning: the directory of project ${project.name} is missing: ${project.directory}\n`,
    );
  // Crash recovery, when something may need it (the job service is loaded only then: `jobs list` stays fast).
  const open = db.connection.readonly ? [] : db.jobs.unfinished(project.id);
  if (open.length > 0) {
    const service = await jobService(db);
    try {
      for (const d of await service.reconcile(project.id))
        process.stderr.write(`ccp4i2: job ${d.job.number} marked Failed: ${d.diagnostic}\n`);
      // Jobs whose runner has no database (SLURM nodes) are recorded by whoever looks: their executor is
      // asked once for all of them (one squeue), so the listing is current without a coordinator alive.
      if (open.some((j) => j.executor !== 'local')) await refreshQuietly(service, project.id);
    } finally {
      service.close();
    }
  }
  return project;
}

/**
 * A job service for a command: the task registry with $CCP4I2_TASK_PATH's tasks (to record what a SLURM
 * job produced), every built-in executor reachable (slurm loaded only when a job needs it).
 */
export async function jobService(db: JobDatabase): Promise<JobService> {
  const { JobService } = await import('../../jobs/index.js');
  const { loadRegistry } = await import('../i2run/tasks.js');
  return new JobService({ db, registry: await loadRegistry() });
}

/** A refresh that cannot stop a listing: SLURM not answering is a warning, the rows stay as they were. */
async function refreshQuietly(service: JobService, projectId: string): Promise<void> {
  try {
    await service.refresh(projectId);
  } catch (e) {
    process.stderr.write(
      `ccp4i2: warning: job states not refreshed: ${isCcp4Error(e) ? e.describe() : String(e)}\n`,
    );
  }
}

/** Job `number` of the project (JobDatabase 8, naming it, when absent). */
export function resolveJob(db: JobDatabase, project: ProjectRecord, number: string): JobRecord {
  return db.jobs.require(project.id, number.replace(/^job_/, ''));
}

/** Prints `data` as JSON, or `text()` lines. */
export function output(opts: DbOptions, data: unknown, text: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(data, null, 1)}\n` : text());
}

/** Seconds between two ISO times (to now when `end` is null), or null. */
export function durationSeconds(start: string | null, end: string | null): number | null {
  if (!start) return null;
  return Math.max(0, Math.round(((end ? Date.parse(end) : Date.now()) - Date.parse(start)) / 100) / 10);
}

/** A plain-text table: columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
