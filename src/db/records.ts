import type { JobStatus } from './status.js';

/** Times are ISO-8601 UTC strings (sortable, readable in `sqlite3`). */
export type Iso = string;

export interface ProjectRecord {
  id: string;
  name: string;
  directory: string;
  created: Iso;
  lastJobNumber: number;
}

export interface JobRecord {
  id: string;
  projectId: string;
  /** `"3"`, sub-jobs `"3.1"`, `"3.1.2"` (directories `CCP4_JOBS/job_3/job_1/job_2`). */
  number: string;
  parentId: string | null;
  taskName: string;
  taskVersion: string | null;
  title: string | null;
  status: JobStatus;
  directory: string;
  created: Iso;
  started: Iso | null;
  finished: Iso | null;
  /** Last time the runner wrote to this row (transitions and a heartbeat while running). */
  lastSeen: Iso | null;
  /** The runner: host name, pid and the pid's start time (clock ticks since boot, /proc/PID/stat). */
  host: string | null;
  pid: number | null;
  pidStartTime: number | null;
  /** Which executor runs the job (`local`, `slurm`...) and its id there (e.g. the SLURM job id). */
  executor: string;
  externalId: string | null;
  exitCode: number | null;
  exitSignal: string | null;
  cacheKey: string | null;
  /** The job whose outputs this one reused (resume), if any. */
  reusedFrom: string | null;
  /** Why the job failed when its runner could not say (crash recovery), or a short summary. */
  diagnostic: string | null;
}

export interface FileRecord {
  id: string;
  projectId: string;
  /** The job that made it; null for an imported file. */
  jobId: string | null;
  paramName: string | null;
  className: string | null;
  subType: number | null;
  contentFlag: number | null;
  annotation: string | null;
  path: string;
  size: number | null;
  checksum: string | null;
  created: Iso;
}

export interface FileUseRecord {
  fileId: string;
  jobId: string;
  role: 'in' | 'out';
  paramName: string;
}

export interface JobValueRecord {
  jobId: string;
  key: string;
  type: 'float' | 'int' | 'text';
  value: number | string | null;
}

type Row = Record<string, unknown>;

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const KEY_CACHE = new Map<string, string>();

/** A row with snake_case columns as a record with camelCase fields. */
export function fromRow<T>(row: Row | undefined): T | undefined {
  if (!row) return undefined;
  const out: Row = {};
  for (const k in row) {
    let c = KEY_CACHE.get(k);
    if (c === undefined) {
      c = camel(k);
      KEY_CACHE.set(k, c);
    }
    out[c] = row[k];
  }
  return out as T;
}

export function fromRows<T>(rows: Row[]): T[] {
  return rows.map((r) => fromRow<T>(r) as T);
}

export const now = (): Iso => new Date().toISOString();
