import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface FileFacts {
  size: number;
  mtime: string;
  /** `sha256:<hex>` of the content. */
  checksum: string;
}

/** Checksums by path, valid while size and mtime are unchanged (a pipeline's steps share their inputs). */
const cache = new Map<string, { size: number; mtimeMs: number; checksum: string }>();
const buffer = Buffer.alloc(1 << 20);

/** Size, mtime and SHA-256 of a regular file; undefined when it is absent or not a file. */
export function fileFacts(path: string): FileFacts | undefined {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  const mtime = st.mtime.toISOString();
  const hit = cache.get(path);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs)
    return { size: st.size, mtime, checksum: hit.checksum };
  const hash = createHash('sha256');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    for (
      let n = readSync(fd, buffer, 0, buffer.length, null);
      n > 0;
      n = readSync(fd, buffer, 0, buffer.length, null)
    )
      hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  const checksum = `sha256:${hash.digest('hex')}`;
  cache.set(path, { size: st.size, mtimeMs: st.mtimeMs, checksum });
  return { size: st.size, mtime, checksum };
}
