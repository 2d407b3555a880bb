import { mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { checkDirectoryPath, makeDirectories } from '../../files/directory.js';
import { i2runError } from './errors.js';

/** CCP4i2's project layout: jobs in CCP4_JOBS/job_N, imported files in CCP4_IMPORTED_FILES. */
export const JOBS_DIR = 'CCP4_JOBS';
export const IMPORTED_DIR = 'CCP4_IMPORTED_FILES';

export interface ProjectLayout {
  name: string;
  directory: string;
  jobsDirectory: string;
  importedDirectory: string;
  /**
   * Directories that are i2run's own, whoever made them: CCP4_JOBS and CCP4_IMPORTED_FILES, and with no
   * --project_path the project directory and `i2run_projects` too (removed when empty with the project
   * a refused job leaves behind; a --project_path of the user's is not).
   */
  ownDirectories: string[];
}

/**
 * The project directory: --project_path, else `<cwd>/i2run_projects/<project name>` where the name
 * is --project_name or the task name. The name defaults to the directory's base name.
 */
export function projectLayout(opts: {
  cwd: string;
  taskName: string;
  projectPath?: string;
  projectName?: string;
}): ProjectLayout {
  if (opts.projectName !== undefined && !/^[A-Za-z0-9_.-]+$/.test(opts.projectName))
    throw i2runError(1, `bad --project_name '${opts.projectName}' (letters, digits, _ . - only)`);
  const parent = join(opts.cwd, 'i2run_projects');
  const directory = opts.projectPath
    ? resolve(opts.cwd, opts.projectPath)
    : join(parent, opts.projectName ?? opts.taskName);
  const inside = [join(directory, JOBS_DIR), join(directory, IMPORTED_DIR)];
  return {
    name: opts.projectName ?? basename(directory),
    directory,
    jobsDirectory: inside[0]!,
    importedDirectory: inside[1]!,
    ownDirectories: opts.projectPath ? inside : [parent, directory, ...inside],
  };
}

/**
 * Creates the project's folders (i2run error 8 when it cannot). The path is checked first: under /proc
 * or /sys, or below something that is not a writable directory, it is refused before any mkdir.
 * `create` false: only the check (a dry run). Returns the directories it made, outermost first.
 */
export function ensureProject(p: ProjectLayout, create = true): string[] {
  const made: string[] = [];
  for (const d of [p.directory, p.jobsDirectory, p.importedDirectory]) {
    try {
      if (create) made.push(...makeDirectories(d));
      else checkDirectoryPath(d);
    } catch (e) {
      const why = (e as Error).message.replace(/^cannot create directory: /, '');
      throw i2runError(8, `cannot create the project directory ${d}: ${why}`, { file: d, cause: e });
    }
  }
  return made;
}

/** The next job number: one more than the highest job_N in CCP4_JOBS (1 in a new project). */
export function nextJobNumber(p: ProjectLayout): number {
  let names: string[];
  try {
    names = readdirSync(p.jobsDirectory);
  } catch {
    return 1;
  }
  let max = 0;
  for (const n of names) {
    const m = /^job_(\d+)$/.exec(n);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

/**
 * Reserves a job directory: creates job_N with the next free N, exclusively (mkdir fails when it
 * exists), so that two i2run processes in one project never share a job.
 */
export function reserveJob(p: ProjectLayout): { number: number; directory: string } {
  ensureProject(p);
  for (let n = nextJobNumber(p), tries = 0; tries < 1000; n++, tries++) {
    const directory = join(p.jobsDirectory, `job_${n}`);
    try {
      mkdirSync(directory);
      return { number: n, directory };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw i2runError(8, `cannot create ${directory}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
        file: directory,
      });
    }
  }
  throw i2runError(8, `no free job directory in ${p.jobsDirectory}`);
}

/** Gives back a directory made for a job that never ran (the parameters were invalid): only when empty. */
export function releaseJob(directory: string): void {
  try {
    rmdirSync(directory);
  } catch {
    // not empty or already gone: leave it
  }
}
