import { hostname } from 'node:os';
import { readProc } from '../process/proc-table.js';

/** Who runs a job: this host, a pid, and that pid's start time (tells a reused pid apart). */
export interface RunnerIdentity {
  host: string;
  pid: number;
  pidStartTime: number | null;
}

let self: RunnerIdentity | undefined;

/** This process as a runner (read once). */
export function thisRunner(): RunnerIdentity {
  self ??= { host: hostname(), pid: process.pid, pidStartTime: readProc(process.pid)?.startTime ?? null };
  return self;
}

/**
 * Whether the runner recorded as (pid, start time) is alive on this host: the pid exists and, when a start
 * time was recorded, has that start time (a pid reused by another program counts as gone).
 */
export function runnerAlive(pid: number | null, pidStartTime: number | null): boolean {
  if (pid === null || !Number.isSafeInteger(pid) || pid <= 1) return false;
  const e = readProc(pid);
  if (!e || e.state === 'Z' || e.state === 'X') return false;
  return pidStartTime === null || e.startTime === pidStartTime;
}
