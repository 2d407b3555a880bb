import type { Command } from 'commander';
import { defaultPlot, parsePlot, parseRows, printOut } from './report-options.js';

/** `ccp4i2 report JOBDIR [--json] [--graphs DIR]`: a job's report (report.json, else its log.txt). */
export function register(program: Command): void {
  program
    .command('report')
    .description("a job's report: status, key values, outputs, messages, tables and graphs, sub-jobs")
    .argument('<jobdir>', 'a job directory (or a report.json)')
    .option('--json', 'print the report as JSON (the report.json schema, docs/reports.md)')
    .option('--graphs <dir>', 'write every graph of the job and its sub-jobs as a standalone SVG file in DIR')
    .option('--plot <style>', 'graphs in the terminal: braille, sparkline, ascii or none', parsePlot)
    .option('--rows <n>', 'rows shown per table (0: all; default 20)', parseRows)
    .option('--summary', 'the summary only, no tables')
    .action(
      async (
        dir: string,
        opts: { json?: boolean; graphs?: string; plot?: never; rows?: number; summary?: boolean },
      ) => {
        const { reportOfDirectory, readReport, reportText, writeGraphFiles } = await import(
          '../../reports/index.js'
        );
        const report = dir.endsWith('.json') ? readReport(dir) : reportOfDirectory(dir);
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
