import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobDatabase } from '../../db/index.js';
import { CPluginScript, type PluginClass, type TaskEntry, type TaskRegistry } from '../../plugins/index.js';
import { warmUpContainment } from '../../process/index.js';
import type { JobReporter } from '../../reports/index.js';
import { type I2runArgs, splitArgs } from './argv.js';
import { dryRun } from './dry-run.js';
import { EXIT, i2runError } from './errors.js';
import { execute } from './execute.js';
import { collectErrors, fail, type I2runIo, type InterruptState, print, printReport } from './io.js';
import { prepare } from './prepare.js';
import { ensureProject, nextJobNumber, type ProjectLayout, projectLayout } from './project.js';
import type { Registration } from './register.js';
import { errorsOf } from './result.js';
import { loadRegistry, taskTitle } from './tasks.js';

export type { I2runIo } from './io.js';

/**
 * `i2run TASK args...`: resolves to the exit status (0 only when the job SUCCEEDED). Ctrl-C is caught
 * from the start: before the job runs it ends i2run with 130 (and gives back the job directory), while
 * the job runs it cancels it.
 */
export async function runTask(task: string, rawArgs: readonly string[], io: I2runIo): Promise<number> {
  const state: InterruptState = { count: 0 };
  const remove = io.onInterrupt?.(() => {
    state.count++;
    state.onInterrupt?.();
  });
  // --json: a run that ends before a job ran (usage, invalid values) still prints one JSON result.
  const json = rawArgs.includes('--json') && !rawArgs.includes('--help') && !rawArgs.includes('-h');
  const errors = json ? collectErrors(io) : undefined;
  try {
    const code = await runTaskInner(task, rawArgs, io, state);
    if (errors && (code !== EXIT.SUCCEEDED || errors.length > 0) && !state.resultPrinted)
      print(
        io.stdout,
        JSON.stringify(
          { status: 'NOT_RUN', exitCode: code, outputs: {}, notes: {}, errors: errorsOf(errors) },
          null,
          1,
        ),
      );
    return code;
  } finally {
    remove?.();
  }
}

async function runTaskInner(
  task: string,
  rawArgs: readonly string[],
  io: I2runIo,
  state: InterruptState,
): Promise<number> {
  let args: I2runArgs;
  try {
    args = splitArgs(rawArgs);
    if (args.executor !== undefined && args.executor !== 'local' && args.executor !== 'slurm')
      throw i2runError(1, `--executor must be local or slurm, not '${args.executor}'`);
  } catch (e) {
    return fail(io, e);
  }
  let registry: TaskRegistry;
  let entry: TaskEntry;
  try {
    registry = await loadRegistry(args.taskDirs, io.cwd, (e) =>
      print(io.stderr, `i2run: warning: ${e.describe()}${e.details ? `\n  ${e.details}` : ''}`),
    );
    entry = registry.require(task);
  } catch (e) {
    return fail(io, e);
  }
  const base = CPluginScript as PluginClass;
  if (args.help) {
    const { taskHelpText } = await import('./task-help.js');
    const probe = makePlugin(base, entry, registry, undefined, io.cwd, args);
    print(io.stdout, taskHelpText(entry, probe.container, await taskTitle(entry)));
    // Problems in the def file are shown too (the parameters listed are what could be loaded).
    if (probe.errorReport.hasErrors())
      return printReport(io, probe.errorReport, 'the task definition has errors', EXIT.USAGE);
    return EXIT.SUCCEEDED;
  }

  // A dry run creates nothing, the database included; a real run is registered there (project, job
  // number, then every transition of the job and its sub-jobs).
  let project: ProjectLayout;
  let job: { number: number; directory: string };
  let reg: Registration | undefined;
  let db: JobDatabase | undefined;
  try {
    if (args.dryRun) {
      project = projectLayout({ cwd: io.cwd, taskName: task, ...args });
      ensureProject(project, false);
      const n = nextJobNumber(project);
      job = { number: n, directory: join(project.jobsDirectory, `job_${n}`) };
    } else {
      // A program starts soon: the kernel's wait before the first cgroup move passes meanwhile.
      if (args.executor !== 'slurm') warmUpContainment();
      // The database (SQLite) is loaded only here: --help and --dry-run never touch it.
      const { knownProjectPath, openJobDatabase, registerJob } = await import('./register.js');
      db = openJobDatabase(args);
      const known = knownProjectPath(db, args);
      project = projectLayout({
        cwd: io.cwd,
        taskName: task,
        ...args,
        projectPath: known ?? args.projectPath,
      });
      reg = await registerJob(db, project, task, registry);
      job = { number: Number(reg.job.number), directory: reg.job.directory };
    }
  } catch (e) {
    db?.close();
    return fail(io, e);
  }
  const plugin = makePlugin(base, entry, registry, { project, job }, io.cwd, args);
  try {
    return await prepareAndRun({ plugin, project, job, reg, args, io, state });
  } finally {
    db?.close();
  }
}

/** Sets the parameters, then runs the job (recorded when registered) or the dry run. */
async function prepareAndRun(c: {
  plugin: CPluginScript;
  project: ProjectLayout;
  job: { number: number; directory: string };
  reg: Registration | undefined;
  args: I2runArgs;
  io: I2runIo;
  state: InterruptState;
}): Promise<number> {
  const { plugin, project, job, reg, args, io, state } = c;
  // The MTZ column import (and the conversions it uses) is loaded only when asked for. A dry run imports
  // into a scratch directory, removed afterwards, so that it creates nothing in the project.
  const columns = args.params.some((p) => p.values.some((v) => v.startsWith('columnLabels=')))
    ? await import('./columns.js')
    : undefined;
  const scratch = args.dryRun && columns ? mkdtempSync(join(tmpdir(), 'i2run-dry-run-')) : undefined;
  try {
    const imports = scratch ?? project.importedDirectory;
    const prepared = prepare(plugin, args, imports, io, columns?.importColumns);
    if (prepared !== EXIT.SUCCEEDED || state.count > 0) {
      // The job never existed: its directory and its row go, and the project's when this i2run made it.
      if (reg) (await import('./register.js')).unregisterJob(reg);
      if (state.count > 0) print(io.stderr, 'i2run: interrupted before the job started');
      return state.count > 0 ? EXIT.INTERRUPTED : prepared;
    }
    if (args.dryRun) {
      if (scratch) print(io.stdout, `(dry run: imported columns are in ${scratch}, removed afterwards)`);
      const code = await dryRun(plugin, job.directory, io, args.json);
      state.resultPrinted = code === EXIT.SUCCEEDED;
      return code;
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  // --executor, else the project's default (`ccp4i2 projects set NAME --executor slurm`), else local.
  const executor =
    args.executor ??
    (reg && (await import('../../jobs/index.js')).runDefaults(reg.db, reg.project.id).executor);
  if (reg && executor === 'slurm') {
    const { runOnSlurm } = await import('./executor.js');
    return runOnSlurm(plugin, reg, args, io, state);
  }
  state.resultPrinted = true;
  const run =
    reg &&
    (async (reporter: JobReporter) =>
      (await reg.service.runPlugin(plugin, reg.job, reg.project, { resume: args.resume, reporter })).status);
  return execute(plugin, job, io, state, args.json, run);
}

/** The task's plugin: its class, or a plain CPluginScript for a task that has only a def file. */
function makePlugin(
  base: PluginClass,
  entry: TaskEntry,
  registry: TaskRegistry,
  where: { project: ProjectLayout; job: { number: number; directory: string } } | undefined,
  cwd: string,
  args: I2runArgs,
): CPluginScript {
  const cls = entry.pluginClass ?? base;
  return new cls({
    followOutputSymlinks: args.followSymlinks,
    registry,
    defFile: entry.defFile,
    workDirectory: where?.job.directory ?? cwd,
    jobNumber: where ? String(where.job.number) : undefined,
    jobId: where ? where.job.number : undefined,
    fileContext: where
      ? { projectDirectory: where.project.directory, projectId: where.project.name }
      : undefined,
  });
}
