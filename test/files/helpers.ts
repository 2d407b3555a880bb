import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function scratch(prefix = 'ccp4i2-files-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function mkfifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** A listening Unix socket at `path` (close it after the test). */
export async function unixSocket(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return server;
}

/**
 * A tmpfs of `size` (e.g. '64k') to fill up, as on a full disk; mounting needs root. Returns the mount
 * point and an unmount function, or undefined (with a message) when it cannot be mounted — which fails
 * under CI=true, where the tests run as root.
 */
export function tinyTmpfs(size = '64k'): { dir: string; unmount: () => void } | undefined {
  const dir = scratch('ccp4i2-tmpfs-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = `cannot mount a tmpfs (needs root): ${(r.stderr || r.error?.message || '').trim()}`;
    if (process.env.CI === 'true') throw new Error(`${why}; required under CI=true`);
    console.warn(`skipping disk-full tests: ${why}`);
    return undefined;
  }
  return {
    dir,
    unmount: () => {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A character device to write to without risking the machine's own: a private copy of /dev/full (1,7)
 * made with mknod (root), else /dev/full itself when it still is a device (a broken check would replace
 * it with a file, so the private copy is preferred).
 */
export function fullDevice(dir: string): string {
  const path = join(dir, 'full');
  if (spawnSync('mknod', [path, 'c', '1', '7']).status === 0) return path;
  if (statSync('/dev/full').isCharacterDevice()) return '/dev/full';
  throw new Error('no character device to test with: mknod failed and /dev/full is not a device');
}
