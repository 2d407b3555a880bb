import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { errnoOf, fileError } from './errors.js';
import { closeAsync, fstatAsync, openAsync, readFdAsync } from './fd-async.js';
import { kindOf } from './kind.js';

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer (forever, deaf to Ctrl-C);
// it changes nothing for regular files. O_NOCTTY: a terminal never becomes our controlling terminal.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function notRegular(path: string, what: string): never {
  throw fileError(1, `cannot read: it is ${what}, not a regular file`, path);
}

function openFailed(path: string, e: unknown): never {
  if (e instanceof Error && e.name === 'Ccp4Error') throw e;
  throw fileError(2, `cannot read: ${errnoOf(e)}`, path, { cause: e });
}

/**
 * Opens a regular file for reading; directories, FIFOs, sockets and devices are FileAccess 1, other
 * failures (ENOENT, EACCES) FileAccess 2. stat before open (a device's open may have effects), fstat
 * after (the file may have been replaced in between). The caller closes the descriptor.
 */
export function openRegularSync(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) notRegular(path, kindOf(st));
    fd = openSync(path, READ_FLAGS);
  } catch (e) {
    openFailed(path, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) notRegular(path, kindOf(st));
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    openFailed(path, e);
  }
}

/** A regular file's bytes (at most `maxBytes`: a larger file is FileAccess 2 naming the limit). */
export function readRegularFileSync(path: string, maxBytes = Number.MAX_SAFE_INTEGER): Buffer {
  const { fd, size } = openRegularSync(path);
  try {
    if (size > maxBytes)
      throw fileError(2, `cannot read: ${size} bytes is more than the ${maxBytes} accepted`, path);
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    // The file may shrink while read: stop at its end.
    for (let r = 1; r > 0 && got < size; got += r) r = readSync(fd, buf, got, size - got, got);
    return buf.subarray(0, got);
  } catch (e) {
    openFailed(path, e);
  } finally {
    closeSync(fd);
  }
}

/** The first `n` bytes of a regular file (fewer when it is shorter). */
export function readHeadSync(path: string, n: number): Buffer {
  const { fd } = openRegularSync(path);
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } catch (e) {
    openFailed(path, e);
  } finally {
    closeSync(fd);
  }
}

/** readRegularFileSync without blocking the event loop (large coordinate files). */
export async function readRegularFile(path: string, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Buffer> {
  let fd: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) notRegular(path, kindOf(st));
    fd = await openAsync(path, READ_FLAGS);
  } catch (e) {
    openFailed(path, e);
  }
  try {
    const st = await fstatAsync(fd);
    if (!st.isFile()) notRegular(path, kindOf(st));
    if (st.size > maxBytes)
      throw fileError(2, `cannot read: ${st.size} bytes is more than the ${maxBytes} accepted`, path);
    return await readFdAsync(fd);
  } catch (e) {
    openFailed(path, e);
  } finally {
    await closeAsync(fd).catch(() => undefined); // read only: a failed close loses nothing
  }
}
