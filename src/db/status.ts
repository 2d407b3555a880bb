import { PluginStatus } from '../plugins/status.js';

/** CCP4i2's database job status codes (its Job.status), kept as they are in CCP4i2's databases. */
export const JobStatus = {
  UNKNOWN: 0,
  PENDING: 1,
  QUEUED: 2,
  RUNNING: 3,
  INTERRUPTED: 4,
  FAILED: 5,
  FINISHED: 6,
  RUNNING_REMOTELY: 7,
  FILE_HOLDER: 8,
  TO_DELETE: 9,
  UNSATISFACTORY: 10,
} as const;

export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

/** CCP4i2's display names. */
export const JOB_STATUS_NAMES: Record<JobStatus, string> = {
  0: 'Unknown',
  1: 'Pending',
  2: 'Queued',
  3: 'Running',
  4: 'Interrupted',
  5: 'Failed',
  6: 'Finished',
  7: 'Running remotely',
  8: 'File holder',
  9: 'To delete',
  10: 'Unsatisfactory',
};

export function jobStatusName(s: number): string {
  return JOB_STATUS_NAMES[s as JobStatus] ?? `Unknown(${s})`;
}

/** A status given by name (case and spaces ignored: `running`, `RunningRemotely`) or number. */
export function parseJobStatus(text: string): JobStatus | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) in JOB_STATUS_NAMES ? (Number(t) as JobStatus) : undefined;
  const key = t.toLowerCase().replace(/[\s_-]/g, '');
  for (const [k, v] of Object.entries(JOB_STATUS_NAMES))
    if (v.toLowerCase().replace(/\s/g, '') === key) return Number(k) as JobStatus;
  return undefined;
}

/** Statuses a job never leaves by itself. */
export const TERMINAL_STATUSES: readonly JobStatus[] = [
  JobStatus.INTERRUPTED,
  JobStatus.FAILED,
  JobStatus.FINISHED,
  JobStatus.UNSATISFACTORY,
  JobStatus.TO_DELETE,
  JobStatus.FILE_HOLDER,
];

/** Statuses of a job that something is (or should be) running. */
export const ACTIVE_STATUSES: readonly JobStatus[] = [
  JobStatus.QUEUED,
  JobStatus.RUNNING,
  JobStatus.RUNNING_REMOTELY,
];

export function isTerminal(s: number): boolean {
  return (TERMINAL_STATUSES as readonly number[]).includes(s);
}

/** The database status a plugin's finish status is recorded as. */
export function statusFromPlugin(s: number): JobStatus {
  switch (s) {
    case PluginStatus.SUCCEEDED:
      return JobStatus.FINISHED;
    case PluginStatus.FAILED:
      return JobStatus.FAILED;
    case PluginStatus.INTERRUPTED:
      return JobStatus.INTERRUPTED;
    case PluginStatus.MARK_TO_DELETE:
      return JobStatus.TO_DELETE;
    case PluginStatus.UNSATISFACTORY:
      return JobStatus.UNSATISFACTORY;
    case PluginStatus.RUNNING:
      return JobStatus.RUNNING;
    default:
      return JobStatus.UNKNOWN;
  }
}
