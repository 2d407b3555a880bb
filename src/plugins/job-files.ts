import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ccp4Error } from '../errors/ccp4-error.js';
import { makeDirectories } from '../files/directory.js';
import { writeFileAtomicSync } from '../files/write.js';
import { PLUGIN_CLASS } from './plugin-errors.js';

/**
 * The files of a job directory, by CCP4i2's makeFileName format names. A qualifier gives
 * `<base>_<qualifier>.<ext>` (e.g. two logs of one job).
 */
export const JOB_FILES = {
  PARAMS: 'params.xml',
  JOB_INPUT: 'input_params.xml',
  PROGRAMXML: 'program.xml',
  LOG: 'log.txt',
  STDOUT: 'stdout.txt',
  STDERR: 'stderr.txt',
  INTERRUPT: 'interrupt_status.xml',
  DIAGNOSTIC: 'diagnostic.xml',
  REPORT: 'report.html',
  COM: 'com.txt',
} as const;

export type JobFileFormat = keyof typeof JOB_FILES;

export function jobFileName(workDirectory: string, format: JobFileFormat, qualifier?: string): string {
  const base = JOB_FILES[format];
  if (!qualifier) return join(workDirectory, base);
  const dot = base.lastIndexOf('.');
  return join(workDirectory, `${base.slice(0, dot)}_${qualifier}${base.slice(dot)}`);
}

/**
 * Creates a job directory (and its parents, checked first: never under /proc or /sys, only below a
 * writable directory). Failure is CPluginScript 106 naming the directory.
 */
export function ensureJobDirectory(dir: string): void {
  try {
    // The common case, one syscall: the parent exists.
    mkdirSync(dir);
    return;
  } catch (e) {
    if (
      (e as NodeJS.ErrnoException).code === 'EEXIST' &&
      statSync(dir, { throwIfNoEntry: false })?.isDirectory()
    )
      return;
  }
  try {
    makeDirectories(dir);
  } catch (e) {
    throw new Ccp4Error({
      className: PLUGIN_CLASS,
      code: 106,
      message: `cannot create job directory: ${(e as Error).message.replace(/^cannot create directory: /, '')}`,
      file: dir,
      cause: e,
    });
  }
}

/** Writes a job file whole or not at all. Failure is CPluginScript 109 naming the file. */
export function writeJobFile(path: string, text: string): void {
  try {
    writeFileAtomicSync(path, text);
  } catch (e) {
    throw new Ccp4Error({
      className: PLUGIN_CLASS,
      code: 109,
      message: `cannot write job file: ${(e as Error).message.replace(/^cannot write: /, '')}`,
      file: path,
      cause: e,
    });
  }
}
