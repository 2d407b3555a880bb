import type { Command } from 'commander';

/**
 * `ccp4i2 convert IN.mtz --to FMEAN|IMEAN|FPAIR|HL|PHIFOM [-o OUT] [--columns L1,L2,...]`: CCP4i2's
 * observation and phase conversions (French–Wilson, anomalous means, HL ↔ PHI/FOM), writing
 * `<stem>_as<TYPE>.mtz` next to the input unless -o is given. The conversion code loads lazily.
 */
export function register(program: Command): void {
  program
    .command('convert')
    .description(
      'convert observations (IPAIR, FPAIR, IMEAN, FMEAN) or phases (HL, PHIFOM) to another representation',
    )
    .argument('<file>', 'input MTZ file')
    .requiredOption('--to <type>', 'target: FMEAN, IMEAN, FPAIR, IPAIR, HL or PHIFOM')
    .option('-o, --out <file>', 'output MTZ (default: <stem>_as<TYPE>.mtz next to the input)')
    .option('--columns <labels>', 'input columns in signature order, e.g. Iplus,SIGIplus,Iminus,SIGIminus')
    .option('--average-centric-duplicates', "average centric (+)/(-) copies like CCP4i2's Python layer")
    .option('--json', 'print the conversion report as JSON')
    .action(
      async (
        file: string,
        opts: {
          to: string;
          out?: string;
          columns?: string;
          averageCentricDuplicates?: boolean;
          json?: boolean;
        },
      ) => {
        const c = await import('../../conversions/index.js');
        const to = c.parseDataType(opts.to);
        const columns = opts.columns
          ?.split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        const report = c.convertMtz(file, to, {
          out: opts.out,
          columns,
          centricDuplicates: opts.averageCentricDuplicates ? 'average' : 'once',
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
        else
          process.stdout.write(
            `${report.path}: ${report.method}; ${report.sourceColumns.join(',')} -> ` +
              `${report.outputColumns.join(',')}; ${report.nvalid} of ${report.nref} reflections with values\n`,
          );
      },
    );
}
