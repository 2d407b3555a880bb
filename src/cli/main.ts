import { type Command, CommanderError } from 'commander';
import { debugRequested, exitStatusOf, fatalMessage, installCrashHandlers } from '../errors/fatal.js';

/**
 * Runs a commander program with ccp4i2-ts's error policy (docs/cli.md): a usage error (unknown command or
 * option, missing argument) exits 2, as i2run's; a Ccp4Error (bad input, an unusable working directory)
 * prints its one-line description and exits 2 unless the command chose another code; anything else is a
 * bug, printed as one coded line (`[Ccp4i2 1]`) and exit 70 (EX_SOFTWARE), with its stack only under
 * `--debug` (or CCP4I2_DEBUG=1). Exceptions thrown later, in a timer or callback, and unhandled
 * rejections get the same treatment (exit 70).
 */
export async function runCli(program: Command, argv: string[] = process.argv): Promise<void> {
  const debug = debugRequested(argv.slice(2));
  installCrashHandlers(program.name(), debug);
  if (!program.options.some((o) => o.long === '--debug'))
    program.option('--debug', 'print the stack trace of an internal error');
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
    process.stderr.write(fatalMessage(program.name(), e, debug));
    process.exitCode = exitStatusOf(e);
  }
}
