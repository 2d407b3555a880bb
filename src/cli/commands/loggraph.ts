import type { Command } from 'commander';
import { defaultPlot, parsePlot, parseRows, printOut } from './report-options.js';

/** `ccp4i2 loggraph LOGFILE [--json] [--graphs DIR]`: the loggraph tables and graphs of any CCP4 log. */
export function register(program: Command): void {
  program
    .command('loggraph')
    .description('tables and graphs ($TABLE/$GRAPHS loggraph blocks) of a CCP4 program log')
    .argument('<logfile>', 'a CCP4 log (plain text or CCP4 HTML)')
    .option(
      '--json',
      'print an array with one object per table: title, columns, graphs, rows (cells as written)',
    )
    .option('--graphs <dir>', 'write every graph as a standalone SVG file in DIR')
    .option('--plot <style>', 'graphs in the terminal: braille, sparkline, ascii or none', parsePlot)
    .option('--rows <n>', 'rows shown per table (0: all; default 20)', parseRows)
    .action(async (file: string, opts: { json?: boolean; graphs?: string; plot?: never; rows?: number }) => {
      const { parseLoggraphFile, tableJson } = await import('../../formats/loggraph/index.js');
      const { tablesText, writeGraphFiles } = await import('../../reports/index.js');
      const log = parseLoggraphFile(file);
      if (opts.graphs) {
        const written = writeGraphFiles(log.tables, opts.graphs);
        process.stderr.write(
          `${written.length} graph${written.length === 1 ? '' : 's'} written to ${opts.graphs}\n`,
        );
      }
      for (const w of log.warnings) process.stderr.write(`${file}:${w.line}: warning: ${w.message}\n`);
      if (opts.json) return printOut(`${JSON.stringify(log.tables.map(tableJson), null, 1)}\n`);
      const text = tablesText(log.tables, {
        graphs: opts.plot ?? defaultPlot(),
        rows: opts.rows ?? 20,
        width: process.stdout.columns ?? 100,
      });
      await printOut(
        `${file}: ${log.tables.length} table${log.tables.length === 1 ? '' : 's'}, ${log.tables.reduce((s, t) => s + t.graphs.length, 0)} graphs${text.join('\n')}\n`,
      );
    });
}
