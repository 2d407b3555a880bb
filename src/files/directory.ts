import { accessSync, constants, mkdirSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { errnoOf, fileError } from './errors.js';

/** Kernel file systems where nothing of ours belongs (and where Node's recursive mkdir can spin). */
const PSEUDO_ROOTS = ['/proc', '/sys'];
const PSEUDO_FS_TYPES = new Set([
  0x9fa0, // proc
  0x62656572, // sysfs
  0x63677270, // cgroup2
  0x27e0eb, // cgroup
  0x64626720, // debugfs
  0x74726163, // tracefs
  0x1cd1, // devpts
]);

const under = (path: string, root: string) => path === root || path.startsWith(root + sep);

/**
 * Checks that `path` can be a directory of ours before anything is created: its deepest existing
 * ancestor (or itself) must be a writable directory outside /proc and /sys and not on a kernel
 * file system. FileAccess 6 naming the path and why. Returns the missing components, outermost first.
 */
export function checkDirectoryPath(path: string): string[] {
  const abs = resolve(path);
  const missing: string[] = [];
  let existing = abs;
  for (;;) {
    let st: ReturnType<typeof statSync> | undefined;
    try {
      // No exception for a missing component (the usual case): building one costs more than the syscall.
      st = statSync(existing, { throwIfNoEntry: false });
    } catch (e) {
      // ENOTDIR: a file is in the way higher up; the walk finds it and says so.
      if (errnoOf(e) !== 'ENOTDIR')
        throw fileError(6, `cannot create directory: ${existing}: ${errnoOf(e)}`, abs, { cause: e });
    }
    if (st) {
      if (!st.isDirectory())
        throw fileError(
          6,
          `cannot create directory: ${existing} is not a directory: a file is in the way`,
          abs,
        );
      break;
    }
    missing.unshift(existing);
    const up = dirname(existing);
    if (up === existing) throw fileError(6, 'cannot create directory: no existing ancestor', abs);
    existing = up;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (e) {
    throw fileError(6, `cannot create directory: ${errnoOf(e)}`, abs, { cause: e });
  }
  const pseudo =
    PSEUDO_ROOTS.find((r) => under(abs, r) || under(real, r)) ??
    (PSEUDO_FS_TYPES.has(statfsSync(real).type) ? real : undefined);
  if (pseudo) throw fileError(6, `not a place for our files: it is in ${pseudo}, a kernel file system`, abs);
  try {
    accessSync(real, constants.W_OK | constants.X_OK);
  } catch {
    throw fileError(6, `cannot create directory: ${existing} is not writable`, abs);
  }
  return missing;
}

/**
 * mkdir -p, checked first (checkDirectoryPath) and one component at a time: Node's recursive mkdir
 * loops forever on paths such as /proc/x where mkdir says ENOENT under an existing parent. Returns the
 * directories this call made, outermost first (so that a caller can take back exactly what it made).
 */
export function makeDirectories(path: string): string[] {
  const made: string[] = [];
  for (const dir of checkDirectoryPath(path)) {
    try {
      mkdirSync(dir);
      made.push(dir);
    } catch (e) {
      const code = errnoOf(e);
      // Another process made it meanwhile: fine if it is a directory.
      if (code === 'EEXIST' && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw fileError(6, `cannot create directory: ${code}`, dir, { cause: e });
    }
  }
  return made;
}
