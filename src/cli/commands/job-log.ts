import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobDatabase, JobRecord } from '../../db/index.js';
import { dbError, isTerminal } from '../../db/index.js';

/** Bytes of `file` from `offset` to its current end, written to stdout; the new offset. */
function copyFrom(file: string, offset: number): number {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return offset; // not written yet
  }
  try {
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) return offset;
      process.stdout.write(buf.subarray(0, n));
      offset += n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Prints the job's log.txt; with `follow`, keeps printing what is appended (polling: the runner may be
 * another process, on another host sharing the directory) until the database says the job has ended.
 * A job run where no database is (SLURM) is refreshed from its executor meanwhile (one squeue per poll
 * interval), so the follower ends with the job even when its coordinator is gone.
 */
export async function followLog(
  db: JobDatabase,
  job: JobRecord,
  follow: boolean,
  intervalMs = 200,
): Promise<void> {
  const file = join(job.directory, 'log.txt');
  let offset = copyFrom(file, 0);
  if (!follow) {
    if (offset === 0 && !statSync(file, { throwIfNoEntry: false }))
      throw dbError(11, `job ${job.number} has no log yet`, { file });
    return;
  }
  const top = job.parentId === null ? job : undefined;
  const refresher =
    top && top.executor !== 'local' && !isTerminal(top.status)
      ? await (await import('./job-wait.js')).jobRefresher(db, top)
      : undefined;
  try {
    for (;;) {
      const now = db.jobs.get(job.id);
      const ended = !now || isTerminal(now.status);
      offset = copyFrom(file, offset);
      if (ended) return;
      await refresher?.tick();
      await sleep(intervalMs);
    }
  } finally {
    refresher?.close();
  }
}
