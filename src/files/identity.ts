import { statSync } from 'node:fs';

/** A file's identity, device and inode: two paths (links, `..`, bind mounts) name one file when they agree. */
export function fileIdentity(path: string): string | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? `${st.dev}:${st.ino}` : undefined;
}

/** Whether both paths exist and are the same file. */
export function sameFile(a: string, b: string): boolean {
  const id = fileIdentity(a);
  return id !== undefined && id === fileIdentity(b);
}
