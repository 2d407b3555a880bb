import { isCcp4Error } from '../errors/ccp4-error.js';
import { Severity } from '../errors/severity.js';
import { type CErrorReport, type ErrorCodeTable, registerErrorCodes } from '../report/index.js';

/** Class under which the plugin runtime's own codes are defined; subclasses register theirs under their class name. */
export const PLUGIN_CLASS = 'CPluginScript';

/**
 * CPluginScript's ERROR_CODES. 100-103 keep the meaning the CCP4i2 rewrite gives them (no command,
 * non-zero exit, program not found, timeout); the others cover faults it did not report.
 */
export const PLUGIN_ERROR_CODES = {
  100: { description: 'The task has no TASKCOMMAND: no program to run' },
  101: { description: 'The program exited with a non-zero code' },
  102: { description: 'The program was not found' },
  103: { description: 'The job did not finish within its time limit and was stopped' },
  104: { description: 'The program was killed by a signal' },
  105: { description: 'The job was interrupted', severity: Severity.WARNING },
  106: { description: 'The job directory cannot be created or written' },
  107: { description: 'Input data are missing or invalid' },
  108: { description: 'Unknown task name' },
  109: { description: 'A job file cannot be written' },
  110: { description: 'The command template cannot be rendered' },
  111: { description: 'An expected output file was not created' },
  112: { description: 'Output files cannot be processed' },
  113: { description: 'Unexpected exception in plugin code' },
  114: { description: 'A sub-job failed' },
  115: { description: 'The task definition (def file) cannot be loaded' },
  116: { description: 'The parameters file cannot be loaded' },
  117: { description: 'The program could not be started' },
  118: { description: 'process() ended without reporting a status while nothing was running' },
  119: { description: 'The program output could not be written' },
  120: { description: 'The parameters file cannot be saved' },
  121: {
    description: 'The program left processes running after it ended; they were stopped',
    severity: Severity.WARNING,
  },
  122: {
    description: 'An optional output file was not produced: left unset',
    severity: Severity.WARNING,
  },
  123: { description: 'The input mini-MTZ files cannot be merged into one HKLIN (makeHklin)' },
  124: { description: 'The program output cannot be split into mini-MTZ files (splitHklout)' },
} as const satisfies ErrorCodeTable;

export type PluginErrorCode = keyof typeof PLUGIN_ERROR_CODES;

registerErrorCodes(PLUGIN_CLASS, PLUGIN_ERROR_CODES);

/**
 * What an exception from plugin code says, for the error report: its message and, for a system error,
 * the file it concerns — never its stack trace (the report is shown to users and kept in diagnostic.xml).
 */
export function exceptionEntry(e: unknown): { details: string; file?: string } {
  if (!(e instanceof Error)) return { details: String(e) };
  const path = (e as NodeJS.ErrnoException).path;
  return { details: `${e.name}: ${e.message}`, file: typeof path === 'string' ? path : undefined };
}

/** Records an exception: a Ccp4Error as it is, anything else by its message (CErrorReport 10), no stack. */
export function appendException(report: CErrorReport, e: unknown): void {
  if (isCcp4Error(e)) report.appendError(e);
  else report.append('CErrorReport', 10, exceptionEntry(e));
}

const registered = new WeakSet<object>();

/** A plugin class as far as its error codes go. */
interface ErrorCodeClass {
  name: string;
  ERROR_CODES: ErrorCodeTable;
}

/** Registers a plugin class's ERROR_CODES under its class name, inheriting from its base class (up to `root`). */
export function registerClassErrorCodes(cls: ErrorCodeClass, root: object): void {
  for (let c = cls; c && c !== root && !registered.has(c); c = Object.getPrototypeOf(c)) {
    registered.add(c);
    const base = Object.getPrototypeOf(c) as ErrorCodeClass;
    registerErrorCodes(c.name, Object.hasOwn(c, 'ERROR_CODES') ? c.ERROR_CODES : {}, base.name);
  }
}
