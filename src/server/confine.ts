import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { serverError } from './errors.js';

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** True when `inner` is `outer` or below it (both already resolved). */
export function isWithin(outer: string, inner: string): boolean {
  const r = relative(outer, inner);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

/**
 * The real path of a file that must lie inside `root` (a project or job directory): `..`, absolute
 * paths and symbolic links pointing outside are refused (CServer 6), a missing file is 404 (2), and only
 * regular files are served. `rel` may be absolute (a path from the database) or relative to `root`.
 */
export function confinedFile(root: string, rel: string): { path: string; size: number } {
  const realRoot = real(root);
  if (!realRoot) throw serverError(2, 'the directory is missing', { file: root });
  if (rel.includes('\0')) throw serverError(6, 'path outside the project directory');
  const wanted = resolve(root, rel);
  if (!isWithin(resolve(root), wanted) && !isWithin(realRoot, wanted))
    throw serverError(6, 'path outside the project directory', { file: rel });
  const target = real(wanted);
  if (!target) throw serverError(2, 'no such file', { file: rel });
  if (!isWithin(realRoot, target))
    throw serverError(6, 'the path leads outside the project directory (symbolic link)', { file: rel });
  const st = statSync(target);
  if (!st.isFile()) throw serverError(2, 'not a regular file', { file: rel });
  return { path: target, size: st.size };
}
