import { isCcp4Error } from '../../errors/ccp4-error.js';
import { CPluginScript, hasDryRunPlan, PLUGIN_CLASS } from '../../plugins/index.js';
import { buildEnvironment, findProgram } from '../../process/index.js';
import { EXIT } from './errors.js';
import { fail, type I2runIo, print, printReport } from './io.js';

/** What a dry run shows of one job: its lines, and warnings (program missing, no TASKCOMMAND). */
interface Described {
  lines: string[];
  warnings: string[];
}

/**
 * --dry-run: the program, its argv and its stdin script, without running anything. A pipeline that
 * offers a `dryRunPlan` shows each sub-job it would run in the same way. Warnings (a program that is not
 * installed, a task with no TASKCOMMAND) go to stderr as well as into the listing.
 */
export async function dryRun(
  plugin: CPluginScript,
  directory: string,
  io: I2runIo,
  json = false,
): Promise<number> {
  const lines = [`job directory (not created): ${directory}`];
  const warnings: string[] = [];
  try {
    plugin.checkOutputData();
    const s = (await plugin.makeCommandAndScript()) ?? 0;
    if (s !== 0 || plugin.errorReport.hasErrors())
      return printReport(io, plugin.errorReport, 'the command could not be made', EXIT.FAILED);
    const top = await describe(plugin, '');
    lines.push(...top.lines);
    warnings.push(...top.warnings);
    if (hasDryRunPlan(plugin)) {
      const steps = plugin.dryRunPlan();
      lines.push(`${plugin.taskName} would run ${steps.length} sub-job(s):`);
      for (const step of steps) {
        const sub = step.plugin;
        lines.push(`  ${sub.workDirectory.slice(directory.length + 1)}: ${sub.taskName}`);
        if (step.note) lines.push(`    known only at run time: ${step.note}`);
        sub.checkOutputData();
        const made = (await sub.makeCommandAndScript()) ?? 0;
        if (made !== 0 && !step.note) {
          plugin.errorReport.extend(sub.errorReport);
          return printReport(io, plugin.errorReport, `the command of ${sub.taskName} could not be made`, 1);
        }
        const d = await describe(sub, '    ');
        lines.push(...d.lines);
        warnings.push(...d.warnings);
      }
    } else if (!plugin.pluginClass.TASKCOMMAND && overridesProcess(plugin))
      lines.push(
        `${plugin.taskName} is a pipeline: its sub-jobs are decided while it runs (it offers no dryRunPlan)`,
      );
  } catch (e) {
    // As in a real run, an exception in the task's own code is reported, not a crash of i2run.
    if (isCcp4Error(e)) return fail(io, e);
    plugin.errorReport.append(PLUGIN_CLASS, 113, { details: e instanceof Error ? e.message : String(e) });
    return printReport(io, plugin.errorReport, 'the command could not be made', EXIT.FAILED);
  }
  for (const w of warnings) print(io.stderr, `i2run: warning: ${w}`);
  if (json)
    print(
      io.stdout,
      JSON.stringify(
        { status: 'DRY_RUN', exitCode: 0, jobDirectory: directory, plan: lines, warnings },
        null,
        1,
      ),
    );
  else print(io.stdout, lines.join('\n'));
  return EXIT.SUCCEEDED;
}

/** Whether the task's class has a process() of its own (a pipeline) rather than CCP4i2's wrapper sequence. */
function overridesProcess(plugin: CPluginScript): boolean {
  return (plugin.pluginClass.prototype as CPluginScript).process !== CPluginScript.prototype.process;
}

/** Whether the task does its work in Node (startProcess overridden) rather than by running TASKCOMMAND. */
function runsInProcess(plugin: CPluginScript): boolean {
  return (
    (plugin.pluginClass.prototype as CPluginScript).startProcess !== CPluginScript.prototype.startProcess
  );
}

async function describe(plugin: CPluginScript, indent: string): Promise<Described> {
  const cls = plugin.pluginClass;
  const out: Described = { lines: [], warnings: [] };
  const add = (l: string) => out.lines.push(`${indent}${l}`);
  const command = cls.TASKCOMMAND;
  if (!command) {
    if (overridesProcess(plugin) || runsInProcess(plugin))
      add(
        `${plugin.taskName} runs no program of its own (${runsInProcess(plugin) ? 'an in-process task' : 'a pipeline'})`,
      );
    else {
      const w = `task ${plugin.taskName} has no TASKCOMMAND: it has no program to run and would fail (${PLUGIN_CLASS} 100)`;
      add(`warning: ${w}`);
      out.warnings.push(w);
    }
  } else {
    const env = buildEnvironment({ env: plugin.options.env });
    try {
      add(
        `program: ${command} (${findProgram(command, { cwd: plugin.workDirectory, extra: plugin.options.programPath, path: env.PATH })})`,
      );
    } catch (e) {
      if (!isCcp4Error(e)) throw e;
      const w = `program '${command}' of task ${plugin.taskName} is not installed: the job would fail (${e.details ?? e.message})`;
      add(`program: ${command} (NOT FOUND)`);
      out.warnings.push(w);
    }
    add(`argv: ${JSON.stringify([command, ...plugin.commandLine])}`);
    add(`command: ${[command, ...plugin.commandLine].map(shellQuote).join(' ')}`);
  }
  if (plugin.commandScript.length > 0) {
    add('stdin (com.txt):');
    for (const l of plugin.commandScript) add(`  ${l}`);
  } else if (command) add('stdin: (none)');
  return out;
}

/** For display only (the program is always run with an argv array, never through a shell). */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
