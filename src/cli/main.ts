import { type Command, CommanderError } from 'commander';
import { isCcp4Error } from '../errors/ccp4-error.js';

/**
 * Runs a commander program with ccp4i2-ts's error policy (docs/cli.md): a usage error (unknown command or
 * option, missing argument) exits 2, as i2run's; a Ccp4Error (bad input) prints its one-line description
 * and exits 2 unless the command chose another code; anything else is a bug, reported as such with its
 * stack (exit 70, EX_SOFTWARE).
 */
export async function runCli(program: Command, argv: string[] = process.argv): Promise<void> {
  // Subcommands copy the setting only when created, so set it on every command of the tree.
  const override = (c: Command): void => {
    c.exitOverride();
    for (const sub of c.commands) override(sub);
  };
  override(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // 0: help or version asked for; anything else commander reports is a usage error.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
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
