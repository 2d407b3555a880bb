import type { Command } from 'commander';
import { Ccp4Error } from '../../errors/ccp4-error.js';
import { reportOfJob } from './report-db.js';
import { defaultPlot, parsePlot, parseRows, printOut } from './report-options.js';

/**
 * `ccp4i2 report JOBDIR|--job N [--json] [--graphs DIR]`: a job's report (report.json, else its log.txt;
 * with --job, the one kept in the database).
 */
export function register(program: Command): void {
  program
    .command('report')
    .description("a job's report: status, key values, outputs, messages, tables and graphs, sub-jobs")
    .argument('[jobdir]', 'a job directory (or a report.json)')
    .option('--job <n>', 'job N (3, 3.1) of a project in the database instead of a directory')
    .option('--project <name>', 'the project of --job (not needed when the database holds one)')
    .option('--db <file>', 'the database of --job (default $CCP4I2_DB, else ~/.ccp4i2-ts/db.sqlite)')
    .option('--json', 'print the report as JSON (the report.json schema, docs/reports.md)')
    .option('--graphs <dir>', 'write every graph of the job and its sub-jobs as a standalone SVG file in DIR')
    .option('--plot <style>', 'graphs in the terminal: braille, sparkline, ascii or none', parsePlot)
    .option('--rows <n>', 'rows shown per table (0: all; default 20)', parseRows)
    .option('--summary', 'the summary only, no tables')
    .action(
      async (
        dir: string | undefined,
        opts: {
          json?: boolean;
          graphs?: string;
          plot?: never;
          rows?: number;
          summary?: boolean;
          job?: string;
          project?: string;
          db?: string;
        },
      ) => {
        const { reportOfDirectory, readReport, reportText, writeGraphFiles } = await import(
          '../../reports/index.js'
        );
        if ((dir === undefined) === (opts.job === undefined))
          throw new Ccp4Error({
            className: 'JobReport',
            code: 109,
            message: 'Give a job directory or --job N (one of them)',
          });
        const report =
          opts.job !== undefined
            ? await reportOfJob(opts.job, opts)
            : dir!.endsWith('.json')
              ? readReport(dir!)
              : reportOfDirectory(dir!);
        if (opts.graphs) {
          const all = (r: typeof report): typeof report.tables => [...r.tables, ...r.children.flatMap(all)];
          const written = writeGraphFiles(all(report), opts.graphs);
          process.stderr.write(
            `${written.length} graph${written.length === 1 ? '' : 's'} written to ${opts.graphs}\n`,
          );
        }
        if (opts.json) return printOut(`${JSON.stringify(report, null, 1)}\n`);
        await printOut(
          reportText(report, {
            graphs: opts.plot ?? defaultPlot(),
            rows: opts.rows ?? 20,
            width: process.stdout.columns ?? 100,
            tables: !opts.summary,
          }),
        );
      },
    );
}
