import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type CContainer, type CData, CDataFile, CList, loadParamsFile } from '../../data/index.js';
import { isCcp4Error } from '../../errors/ccp4-error.js';
import type { CPluginScript } from '../../plugins/index.js';
import { checkOutputTargets } from '../../plugins/output-checks.js';
import { CErrorReport, formatEntry } from '../../report/index.js';
import type { I2runArgs } from './argv.js';
import { type AssignContext, assignValues } from './assign.js';
import { EXIT, exitCodeOf, i2runError } from './errors.js';
import { fail, type I2runIo, print, printReport } from './io.js';
import { resolveParameter, taskParameters } from './parameters.js';

/** --params, then the command-line values, then validation. Returns an exit status (0: ready). */
export function prepare(
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
  // Devices, FIFOs, directories, links and the job's own inputs as outputs: refused before any job exists.
  checkOutputTargets(plugin.container, report, { followSymlinks: args.followSymlinks });
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
