import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, readlinkSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { errnoOf, fileError } from './errors.js';
import { closeAsync, openAsync, writeAllAsync } from './fd-async.js';
import { kindOf } from './kind.js';

export interface OutputOptions {
  /** Write through a symbolic link into its target; without it a link is refused (FileAccess 4). */
  followSymlinks?: boolean;
}

function lstatOrUndefined(path: string) {
  try {
    // No exception for the usual case (nothing there yet): building one costs more than the syscall.
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (e) {
    throw fileError(3, `cannot write: ${errnoOf(e)}`, path, { cause: e });
  }
}

/**
 * Where an output named `path` may be written, checked before anything is written: nothing there yet or
 * a regular file → `path`; a symbolic link → its final target with `followSymlinks` (FileAccess 4
 * without: replacing the link would leave its target stale, a user rarely means that); a directory,
 * FIFO, socket or device → FileAccess 1 (a rename would replace `/dev/full` with a file).
 */
export function outputTarget(path: string, opts: OutputOptions = {}): string {
  let target = resolve(path);
  for (let hops = 0; ; hops++) {
    const st = lstatOrUndefined(target);
    if (!st || st.isFile()) return target;
    if (!st.isSymbolicLink())
      throw fileError(1, `cannot write: it is ${kindOf(st)}, not a regular file`, path);
    if (!opts.followSymlinks)
      throw fileError(
        4,
        `will not write: it is a symbolic link (to ${readlinkSync(target)}); name its target, or allow writing through links`,
        path,
      );
    if (hops >= 40) throw fileError(3, 'cannot write: too many levels of symbolic links', path);
    target = resolve(dirname(target), readlinkSync(target));
  }
}

let tmpPrefix: string | undefined;
let tmpCount = 0;

/**
 * A temporary name beside `target` (same directory, so the rename is atomic), unguessable by others and
 * never repeated by this process: 48 random bits drawn once per process, then a counter (drawing random
 * bytes for every file cost more than the rest of naming it). It is created exclusively all the same.
 */
function tmpBeside(target: string): string {
  tmpPrefix ??= randomBytes(6).toString('hex');
  return join(dirname(target), `.${basename(target)}.${tmpPrefix}${(++tmpCount).toString(36)}.tmp`);
}

function writeFailed(path: string, e: unknown): never {
  if (e instanceof Error && e.name === 'Ccp4Error') throw e;
  throw fileError(3, `cannot write: ${errnoOf(e)}`, path, { cause: e });
}

/**
 * Writes a file whole or not at all: an exclusive temporary file beside the target, then a rename onto
 * a regular file or nothing (checked again just before). On failure (disk full...) the temporary file is
 * removed and the target is untouched. Returns the path written (a link's target with followSymlinks).
 */
export function writeFileAtomicSync(
  path: string,
  data: string | Uint8Array,
  opts: OutputOptions = {},
): string {
  const target = outputTarget(path, opts);
  const tmp = tmpBeside(target);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    outputTarget(target);
    renameSync(tmp, target);
    return target;
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    writeFailed(path, e);
  }
}

/** writeFileAtomicSync for data produced in pieces (large files: the pieces are never joined). */
export async function writeStreamAtomic(
  path: string,
  pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: OutputOptions = {},
): Promise<string> {
  const target = outputTarget(path, opts);
  const tmp = tmpBeside(target);
  let fd: number | undefined;
  let created = false;
  try {
    fd = await openAsync(tmp, 'wx');
    created = true;
    for await (const piece of pieces) await writeAllAsync(fd, piece);
    const done = fd;
    fd = undefined;
    await closeAsync(done);
    outputTarget(target);
    renameSync(tmp, target);
    return target;
  } catch (e) {
    if (fd !== undefined) await closeAsync(fd).catch(() => undefined);
    if (created)
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    writeFailed(path, e);
  }
}

/**
 * Claims the first free name in `dir` among `name`, `stem_1.ext`, `stem_2.ext`... by creating it, empty,
 * with O_EXCL: two writers at once (requests of one server, or separate processes) never get the same
 * name, as an existence check followed by a write would allow. Fill it with writeFileAtomicSync or
 * writeStreamAtomic (a rename onto the empty placeholder); remove it on failure.
 */
export function claimFreeName(dir: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let i = 0; ; i++) {
    const path = join(dir, i === 0 ? name : `${stem}_${i}${ext}`);
    try {
      closeSync(openSync(path, 'wx'));
      return path;
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw fileError(3, `cannot create: ${errnoOf(e)}`, path, { cause: e });
    }
  }
}
