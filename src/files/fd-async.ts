import { close, fstat, open, readFile, write } from 'node:fs';
import { promisify } from 'node:util';

// Asynchronous file-descriptor operations on Node's callback API, promisified. Not node:fs/promises or
// file streams: loading those (file watchers, readline, FileHandle, stream classes) cost every task that
// reads or writes a coordinate file ~1 ms of start-up (docs/benchmarks.md).

export const openAsync = promisify(open);
export const fstatAsync = promisify(fstat);
export const closeAsync = promisify(close);
/** The whole rest of an open file. */
export const readFdAsync = promisify(readFile) as (fd: number) => Promise<Buffer>;
const writeAsync = promisify(write);

/** Writes all of `data` at the file's position (a write may take only part of it). */
export async function writeAllAsync(fd: number, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length; ) {
    const { bytesWritten } = await writeAsync(fd, data, off, data.length - off, null);
    // never loop for ever on a file that takes nothing
    if (bytesWritten <= 0) throw Object.assign(new Error('write took no bytes'), { code: 'EIO' });
    off += bytesWritten;
  }
}
