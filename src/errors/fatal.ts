import { Ccp4Error, isCcp4Error } from './ccp4-error.js';

// The last line of defence of every entry point (the CLIs, the server): whatever escapes becomes one coded
// line on stderr and a documented exit status, never a stack trace (unless asked for with --debug).

/** Class of the codes below. */
export const FATAL_CLASS = 'Ccp4i2';

export const FATAL_ERROR_CODES = {
  1: 'Internal error: an unexpected exception (a bug; please report it)',
  2: 'The current working directory no longer exists',
} as const;

/** Exit status of an internal error (sysexits' EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;
/** Exit status of bad input or an unusable environment, reported as a Ccp4Error. */
export const EXIT_INPUT = 2;

/** Node's error when the working directory was deleted: process.cwd() (and path.resolve) throw it. */
function isCwdGone(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException | undefined;
  return err?.code === 'ENOENT' && (err.syscall === 'uv_cwd' || /\buv_cwd\b/.test(err.message ?? ''));
}

/**
 * Whatever was thrown, as a Ccp4Error: a Ccp4Error as it is; a deleted working directory as code 2; any
 * other exception as code 1 quoting its message (its stack stays in `cause`, for --debug).
 */
export function asCcp4Error(e: unknown): Ccp4Error {
  if (isCcp4Error(e)) return e;
  if (isCwdGone(e))
    return new Ccp4Error({
      className: FATAL_CLASS,
      code: 2,
      message:
        'the current working directory no longer exists (deleted or moved away): change to an existing directory and run again',
      cause: e,
    });
  const what = e instanceof Error ? `${e.name}: ${e.message}` : `thrown value ${String(e)}`;
  return new Ccp4Error({
    className: FATAL_CLASS,
    code: 1,
    message: `internal error (please report): ${what}`,
    cause: e,
  });
}

/** The exit status for something thrown to the top: 2 for a Ccp4Error (input, environment), else 70. */
export function exitStatusOf(e: unknown): number {
  return isCcp4Error(e) || isCwdGone(e) ? EXIT_INPUT : EXIT_INTERNAL;
}

/** The message for stderr: `program: error: ... [Class code]`, plus the stack only when `debug`. */
export function fatalMessage(program: string, e: unknown, debug: boolean): string {
  const err = asCcp4Error(e);
  let text = `${program}: error: ${err.describe()}\n`;
  if (debug) {
    const original = err.cause ?? e;
    if (original instanceof Error && original.stack) text += `${original.stack}\n`;
  } else if (err.className === FATAL_CLASS && err.code === 1)
    text += `${program}: run with --debug for details\n`;
  return text;
}

/** Whether stack traces were asked for: `--debug` among the arguments (before `--`), or CCP4I2_DEBUG=1. */
export function debugRequested(argv: readonly string[] = process.argv.slice(2)): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--debug') || process.env.CCP4I2_DEBUG === '1';
}

/**
 * For an entry point: an exception nobody catches (thrown in a timer or callback) or a rejection nobody
 * handles is printed as one coded line (stack only when `debug`) and ends the process with 70. Exiting
 * runs the process layer's exit hook, which kills every program still running. Returns the uninstaller.
 */
export function installCrashHandlers(
  program: string,
  debug: boolean,
  write: (text: string) => void = (t) => process.stderr.write(t),
): () => void {
  const onFatal = (e: unknown) => {
    try {
      write(fatalMessage(program, e, debug));
    } finally {
      process.exit(EXIT_INTERNAL);
    }
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  return () => {
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  };
}
