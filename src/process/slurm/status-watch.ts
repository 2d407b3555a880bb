import { type FSWatcher, watch } from 'node:fs';
import { BATCH_FILES } from './batch-script.js';

/**
 * Calls `onChange` when slurm.status is (re)placed in the job directory: a hint only, so that a job's end
 * is seen without waiting for the next poll. The batch script renames the file into place, which inotify
 * reports on the directory. Where no event comes (a network filesystem written by another machine, no
 * inotify watches left) nothing is lost: the monitor's polls read the file anyway. The watch never keeps
 * the process alive. Returns the function that stops it.
 */
export function watchStatusFile(jobDirectory: string, onChange: () => void): () => void {
  let watcher: FSWatcher;
  try {
    watcher = watch(jobDirectory, { persistent: false }, (_event, name) => {
      if (name === null || String(name) === BATCH_FILES.status) onChange();
    });
  } catch {
    return () => {}; // directory gone, ENOSPC (inotify limit)...: polling alone
  }
  watcher.on('error', () => watcher.close());
  return () => watcher.close();
}
