import { debugRequested, exitStatusOf, fatalMessage, installCrashHandlers } from '../errors/fatal.js';

// Start-up (docs/benchmarks.md, issue 15): `ccp4i2 mtz info FILE [--json] [--stats]` is answered without
// loading commander and the other commands' modules, which cost more than reading a small file's header.
// Only that exact shape takes this path; anything else (--help, --debug, another option, a missing or extra
// argument) goes through commander as before, which prints the usual help and usage errors. i2run's
// `i2run TASK ...` skips commander the same way (i2run.ts).

/** The command to run without commander, or undefined when `args` (after `ccp4i2`) ask for anything else. */
export function fastCommand(args: readonly string[]): (() => Promise<void>) | undefined {
  if (args[0] !== 'mtz' || args[1] !== 'info') return undefined;
  const files: string[] = [];
  const opts = { json: false, stats: false };
  for (const a of args.slice(2)) {
    if (a === '--json') opts.json = true;
    else if (a === '--stats') opts.stats = true;
    else if (a.startsWith('-')) return undefined;
    else files.push(a);
  }
  const file = files[0];
  if (file === undefined || files.length > 1) return undefined;
  return () =>
    runFast('ccp4i2', args, async () => (await import('./commands/mtz-info.js')).mtzInfoCommand(file, opts));
}

/** runCli's error policy (main.ts) without commander: a Ccp4Error exits 2, anything else 70. */
export async function runFast(
  program: string,
  args: readonly string[],
  action: () => Promise<void>,
): Promise<void> {
  const debug = debugRequested(args);
  installCrashHandlers(program, debug);
  try {
    await action();
  } catch (e) {
    process.stderr.write(fatalMessage(program, e, debug));
    process.exitCode = exitStatusOf(e);
  }
}
