import { closeSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobDatabase, JobRecord } from '../../db/index.js';
import { dbError, isTerminal, runnerAlive, thisRunner } from '../../db/index.js';
import { openRegularSync } from '../../files/read.js';

/** Bytes of `file` from `offset` to its current end, written to stdout; the new offset. */
function copyFrom(file: string, offset: number): number {
  let fd: number;
  try {
    fd = openRegularSync(file).fd; // a FIFO in its place would block an open for ever: refused
  } catch (e) {
    if ((e as { code?: unknown }).code === 1) throw e; // FileAccess 1: not a regular file
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

/** The top-level job of `job` (itself when it is one): its runner is the one that records it. */
function topOf(db: JobDatabase, job: JobRecord): JobRecord {
  let j = job;
  for (let p = j.parentId; p !== null; p = j.parentId) {
    const parent = db.jobs.get(p);
    if (!parent) break;
    j = parent;
  }
  return j;
}

/** A local runner of this host that is gone (killed, crashed): its job will never record its end. */
function runnerGone(row: JobRecord | undefined): boolean {
  if (row?.executor !== 'local' || row.pid === null || isTerminal(row.status)) return false;
  if (row.host !== null && row.host !== thisRunner().host) return false;
  return !runnerAlive(row.pid, row.pidStartTime);
}

/**
 * Prints the job's log.txt; with `follow`, keeps printing what is appended (polling: the runner may be
 * another process, on another host sharing the directory) until the database says the job has ended.
 * A job run where no database is (SLURM) is refreshed from its executor meanwhile (one squeue per poll
 * interval), so the follower ends with the job even when its coordinator is gone; a local job whose
 * runner died (kill -9) is marked Failed by crash recovery as soon as that is seen, and the follower ends.
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
  const top = topOf(db, job);
  let refresher =
    top.executor !== 'local' && !isTerminal(top.status)
      ? await (await import('./job-wait.js')).jobRefresher(db, top)
      : undefined;
  try {
    for (;;) {
      const now = db.jobs.get(job.id);
      const ended = !now || isTerminal(now.status);
      offset = copyFrom(file, offset);
      if (ended) return;
      // Looked for on every poll (a read of /proc/PID/stat); recovery is loaded only once it is gone.
      if (!refresher && runnerGone(db.jobs.get(top.id)))
        refresher = await (await import('./job-wait.js')).jobRefresher(db, top);
      await refresher?.tick();
      await sleep(intervalMs);
    }
  } finally {
    refresher?.close();
  }
}
