import type { Command } from 'commander';

/**
 * `ccp4i2 mtz info FILE [--json] [--stats]` and `ccp4i2 mtz dump FILE [--columns L1,L2] [--no-isym]`.
 * The MTZ code is imported inside the actions so that other subcommands start fast.
 */
export function register(program: Command): void {
  const mtz = program.command('mtz').description('inspect MTZ reflection files');

  mtz
    .command('info')
    .description(
      'title, cell, space group, columns, datasets, batches, history and resolution of an MTZ file',
    )
    .argument('<file>', 'MTZ file')
    .option('--json', 'print JSON')
    .option(
      '--stats',
      'read the data and add per-column statistics (missing count, mean, recomputed min/max)',
    )
    .action(async (file: string, opts: { json?: boolean; stats?: boolean }) => {
      const { mtzInfoCommand } = await import('./mtz-info.js');
      mtzInfoCommand(file, opts);
    });

  mtz
    .command('dump')
    .description('print the reflections as tab-separated values, as `gemmi mtz --tsv` does')
    .argument('<file>', 'MTZ file')
    .option('--columns <labels>', 'comma-separated labels to print after H K L')
    .option('--no-isym', 'unmerged files: keep the stored indices instead of the original ones')
    .action(async (file: string, opts: { columns?: string; isym: boolean }) => {
      const m = await import('../../formats/mtz/tsv.js');
      // `| head` closes the pipe early: that is not an error
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
        throw e;
      });
      const columns = opts.columns
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      // streamed: the data are never held whole (memory flat for files of any size)
      for (const chunk of m.mtzTsvFromFile(file, { columns, noIsym: !opts.isym })) {
        if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
      }
    });
}
