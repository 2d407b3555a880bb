import { setTimeout as sleep } from 'node:timers/promises';
import type { JobDatabase, JobRecord } from '../../db/index.js';
import { isTerminal, JobStatus } from '../../db/index.js';
import { DB_EXIT, jobService } from './job-context.js';

/**
 * How often a command following a job asks its executor (a SLURM job: one squeue for the project's
 * jobs), as i2run's coordinator does ($CCP4I2_SLURM_POLL_MS, default 5 s).
 */
export function pollIntervalMs(): number {
  const ms = Number(process.env.CCP4I2_SLURM_POLL_MS ?? 5000);
  return ms > 0 ? ms : 5000;
}

/**
 * A refresher for a command that follows a job run where no database is (SLURM): each call at most once
 * per poll interval asks the executors about the project's jobs and records what changed (the end of a
 * job with its outputs), so the follower ends even when no coordinator is left. Local jobs record
 * themselves: for them this only looks for a dead runner. Close it after use.
 */
export async function jobRefresher(db: JobDatabase, job: JobRecord) {
  const service = await jobService(db);
  let next = 0;
  return {
    async tick(): Promise<void> {
      if (Date.now() < next) return;
      next = Date.now() + pollIntervalMs();
      if (job.executor === 'local') await service.reconcile(job.projectId);
      else await service.refresh(job.projectId);
    },
    close: () => service.close(),
  };
}

/**
 * `jobs wait N`: returns once the job has ended, acting as its coordinator meanwhile (needed when the
 * i2run that submitted a SLURM job was killed); the exit status says how it ended.
 */
export async function waitJob(db: JobDatabase, job: JobRecord): Promise<{ row: JobRecord; exit: number }> {
  const refresher = await jobRefresher(db, job);
  try {
    for (;;) {
      const row = db.jobs.get(job.id)!;
      if (isTerminal(row.status)) return { row, exit: exitOf(row.status) };
      await refresher.tick();
      if (!isTerminal(db.jobs.get(job.id)!.status)) await sleep(Math.min(250, pollIntervalMs()));
    }
  } finally {
    refresher.close();
  }
}

function exitOf(status: JobStatus): number {
  if (status === JobStatus.FINISHED) return DB_EXIT.OK;
  return status === JobStatus.INTERRUPTED ? DB_EXIT.INTERRUPTED : DB_EXIT.JOB_NOT_FINISHED;
}
