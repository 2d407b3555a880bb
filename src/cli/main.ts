import { type Command, CommanderError } from 'commander';
import { isCcp4Error } from '../errors/ccp4-error.js';

/**
 * Runs a commander program with ccp4i2-ts's error policy: a Ccp4Error (bad input) prints its one-line
 * description and exits 2 unless the command chose another code; anything else is a bug, reported as such
 * with its stack (exit 70, EX_SOFTWARE).
 */
export async function runCli(program: Command, argv: string[] = process.argv): Promise<void> {
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    if (isCcp4Error(e)) {
      process.stderr.write(`${program.name()}: error: ${e.describe()}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${program.name()}: internal error (please report): ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = 70;
  }
}
