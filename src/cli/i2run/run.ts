import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type CContainer, type CData, CDataFile, CList, loadParamsFile } from '../../data/index.js';
import { type Ccp4Error, isCcp4Error } from '../../errors/ccp4-error.js';
import { Severity } from '../../errors/severity.js';
import type { CPluginScript, PluginClass, TaskEntry, TaskRegistry } from '../../plugins/index.js';
import { CErrorReport, formatEntry } from '../../report/index.js';
import { type I2runArgs, splitArgs } from './argv.js';
import { type AssignContext, assignValues } from './assign.js';
import { EXIT, exitCodeOf, i2runError } from './errors.js';
import { resolveParameter, taskParameters } from './parameters.js';
import { nextJobNumber, type ProjectLayout, projectLayout, releaseJob, reserveJob } from './project.js';
import { StatusLine, type StatusStream } from './status.js';
import { outputValues, summaryText } from './summary.js';
import { loadRegistry } from './tasks.js';

export interface I2runIo {
  cwd: string;
  stdout: StatusStream;
  stderr: StatusStream;
  /** Registers Ctrl-C / SIGTERM handling; returns the function that removes it. */
  onInterrupt?: (handler: () => void) => () => void;
}

const print = (s: StatusStream, text: string) => s.write(text.endsWith('\n') ? text : `${text}\n`);

/** Ctrl-C seen so far, and what it should stop once a job runs. */
interface InterruptState {
  count: number;
  onInterrupt?: () => void;
}

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
  try {
    return await runTaskInner(task, rawArgs, io, state);
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
  } catch (e) {
    return fail(io, e);
  }
  let registry: TaskRegistry;
  let entry: TaskEntry;
  try {
    registry = await loadRegistry(args.taskDirs, io.cwd);
    entry = registry.require(task);
  } catch (e) {
    return fail(io, e);
  }
  const base = (await import('../../plugins/index.js')).CPluginScript as PluginClass;
  if (args.help) {
    const { taskHelpText } = await import('./task-help.js');
    const probe = makePlugin(base, entry, registry, undefined, io.cwd);
    print(io.stdout, taskHelpText(entry, probe.container, entry.pluginClass?.TASKTITLE));
    // Problems in the def file are shown too (the parameters listed are what could be loaded).
    if (probe.errorReport.hasErrors())
      return printReport(io, probe.errorReport, 'the task definition has errors', EXIT.USAGE);
    return EXIT.SUCCEEDED;
  }

  let project: ProjectLayout;
  let job: { number: number; directory: string };
  try {
    project = projectLayout({ cwd: io.cwd, taskName: task, ...args });
    if (args.dryRun) {
      const n = nextJobNumber(project);
      job = { number: n, directory: join(project.jobsDirectory, `job_${n}`) };
    } else job = reserveJob(project);
  } catch (e) {
    return fail(io, e);
  }

  const plugin = makePlugin(base, entry, registry, { project, job }, io.cwd);
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
      if (!args.dryRun) releaseJob(job.directory);
      if (state.count > 0) print(io.stderr, 'i2run: interrupted before the job started');
      return state.count > 0 ? EXIT.INTERRUPTED : prepared;
    }
    if (args.dryRun) {
      if (scratch) print(io.stdout, `(dry run: imported columns are in ${scratch}, removed afterwards)`);
      return await dryRun(plugin, job.directory, io);
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  return execute(plugin, job, io, state);
}

/** The task's plugin: its class, or a plain CPluginScript for a task that has only a def file. */
function makePlugin(
  base: PluginClass,
  entry: TaskEntry,
  registry: TaskRegistry,
  where: { project: ProjectLayout; job: { number: number; directory: string } } | undefined,
  cwd: string,
): CPluginScript {
  const cls = entry.pluginClass ?? base;
  return new cls({
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

/** --params, then the command-line values, then validation. Returns an exit status (0: ready). */
function prepare(
  plugin: CPluginScript,
  args: I2runArgs,
  importedDirectory: string,
  io: I2runIo,
  importColumns?: typeof import('./columns.js').importColumns,
): number {
  const report = new CErrorReport();
  // Problems loading the def file (the plugin defers them to the run): report them now.
  for (const e of plugin.errorReport) report.push(e);
  if (report.hasErrors()) return printReport(io, report, 'the task definition has errors', EXIT.USAGE);
  if (args.paramsFile) {
    try {
      const r = loadParamsFile(plugin.container, resolve(io.cwd, args.paramsFile), {});
      for (const e of r.report) report.push(e);
    } catch (e) {
      return fail(io, e);
    }
    dropOutputFiles(plugin.container.content('outputData') as CContainer | undefined);
    if (report.hasErrors()) return printReport(io, report, `${args.paramsFile} has errors`, EXIT.FAILED);
  }
  const params = taskParameters(plugin.container);
  const ctx: AssignContext = {
    cwd: io.cwd,
    importColumns: importColumns
      ? (file, source, labels) => importColumns(file, source, labels, importedDirectory)
      : undefined,
  };
  const cleared = new Set<unknown>();
  for (const p of args.params) {
    const option = `--${p.name}`;
    try {
      const node = resolveParameter(plugin.container, params, p.name);
      // The first --LIST on the command line replaces the list's items (from --params); later ones add.
      if (node instanceof CList && !cleared.has(node)) {
        cleared.add(node);
        node.unSet();
      }
      assignValues(node, p.values, option, ctx);
    } catch (e) {
      if (isCcp4Error(e) && exitCodeOf(e) === EXIT.USAGE) return fail(io, e);
      report.appendError(e);
    }
  }
  if (report.hasErrors()) return printReport(io, report, 'invalid parameters', EXIT.FAILED);
  // Everything but outputs (named in the job directory when the job starts) and guiAdmin.
  for (const c of plugin.container.contents())
    if (c.name !== 'outputData' && c.name !== 'guiAdmin') c.checkValidity(report);
  const out = plugin.container.content('outputData');
  for (const c of out?.contents() ?? []) if (c.isSet()) c.checkValidity(report);
  checkOutputDirectories(out, report);
  if (report.hasErrors()) return printReport(io, report, 'invalid parameters', EXIT.FAILED);
  if (report.length > 0) print(io.stderr, report.entries.map(formatEntry).join('\n'));
  return EXIT.SUCCEEDED;
}

/**
 * Output files in a params file belong to the job it came from (its CCP4_JOBS/job_N); a new job names
 * its own, as CCP4i2 does when it clones a job. Output values (a CELL found) are cleared too.
 */
function dropOutputFiles(outputData: CContainer | undefined): void {
  for (const c of outputData?.contents() ?? []) c.unSet();
}

/** An output file named on the command line must go to an existing directory (else the job would fail at its end). */
function checkOutputDirectories(outputData: CData | undefined, report: CErrorReport): void {
  for (const node of outputData?.walk() ?? []) {
    if (!(node instanceof CDataFile) || !node.isSet()) continue;
    const path = node.getFullPath();
    if (!path) continue;
    const dir = dirname(path);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      report.appendError(
        i2runError(4, `the directory of output ${node.name} does not exist: ${dir}`, {
          objectPath: node.objectPath(),
          file: path,
        }),
      );
  }
}

/** --dry-run: the program, its argv and its stdin script, without running anything. */
async function dryRun(plugin: CPluginScript, directory: string, io: I2runIo): Promise<number> {
  const cls = plugin.pluginClass;
  const lines = [`job directory (not created): ${directory}`];
  try {
    plugin.checkOutputData();
    const s = (await plugin.makeCommandAndScript()) ?? 0;
    if (s !== 0 || plugin.errorReport.hasErrors())
      return printReport(io, plugin.errorReport, 'the command could not be made', EXIT.FAILED);
  } catch (e) {
    return fail(io, e);
  }
  if (!cls.TASKCOMMAND) {
    lines.push(`${plugin.taskName} runs no program of its own (a pipeline or an in-process task)`);
  } else {
    lines.push(`program: ${cls.TASKCOMMAND}`);
    lines.push(`argv: ${JSON.stringify([cls.TASKCOMMAND, ...plugin.commandLine])}`);
    lines.push(`command: ${[cls.TASKCOMMAND, ...plugin.commandLine].map(shellQuote).join(' ')}`);
  }
  if (plugin.commandScript.length > 0) {
    lines.push('stdin (com.txt):');
    for (const l of plugin.commandScript) lines.push(`  ${l}`);
  } else lines.push('stdin: (none)');
  print(io.stdout, lines.join('\n'));
  return EXIT.SUCCEEDED;
}

/** For display only (the program is always run with an argv array, never through a shell). */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

async function execute(
  plugin: CPluginScript,
  job: { number: number; directory: string },
  io: I2runIo,
  state: InterruptState,
): Promise<number> {
  const status = new StatusLine({ task: plugin.taskName, job: String(job.number), stream: io.stderr });
  plugin.logLine.connect((l) => status.line(l.text, l.job === plugin ? '' : l.job.taskName));
  state.onInterrupt = () => {
    status.note(
      state.count === 1
        ? 'interrupt: cancelling the job and its programs...'
        : 'still stopping the job (programs get SIGKILL after a grace period)',
    );
    plugin.cancel();
  };
  status.start(job.directory);
  let final: number;
  try {
    final = await plugin.process();
  } finally {
    status.stop();
    state.onInterrupt = undefined;
  }
  const { statusName } = await import('../../plugins/index.js');
  const failed = final !== 0;
  print(
    io.stdout,
    summaryText({
      jobDirectory: job.directory,
      status: statusName(final),
      outputs: failed ? [] : outputValues(plugin.outputData),
      diagnostic: failed ? plugin.makeFileName('DIAGNOSTIC') : undefined,
    }),
  );
  if (failed && plugin.errorReport.length > 0)
    print(io.stderr, plugin.errorReport.entries.map(formatEntry).join('\n'));
  if (final === 0) return EXIT.SUCCEEDED;
  if (final === 2) return EXIT.INTERRUPTED;
  return EXIT.FAILED;
}

function printReport(io: I2runIo, report: CErrorReport, what: string, code: number): number {
  const lines = report.entries.filter((e) => e.severity >= Severity.WARNING).map(formatEntry);
  print(io.stderr, `i2run: ${what}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  return code;
}

export function fail(io: I2runIo, e: unknown): number {
  if (isCcp4Error(e)) {
    print(io.stderr, `i2run: error: ${(e as Ccp4Error).describe()}${e.details ? `\n  ${e.details}` : ''}`);
    return exitCodeOf(e);
  }
  throw e;
}
