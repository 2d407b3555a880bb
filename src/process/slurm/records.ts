import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * SLURM's view of a job, from whichever source still knows it: squeue (pending, running and recently
 * ended jobs), `scontrol show job` (until MinJobAge after the end), the jobcomp file, or sacct.
 */
export interface SlurmRecord {
  jobId: string;
  /** SLURM's state name: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL... */
  state: string;
  reason?: string;
  nodes?: string;
  /** SLURM's ExitCode "code:signal" of the batch script, when the source gives it. */
  exitCode?: number;
  exitSignal?: number;
  /** When SLURM ended the job (epoch seconds), for a final state when the source gives it. */
  endTime?: number;
  source: 'squeue' | 'scontrol' | 'jobcomp' | 'sacct';
}

/**
 * A time as SLURM's commands print it (`2026-12-07T17:39:18`, in the local time zone: the client formats
 * the controller's epoch time), as epoch seconds; undefined for `Unknown`, `N/A`, `None`...
 */
export function parseSlurmTime(text: string | undefined): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)$/.exec(text ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isFinite(t) ? t / 1000 : undefined;
}

/** The end time of a record in a final state (for a running job SLURM prints the expected end). */
const endOf = (state: string, text: string | undefined) =>
  isFinalState(state) ? parseSlurmTime(text) : undefined;

/** States after which SLURM will not run the job again (the job's final state). */
const FINAL = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'SPECIAL_EXIT',
  'REVOKED',
]);

export function isFinalState(state: string): boolean {
  return FINAL.has(state);
}

/** The squeue format the client asks for: id, state, nodes, end time, then the reason (which may hold spaces). */
export const SQUEUE_FORMAT = '%i|%T|%N|%e|%r';

/** A SLURM job id as squeue and sbatch print it (`123`, an array task `123_4`). */
export const SLURM_JOB_ID = /^\d+(_\d+)?$/;

/** Parses `squeue -h -o SQUEUE_FORMAT` output; lines that do not fit are skipped. */
export function parseSqueue(stdout: string): SlurmRecord[] {
  const out: SlurmRecord[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split('|');
    if (f.length < 5 || !SLURM_JOB_ID.test(f[0]!) || !/^[A-Z_]+$/.test(f[1]!)) continue;
    const endTime = endOf(f[1]!, f[3]);
    out.push({
      jobId: f[0]!,
      state: f[1]!,
      nodes: f[2] || undefined,
      reason: f.slice(4).join('|') || undefined,
      ...(endTime !== undefined ? { endTime } : {}),
      source: 'squeue',
    });
  }
  return out;
}

function field(line: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${key}=(\\S*)`).exec(line);
  return m?.[1];
}

/** A one-line `key=value ...` record (scontrol -o show job, jobcomp/filetxt) for `jobId`. */
export function parseKeyValueRecord(
  line: string,
  source: 'scontrol' | 'jobcomp',
  jobId?: string,
): SlurmRecord | undefined {
  const id = field(line, 'JobId');
  const rawState = field(line, 'JobState');
  if (!id || !rawState || (jobId !== undefined && id !== jobId)) return undefined;
  const exit = /^(\d+):(\d+)$/.exec(field(line, 'ExitCode') ?? '');
  const nodes = field(line, 'NodeList');
  const state = rawState.split('+')[0]!;
  const endTime = endOf(state, field(line, 'EndTime'));
  return {
    jobId: id,
    state,
    reason: field(line, 'Reason') || undefined,
    nodes: nodes && nodes !== '(null)' ? nodes : undefined,
    exitCode: exit ? Number(exit[1]) : undefined,
    exitSignal: exit ? Number(exit[2]) : undefined,
    ...(endTime !== undefined ? { endTime } : {}),
    source,
  };
}

/** Parses `scontrol -o show job ID`. */
export function parseScontrolJob(stdout: string, jobId: string): SlurmRecord | undefined {
  for (const line of stdout.split('\n')) {
    const r = parseKeyValueRecord(line, 'scontrol', jobId);
    if (r) return r;
  }
  return undefined;
}

/** Parses `sacct -n -P -X -o JobID,State,ExitCode,End` output ("CANCELLED by 0" is CANCELLED). */
export function parseSacct(stdout: string, jobId: string): SlurmRecord | undefined {
  for (const line of stdout.split('\n')) {
    const [id, rawState, exit, end] = line.trim().split('|');
    if (id !== jobId || !rawState) continue;
    const m = /^(\d+):(\d+)$/.exec(exit ?? '');
    const state = rawState.split(' ')[0]!;
    const endTime = endOf(state, end);
    return {
      jobId,
      state,
      exitCode: m ? Number(m[1]) : undefined,
      exitSignal: m ? Number(m[2]) : undefined,
      ...(endTime !== undefined ? { endTime } : {}),
      source: 'sacct',
    };
  }
  return undefined;
}

/**
 * The last record of `jobId` in a jobcomp/filetxt file, reading at most the last `maxBytes` (the file
 * grows by one line per job for the life of the cluster). Undefined when unreadable or absent.
 */
export function findJobcompRecord(
  file: string,
  jobId: string,
  maxBytes = 4 * 1024 * 1024,
): SlurmRecord | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    const lines = buf.toString('utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      if (!lines[i]!.startsWith(`JobId=${jobId} `)) continue;
      const r = parseKeyValueRecord(lines[i]!, 'jobcomp', jobId);
      if (r) return r;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
