import { isCcp4Error } from '../../errors/ccp4-error.js';
import { type CPluginScript, PLUGIN_CLASS } from '../../plugins/index.js';
import { EXIT } from './errors.js';
import { fail, type I2runIo, print, printReport } from './io.js';

/** --dry-run: the program, its argv and its stdin script, without running anything. */
export async function dryRun(plugin: CPluginScript, directory: string, io: I2runIo): Promise<number> {
  const cls = plugin.pluginClass;
  const lines = [`job directory (not created): ${directory}`];
  try {
    plugin.checkOutputData();
    const s = (await plugin.makeCommandAndScript()) ?? 0;
    if (s !== 0 || plugin.errorReport.hasErrors())
      return printReport(io, plugin.errorReport, 'the command could not be made', EXIT.FAILED);
  } catch (e) {
    // As in a real run, an exception in the task's own code is reported, not a crash of i2run.
    if (isCcp4Error(e)) return fail(io, e);
    plugin.errorReport.append(PLUGIN_CLASS, 113, { details: e instanceof Error ? e.message : String(e) });
    return printReport(io, plugin.errorReport, 'the command could not be made', EXIT.FAILED);
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
