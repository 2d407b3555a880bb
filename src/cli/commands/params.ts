import type { Command } from 'commander';

/**
 * `ccp4i2 params check FILE.def.xml FILE.params.xml [--root DIR] [--json]`: loads the definition and
 * the parameters, validates, and prints the error report. Exit 0 valid, 1 invalid, 2 unreadable.
 */
export function register(program: Command): void {
  const params = program.command('params').description('CCP4i2 task parameters (.params.xml)');
  params
    .command('check')
    .description('load a .params.xml into its task definition, validate it and print the problems')
    .argument('<def>', 'task definition (.def.xml)')
    .argument('<params>', 'parameters (.params.xml)')
    .option('--root <dir>', 'CCP4I2_TOP for includes and file paths (default: env CCP4I2_TOP)')
    .option('--json', 'print {valid, task, maxSeverity, entries} as JSON')
    .action(async (defFile: string, paramsFile: string, opts: { root?: string; json?: boolean }) => {
      const { loadDefFile, loadParamsFile } = await import('../../data/index.js');
      const { CErrorReport, formatEntry } = await import('../../report/index.js');
      const { severityName } = await import('../../errors/severity.js');
      const { addStandardContainers } = await import('../../plugins/standard-containers.js');
      const def = loadDefFile(defFile, { root: opts.root });
      // As a job's container: params.xml files written by jobs hold guiAdmin (jobStatus...) too.
      addStandardContainers(def.container);
      const root = opts.root ?? process.env.CCP4I2_TOP;
      if (root) def.container.fileContext = { ccp4i2Top: root };
      const report = new CErrorReport().extend(def.report);
      const loaded = loadParamsFile(def.container, paramsFile);
      report.extend(loaded.report);
      // Validate only a container that received the file (a file for another task is not loaded).
      if (!loaded.report.hasErrors()) {
        // The values under test came from the params file: name it in each entry.
        for (const e of def.container.validity()) report.push({ ...e, file: e.file ?? paramsFile });
      }
      const valid = !report.hasErrors();
      if (opts.json) {
        const out = {
          valid,
          task: def.taskName,
          maxSeverity: severityName(report.maxSeverity()),
          entries: report.entries,
        };
        process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
      } else {
        for (const e of report.entries) process.stdout.write(`${formatEntry(e)}\n`);
        process.stdout.write(`${paramsFile}: ${valid ? 'valid' : 'invalid'} for task ${def.taskName}\n`);
      }
      process.exitCode = valid ? 0 : 1;
    });
}
