import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readHeader } from '../data/index.js';
import {
  dbError,
  type JobDatabase,
  type JobRecord,
  JobStatus,
  type ProjectRecord,
  recordInputFiles,
  recordOutputFiles,
  statusFromPlugin,
} from '../db/index.js';
import { CPluginScript, type PluginClass, type TaskRegistry } from '../plugins/index.js';
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
  const result: ImportResult = { project, imported: [], skipped: [] };

  const importJob = (path: string, number: string, parent: JobRecord | null): void => {
    const params = join(path, 'params.xml');
    const input = join(path, 'input_params.xml');
    const file = existsSync(params) ? params : existsSync(input) ? input : undefined;
    let row = db.jobs.find(project.id, number);
    let plugin: CPluginScript | undefined;
    if (!row) {
      if (!file) {
        result.skipped.push({ directory: path, reason: 'no params.xml or input_params.xml' });
        return;
      }
      let task: string | undefined;
      try {
        task = readHeader(readXmlFile(file)).pluginName?.trim();
      } catch (e) {
        result.skipped.push({ directory: path, reason: `${basename(file)}: ${(e as Error).message}` });
        return;
      }
      if (!task) {
        result.skipped.push({ directory: path, reason: `${basename(file)} names no task (pluginName)` });
        return;
      }
      const entry = registry.get(task);
      if (entry) {
        const C = entry.pluginClass ?? (CPluginScript as PluginClass);
        plugin = new C({
          registry,
          defFile: entry.defFile,
          workDirectory: path,
          jobNumber: number,
          paramsFile: file,
          fileContext: { projectDirectory: project.directory, projectId: project.name },
        });
      }
      const ended = file === params;
      const pluginStatus = plugin?.guiAdmin?.content('jobStatus');
      const status = !ended
        ? JobStatus.FAILED
        : pluginStatus?.isSet()
          ? statusFromPlugin(Number(pluginStatus.get()))
          : existsSync(join(path, 'diagnostic.xml'))
            ? JobStatus.FAILED
            : JobStatus.FINISHED;
      row = db.jobs.create({
        projectId: project.id,
        taskName: task,
        number,
        parentId: parent?.id ?? null,
        directory: path,
        status,
      });
      db.jobs.update(row.id, {
        started: mtime(existsSync(input) ? input : path),
        finished: ended ? mtime(params) : undefined,
        diagnostic: ended ? undefined : 'rebuilt from its directory: it left no params.xml (it never ended)',
      });
      if (plugin) recordInputFiles(db, project.id, row.id, plugin);
      result.imported.push(number);
    }
    for (const sub of jobDirs(path)) importJob(sub.path, `${number}.${sub.n}`, row);
    // after its sub-jobs: a pipeline's outputs are often its steps' files
    if (plugin && row.status === JobStatus.FINISHED && result.imported.includes(number))
      recordOutputFiles(db, project.id, row.id, plugin);
  };

  let last = project.lastJobNumber;
  for (const top of jobDirs(join(dir, JOBS_DIR))) {
    db.transaction(`importing job ${top.n}`, () => importJob(top.path, String(top.n), null));
    last = Math.max(last, top.n);
  }
  db.projects.raiseLastJobNumber(project.id, last);
  return { ...result, project: db.projects.require(project.id) };
}
