import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, resolve } from 'node:path';
import { ProcessErrorCode, processError } from './errors.js';

// Synchronous on purpose: a stat is microseconds, while each asynchronous call waits for a thread-pool
// round trip (milliseconds on a loaded machine), which dominated the per-job overhead.
function isExecutableFile(path: string): boolean {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s?.isFile()) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const found = new Map<string, string>();

/** The directories searched for a bare program name: extra directories first, then PATH, in order. */
export function searchDirectories(extra: readonly string[], pathVariable: string | undefined): string[] {
  const dirs = [...extra, ...(pathVariable ?? '').split(delimiter).filter((d) => d.length > 0)];
  return [...new Set(dirs)];
}

/**
 * Resolves a program to the absolute path of an executable file. A name containing '/' is a path
 * (relative to `cwd`); a bare name is searched in `extra` then in PATH (the PATH of the environment the
 * program will run with). Failure is a Ccp4Error 102 naming the program and every place searched.
 */
export function findProgram(
  program: string,
  options: { cwd: string; extra?: readonly string[]; path?: string },
): string {
  if (program.includes('/')) {
    const full = resolve(options.cwd, program);
    if (isExecutableFile(full)) return full;
    throw processError(
      ProcessErrorCode.PROGRAM_NOT_FOUND,
      `program '${program}' not found: ${full} is not an executable file`,
      { file: full },
    );
  }
  const dirs = searchDirectories(options.extra ?? [], options.path);
  // A found program is remembered per search list and only re-checked next time: a search costs one
  // failed stat per directory before it. (A program later installed earlier in the list is not noticed.)
  const relative = dirs.some((d) => !isAbsolute(d));
  const key = `${program}\0${relative ? options.cwd : ''}\0${dirs.join('\0')}`;
  const cached = found.get(key);
  if (cached !== undefined) {
    if (isExecutableFile(cached)) return cached;
    found.delete(key);
  }
  for (const dir of dirs) {
    const full = resolve(options.cwd, dir, program);
    if (isExecutableFile(full)) {
      if (found.size >= 1000) found.clear();
      found.set(key, full);
      return full;
    }
  }
  throw processError(
    ProcessErrorCode.PROGRAM_NOT_FOUND,
    dirs.length === 0
      ? `program '${program}' not found: no search directories (PATH is empty)`
      : `program '${program}' not found in ${dirs.join(', ')}`,
    { details: `searched: ${dirs.join(delimiter)}` },
  );
}
