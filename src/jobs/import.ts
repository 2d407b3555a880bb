import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readHeader } from '../data/index.js';
import {
  cacheKey,
  dbError,
  diagnosticText,
  type JobDatabase,
  type JobRecord,
  JobStatus,
  jobTitle,
  type ProjectRecord,
  recordInputFiles,
  recordOutputFiles,
  statusFromPlugin,
  storeReport,
} from '../db/index.js';
import { isCcp4Error } from '../errors/ccp4-error.js';
import { CPluginScript, type PluginClass, type TaskRegistry } from '../plugins/index.js';
import { readStatusFile } from '../process/slurm/status-file.js';
import { readDiagnosticXml } from '../report/index.js';
import { REPORT_FILE, readReport } from '../reports/index.js';
import { readXmlFile } from '../xml/index.js';
import { JOBS_DIR } from './project-dirs.js';

export interface ImportResult {
  project: ProjectRecord;
  /** Jobs and sub-jobs recorded now (those already in the database are left as they are). */
  imported: string[];
  /** Job directories that could not be read, with why. */
  skipped: { directory: string; reason: string }[];
}

const mtime = (p: string) => statSync(p).mtime.toISOString();

/** job_N directories below `dir`, in numeric order. */
function jobDirs(dir: string): { n: number; path: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ m: /^job_(\d+)$/.exec(name), path: join(dir, name) }))
    .filter((e) => e.m && statSync(e.path).isDirectory())
    .map((e) => ({ n: Number(e.m![1]), path: e.path }))
    .sort((a, b) => a.n - b.n);
}

/** What importing needs about one project. */
interface ImportContext {
  db: JobDatabase;
  project: ProjectRecord;
  registry: TaskRegistry;
  result: ImportResult;
}

/**
 * `ccp4i2 projects import DIR`: rebuilds a project's records from its job directories (a lost database,
 * a project copied from elsewhere). Each CCP4_JOBS/job_N[/job_M...] with a params.xml (or only an
 * input_params.xml: a job that never ended, recorded Failed) becomes a job row with its task, number,
 * status (guiAdmin's jobStatus; diagnostic.xml means Failed for a task not registered here), times from
 * the files, and — for tasks the registry knows — its input and output files with their uses, as the
 * recorder would have written them. Jobs already recorded are kept.
 */
export function importProject(
  db: JobDatabase,
  directory: string,
  registry: TaskRegistry,
  name?: string,
): ImportResult {
  const dir = resolve(directory);
  if (!existsSync(join(dir, JOBS_DIR)))
    throw dbError(11, `not a CCP4i2 project directory (no ${JOBS_DIR})`, { file: dir });
  const project = db.projects.ensureAt(name ?? basename(dir), dir);
  const ctx: ImportContext = { db, project, registry, result: { project, imported: [], skipped: [] } };
  let last = project.lastJobNumber;
  for (const top of jobDirs(join(dir, JOBS_DIR))) {
    db.transaction(`importing job ${top.n}`, () => importJob(ctx, top.path, String(top.n), null));
    last = Math.max(last, top.n);
  }
  db.projects.raiseLastJobNumber(project.id, last);
  return { ...ctx.result, project: db.projects.require(project.id) };
}

/**
 * Records what a job run where there is no database (a SLURM node) left in its directory, for its
 * existing row (its status already set by the coordinator): its input and output files and their uses,
 * key values, cache key and title from the params.xml the node wrote, its sub-jobs (N.1, N.2... with
 * their own statuses and files), its report.json (the job's and each sub-job's) and, when it did not
 * finish, the first entries of its diagnostic.xml. The same reading as `projects import`, for one job;
 * call it inside a transaction. Returns what could not be read (nothing is thrown for a bad file).
 */
export function recordJobDirectory(
  db: JobDatabase,
  project: ProjectRecord,
  job: JobRecord,
  registry: TaskRegistry,
): ImportResult {
  const ctx: ImportContext = { db, project, registry, result: { project, imported: [], skipped: [] } };
  importJob(ctx, job.directory, job.number, null, job);
  const report = join(job.directory, REPORT_FILE);
  if (existsSync(report)) {
    try {
      storeReport(db, job, readReport(report));
    } catch (e) {
      ctx.result.skipped.push({ directory: job.directory, reason: describe(e) });
    }
  }
  return ctx.result;
}

const describe = (e: unknown) => (isCcp4Error(e) ? e.describe() : String((e as Error)?.message ?? e));

/** The job's plugin loaded from its params file, or why it cannot be (undefined plugin: task unknown here). */
function loadJob(
  ctx: ImportContext,
  path: string,
  number: string,
  file: string,
): { task: string; plugin?: CPluginScript } | { skip: string } {
  let task: string | undefined;
  try {
    task = readHeader(readXmlFile(file)).pluginName?.trim();
  } catch (e) {
    return { skip: `${basename(file)}: ${(e as Error).message}` };
  }
  if (!task) return { skip: `${basename(file)} names no task (pluginName)` };
  const entry = ctx.registry.get(task);
  if (!entry) return { task };
  const C = entry.pluginClass ?? (CPluginScript as PluginClass);
  const plugin = new C({
    registry: ctx.registry,
    defFile: entry.defFile,
    workDirectory: path,
    jobNumber: number,
    paramsFile: file,
    fileContext: { projectDirectory: ctx.project.directory, projectId: ctx.project.name },
  });
  return { task, plugin };
}

/** The first entries of the diagnostic.xml in a job directory (as the recorder writes them), or null. */
export function diagnosticOf(path: string): string | null {
  const file = join(path, 'diagnostic.xml');
  if (!existsSync(file)) return null;
  try {
    return diagnosticText(readDiagnosticXml(file));
  } catch (e) {
    return `diagnostic.xml cannot be read: ${describe(e)}`;
  }
}

/**
 * Imports one job directory and, below it, its sub-jobs. A job already recorded is kept as it is, unless
 * it is `existing` (the row whose directory this is, to be completed: a SLURM job that just ended).
 */
function importJob(
  ctx: ImportContext,
  path: string,
  number: string,
  parent: JobRecord | null,
  existing?: JobRecord,
): void {
  const { db, project, result } = ctx;
  const params = join(path, 'params.xml');
  const input = join(path, 'input_params.xml');
  const file = existsSync(params) ? params : existsSync(input) ? input : undefined;
  let row = existing ?? db.jobs.find(project.id, number);
  let plugin: CPluginScript | undefined;
  const fresh = existing !== undefined || !row;
  if (fresh) {
    if (!file) {
      result.skipped.push({ directory: path, reason: 'no params.xml or input_params.xml' });
      if (!row) return;
    }
    const loaded = file ? loadJob(ctx, path, number, file) : { skip: '' };
    if ('skip' in loaded) {
      if (loaded.skip) result.skipped.push({ directory: path, reason: loaded.skip });
      if (!row) return;
    } else plugin = loaded.plugin;
    const ended = file === params;
    if (!row) {
      const pluginStatus = plugin?.guiAdmin?.content('jobStatus');
      const status = !ended
        ? JobStatus.FAILED
        : pluginStatus?.isSet()
          ? statusFromPlugin(Number(pluginStatus.get()))
          : existsSync(join(path, 'diagnostic.xml'))
            ? JobStatus.FAILED
            : JobStatus.FINISHED;
      const ran = parent ? ranLike(parent) : ranIn(path);
      row = db.jobs.create({
        projectId: project.id,
        taskName: 'task' in loaded ? loaded.task : '',
        number,
        parentId: parent?.id ?? null,
        directory: path,
        status,
        executor: ran.executor,
      });
      db.jobs.update(row.id, {
        externalId: ran.externalId,
        host: ran.host,
        started: mtime(existsSync(input) ? input : path),
        finished: ended ? mtime(params) : undefined,
        diagnostic: ended
          ? (diagnosticOf(path) ?? undefined)
          : 'rebuilt from its directory: it left no params.xml (it never ended)',
      });
    }
    if (plugin) {
      db.jobs.update(row.id, {
        cacheKey: cacheKey(plugin),
        title: jobTitle(plugin) ?? row.title,
        taskVersion: row.taskVersion ?? taskVersionOf(plugin),
      });
      recordInputFiles(db, project.id, row.id, plugin);
    }
    result.imported.push(number);
  }
  for (const sub of jobDirs(path)) importJob(ctx, sub.path, `${number}.${sub.n}`, row!);
  // after its sub-jobs: a pipeline's outputs are often its steps' files
  if (plugin && fresh && db.jobs.get(row!.id)?.status === JobStatus.FINISHED)
    recordOutputFiles(db, project.id, row!.id, plugin);
}

/** Where a job ran, as recorded. */
interface Ran {
  executor?: string;
  externalId?: string;
  host?: string;
}

/**
 * A sub-job ran where its pipeline did: in the same SLURM job (executor, SLURM job id and coordinator
 * host as its parent's), or in the same local runner.
 */
function ranLike(parent: JobRecord): Ran {
  if (parent.executor === 'local') return {};
  return {
    executor: parent.executor,
    externalId: parent.externalId ?? undefined,
    host: parent.host ?? undefined,
  };
}

/** A top-level job rebuilt from its directory: a SLURM job when its batch script left a status file. */
function ranIn(path: string): Ran {
  const s = readStatusFile(path);
  if (!s) return {};
  return { executor: 'slurm', externalId: s.job && /^\d+(_\d+)?$/.test(s.job) ? s.job : undefined };
}

function taskVersionOf(plugin: CPluginScript): string | null {
  const v = plugin.pluginClass.TASKVERSION;
  return v === undefined ? null : String(v);
}
