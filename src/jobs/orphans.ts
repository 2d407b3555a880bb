import { readFileSync } from 'node:fs';
import { stopProcessTree } from '../process/kill-tree.js';
import { isAlive, type ProcEntry, snapshot } from '../process/proc-table.js';

/** Environment variable carrying the job's id into its runner and every program it starts. */
export const JOB_ID_ENV = 'CCP4I2_JOB_ID';

function environHas(pid: number, marker: string): boolean {
  try {
    // NUL-separated; only our own processes are readable (others: EACCES, skipped).
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
  } catch {
    return false;
  }
}

/**
 * Processes still left of a job whose runner may be gone: those carrying the job's id in their
 * environment (the runner sets it for itself, so every program of the job and its sub-jobs inherits it).
 * Not "anything working in the job directory": a user's shell sitting there is not the job's.
 */
export function jobLeftovers(jobId: string): ProcEntry[] {
  const marker = `${JOB_ID_ENV}=${jobId}`;
  return snapshot().filter((e) => e.pid !== process.pid && isAlive(e) && environHas(e.pid, marker));
}

/**
 * Stops every process left of a job (each found one and its tree, TERM then KILL, through the process
 * layer's tree stop and `sendSignal`). Resolves with the pids found.
 */
export async function stopJobLeftovers(jobId: string, graceMs = 2000): Promise<number[]> {
  const found = jobLeftovers(jobId);
  if (found.length === 0) return [];
  const known = new Map(found.map((e) => [e.pid, e.startTime]));
  await Promise.all(found.map((e) => stopProcessTree(e.pid, { graceMs, known })));
  return found.map((e) => e.pid);
}
