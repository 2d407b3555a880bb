import { HAVE_PROC, type JobMark, jobProcesses, snapshot } from './proc-table.js';

/** How often running jobs' processes are recorded. */
const INTERVAL_MS = 500;

const jobs = new Map<number, { known: Map<number, number>; mark?: JobMark }>();
let timer: NodeJS.Timeout | undefined;

function tick(): void {
  // One /proc scan serves every running job.
  const all = snapshot();
  for (const [root, { known, mark }] of jobs)
    for (const e of jobProcesses(root, known, undefined, all, mark)) known.set(e.pid, e.startTime);
}

/** Records the processes of the job led by `root` now, in `known` (pid -> start time). */
export function trackOnce(root: number, known: Map<number, number>, mark?: JobMark): void {
  if (!HAVE_PROC) return;
  for (const e of jobProcesses(root, known, undefined, undefined, mark)) known.set(e.pid, e.startTime);
}

/**
 * Records the job's processes every 500 ms until the returned function is called, so that a process
 * that leaves the job's session and is orphaned can still be found when the job is stopped. All jobs
 * share one timer and one scan per tick.
 */
export function trackJob(root: number, known: Map<number, number>, mark?: JobMark): () => void {
  if (!HAVE_PROC) return () => {};
  jobs.set(root, { known, mark });
  if (!timer) {
    timer = setInterval(tick, INTERVAL_MS);
    timer.unref();
  }
  return () => {
    jobs.delete(root);
    if (jobs.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
