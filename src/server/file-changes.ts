import { type FSWatcher, watch } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Wakes the followers of files when their directory changes (inotify through fs.watch), one watcher per
 * directory however many clients follow files in it, with a timeout as a safety net for file systems
 * that report nothing (NFS) and for a directory that does not exist yet.
 */
class DirectoryWatch {
  readonly waiters = new Set<() => void>();
  users = 0;
  #watcher: FSWatcher | undefined;

  constructor(readonly dir: string) {
    this.#start();
  }

  #start(): void {
    try {
      this.#watcher = watch(this.dir, { persistent: false }, () => this.wake());
      this.#watcher.on('error', () => this.close());
    } catch {
      this.#watcher = undefined;
    }
  }

  wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  wait(timeoutMs: number): Promise<void> {
    if (!this.#watcher) this.#start(); // the directory may have appeared since
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}

const watches = new Map<string, DirectoryWatch>();

export interface FileChanges {
  /** Resolves at the next change in the file's directory, or after `timeoutMs`. */
  next(timeoutMs?: number): Promise<void>;
  release(): void;
}

/** Follows changes of a file's directory until `release()`. */
export function fileChanges(file: string): FileChanges {
  const dir = dirname(file);
  let w = watches.get(dir);
  if (!w) {
    w = new DirectoryWatch(dir);
    watches.set(dir, w);
  }
  w.users++;
  const watch = w;
  let released = false;
  return {
    next: (timeoutMs = 500) => watch.wait(timeoutMs),
    release: () => {
      if (released) return;
      released = true;
      if (--watch.users === 0) {
        watch.close();
        watch.wake();
        watches.delete(dir);
      }
    },
  };
}

/** Directories watched now (tests and the memory benchmark check it returns to 0). */
export function watchedDirectories(): number {
  return watches.size;
}
