import type { JobRecord, ProjectRecord } from '../db/index.js';
import type { JobStatus } from '../db/status.js';

/**
 * How a job gets run somewhere. Every executor runs the same thing, the job's runner command
 * (`ccp4i2 jobs run N --project P --db FILE`, which records itself in the database as it goes); the
 * executor only decides where and how it is started and stopped. The database row keeps which executor
 * ran a job (`executor`) and its id there (`externalId`: a pid for `local`, a SLURM job id for `slurm`),
 * so any process — a CLI in another terminal, a restarted server — can find the job again.
 *
 * Lifecycle: prepare → submit → (poll, in batches) → finished, or cancel. After a coordinator restart,
 * `reconcile` is given the executor's jobs still recorded Queued/Running and says which are dead.
 */
export interface Executor {
  /** The name recorded in `jobs.executor` (`local`, `slurm`...). */
  readonly name: string;

  /** True when it runs its own command, not the service's runner command (slurm: no database on the node). */
  readonly runsOwnCommand?: boolean;

  /** Optional: anything needed before submission (a batch script beside the job...). */
  prepare?(spec: RunSpec): Promise<void>;

  /** Starts (local) or submits (batch) the runner; resolves once it is started or queued. */
  submit(spec: RunSpec): Promise<Submission>;

  /**
   * The state of many jobs in one query (one `squeue` per interval, never one per job). Jobs it does not
   * report are unknown to it (finished long ago, or never submitted).
   */
  poll(jobs: readonly JobRecord[]): Promise<Map<string, ExecutorState>>;

  /** Stops the job wherever it runs (whole process tree, scancel...). Safe when it is already gone. */
  cancel(job: JobRecord): Promise<void>;

  /**
   * Crash recovery: for jobs recorded Queued/Running with this executor, which ones are dead (runner
   * gone, scheduler says failed). Jobs it cannot judge (another host...) are left out: they stay as they are.
   */
  reconcile(jobs: readonly JobRecord[]): Promise<DeadJob[]>;

  /**
   * Optional, called before reconcile: jobs recorded without their external id (their coordinator died
   * while submitting them) that the executor finds again; the service records the id, and they are
   * followed as any other.
   */
  recover?(jobs: readonly JobRecord[]): Promise<RecoveredJob[]>;

  /** Optional: stops timers or monitors it keeps (JobService.close). */
  close?(): void;

  /**
   * Optional: subscribes to the executor's wish to be polled now, before the next interval (slurm: a
   * job's status file says it ended). Returns the unsubscribe function. A wish made while nobody listens
   * is kept for the next subscriber.
   */
  onWake?(listener: () => void): () => void;
}

export interface RunSpec {
  job: JobRecord;
  project: ProjectRecord;
  /** The runner's argv (argv[0] is the program); never a shell string. */
  command: string[];
  /** Environment additions for the runner (the job id marker, the database file). */
  env: Record<string, string>;
  /** Where the runner's own output goes (the job directory's runner.txt). */
  logFile: string;
  /** Options of this run for the executor (SLURM partition, time limit...), validated by it. */
  executorOptions?: Record<string, unknown>;
}

export interface Submission {
  /** The id in the executor (pid, SLURM job id). */
  externalId: string;
  /** Queued (waiting for a slot or a node) or Running. */
  status: JobStatus;
  /** For a local runner: its pid and start time, recorded so that cancel and recovery can validate it. */
  pid?: number;
  pidStartTime?: number | null;
}

export interface ExecutorState {
  /** Queued, Running, or a terminal status when the executor knows the job ended. */
  status: JobStatus;
  /** What the executor says (a SLURM state, an exit code), for the job's diagnostic. */
  detail?: string;
  /** For an ended job, when the executor knows them: the runner's exit code or signal. */
  exitCode?: number | null;
  exitSignal?: string | null;
  /** For an ended job never seen running (it ran between two polls): when it started, if known (ISO). */
  started?: string;
}

export interface RecoveredJob {
  job: JobRecord;
  /** Its id in the executor, found again. */
  externalId: string;
  /** How it was found, for the log (e.g. "SLURM job 12 (by its job directory)"). */
  detail: string;
}

export interface DeadJob {
  job: JobRecord;
  /** Shown as the job's diagnostic, e.g. "runner pid 1234 on host x died (last seen ...)". */
  diagnostic: string;
}
