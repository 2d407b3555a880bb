import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { setImmediate as flush } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { dbError, type JobRecord, type ProjectRecord, runnerAlive, thisRunner } from '../../db/index.js';
import { JobStatus, jobStatusName } from '../../db/status.js';
import { type Ccp4Error, isCcp4Error } from '../../errors/ccp4-error.js';
import { type TaskRegistry, taskRegistry } from '../../plugins/index.js';
import {
  directoriesBeingSubmitted,
  type MonitorOptions,
  readStatusFile,
  SLURM_JOB_ID,
  SlurmErrorCode,
  type SlurmJobOptions,
  type SlurmJobResult,
  SlurmMonitor,
  slurmError,
  slurmJobsByDirectory,
  submitJob,
} from '../../process/slurm/index.js';
import type { DeadJob, Executor, ExecutorState, RecoveredJob, RunSpec, Submission } from '../executor.js';
import { preparedJob, runPreparedArgs, statusFromPreparedExit } from '../prepared.js';

export interface SlurmExecutorOptions extends Omit<MonitorOptions, 'manual' | 'pollIntervalMs' | 'onWake'> {
  /** SLURM options of every job (partition, account...). */
  defaults?: SlurmJobOptions;
  /** Per-project defaults, by project name, over `defaults`. */
  projects?: Record<string, SlurmJobOptions>;
  /**
   * The command the node runs before `run-prepared ...`: default this Node and this package's
   * `ccp4i2` CLI (dist/bin/ccp4i2.cjs), at the same paths on the nodes.
   */
  nodeCommand?: readonly string[];
  /** Where the task's TIMEOUT_PERIOD is found (default: the shared registry). */
  registry?: TaskRegistry;
}

/**
 * This package's built `ccp4i2` CLI (dist/bin/ccp4i2.cjs), found from this module's place upwards (it may
 * be bundled into dist/chunks or run from src/ by tests): the package root is the first directory above
 * with a package.json named ccp4i2-ts.
 */
export function defaultNodeCommand(): string[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'ccp4i2-ts') return [process.execPath, join(dir, 'dist/bin/ccp4i2.cjs')];
    } catch {
      // not here: look further up
    }
    const up = dirname(dir);
    if (up === dir)
      throw dbError(11, 'cannot find the ccp4i2-ts package (its dist/bin/ccp4i2.cjs) for the SLURM nodes', {
        objectPath: 'nodeCommand',
      });
    dir = up;
  }
}

/**
 * Runs whole jobs as SLURM jobs, as Nextflow's executors do: a small adapter over the process layer's
 * SLURM client. The node runs `ccp4i2 run-prepared` in the job directory (a pipeline runs inside that
 * one SLURM job) and writes files only; the coordinator polls (one squeue for all its jobs) and writes
 * the database. A SLURM job is judged by SLURM and its status file, never by the coordinator's pid.
 */
export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  readonly runsOwnCommand = true;
  readonly monitor: SlurmMonitor;
  readonly #o: SlurmExecutorOptions;
  readonly #results = new Map<string, SlurmJobResult>();
  readonly #wakeListeners = new Set<() => void>();
  #wakePending = false;

  constructor(options: SlurmExecutorOptions = {}) {
    this.#o = options;
    this.monitor = new SlurmMonitor({
      ...options,
      manual: true,
      pollIntervalMs: 1000,
      onWake: () => this.#wake(),
    });
  }

  /** The job service's wait is cut short when the monitor sees a job's end in its status file. */
  onWake(listener: () => void): () => void {
    this.#wakeListeners.add(listener);
    if (this.#wakePending) {
      this.#wakePending = false;
      queueMicrotask(listener);
    }
    return () => this.#wakeListeners.delete(listener);
  }

  #wake(): void {
    if (this.#wakeListeners.size === 0) this.#wakePending = true;
    for (const l of [...this.#wakeListeners]) l();
  }

  /** The SLURM options of a run: defaults, the project's, the task's TIMEOUT_PERIOD, then the run's own. */
  slurmOptions(job: JobRecord, project: ProjectRecord, run: SlurmJobOptions = {}): SlurmJobOptions {
    const o: SlurmJobOptions = {
      jobName: `ccp4i2-${job.taskName}-${job.number}`,
      ...this.#o.defaults,
      ...this.#o.projects?.[project.name],
    };
    const cls = (this.#o.registry ?? taskRegistry).get(job.taskName)?.pluginClass as
      | { TIMEOUT_PERIOD?: number }
      | undefined;
    const seconds = cls?.TIMEOUT_PERIOD;
    // One minute over the task's own limit, so that the job's timeout (with its diagnostic) comes first.
    if (o.timeLimit === undefined && seconds && seconds > 0) o.timeLimit = Math.ceil(seconds / 60) + 1;
    return { ...o, ...run };
  }

  async submit(spec: RunSpec): Promise<Submission> {
    const argv = [
      ...(this.#o.nodeCommand ?? defaultNodeCommand()),
      ...runPreparedArgs(preparedJob(spec.job, spec.project)),
    ];
    const log = relative(spec.job.directory, spec.logFile);
    const submitted = await submitJob({
      jobDirectory: spec.job.directory,
      command: { argv, stdout: log, stderr: log },
      slurm: this.slurmOptions(spec.job, spec.project, spec.executorOptions as SlurmJobOptions | undefined),
      commands: this.#o.commands,
      timeoutMs: this.#o.timeoutMs,
      env: { ...(this.#o.env ?? process.env), ...spec.env },
    });
    return { externalId: submitted.jobId, status: JobStatus.QUEUED };
  }

  /** One batched squeue for all the jobs (plus scontrol / jobcomp once for each that ended). */
  async poll(jobs: readonly JobRecord[]): Promise<Map<string, ExecutorState>> {
    this.#wakePending = false; // this poll answers it
    const followed = jobs.filter((j) => j.externalId !== null);
    for (const j of followed) this.#follow(j);
    if (this.monitor.followed.length > 0) await this.monitor.pollNow();
    await flush(); // results settled by this poll
    const out = new Map<string, ExecutorState>();
    for (const j of followed) {
      const r = this.#results.get(j.externalId!);
      if (r) {
        out.set(j.id, finalState(r));
        this.#results.delete(j.externalId!);
        continue;
      }
      const s = this.monitor.state(j.externalId!);
      if (s)
        out.set(j.id, {
          status: s.phase === 'pending' ? JobStatus.QUEUED : JobStatus.RUNNING,
          detail: `SLURM job ${s.jobId} ${s.slurmState}${s.reason ? ` (${s.reason})` : ''}${s.nodes ? ` on ${s.nodes}` : ''}`,
        });
    }
    return out;
  }

  /** Follows a job in the monitor (once), its result kept for the next poll. */
  #follow(j: JobRecord): void {
    if (this.#results.has(j.externalId!)) return;
    // When SLURM last knew the job, as recorded: the grace for a missing status file runs across processes.
    const known = j.lastSeen ?? j.started ?? j.created;
    const f = this.monitor.follow({
      jobId: j.externalId!,
      jobDirectory: j.directory,
      lastSeen: known && Number.isFinite(Date.parse(known)) ? Date.parse(known) : undefined,
    });
    void f.result.then((r) => this.#results.set(r.jobId, r));
  }

  /**
   * scancel; the job then ends Interrupted. Followed first, so that its end says it was cancelled here
   * (not "outside ccp4i2") when this process (`jobs cancel N`) had not followed it before.
   */
  async cancel(job: JobRecord): Promise<void> {
    if (job.externalId === null) return;
    this.#follow(job);
    await this.monitor.cancel(job.externalId);
  }

  /**
   * Jobs whose coordinator (on this host) died during sbatch, before the SLURM id was recorded: nothing
   * follows them. A submitted job is never judged by the coordinator's pid (SLURM and the status file say
   * how it ends: poll).
   */
  #orphans(jobs: readonly JobRecord[]): JobRecord[] {
    const host = thisRunner().host;
    const candidates = jobs.filter(
      (j) =>
        j.externalId === null &&
        j.status === JobStatus.QUEUED &&
        j.pid !== null &&
        j.pid !== process.pid &&
        j.host === host &&
        !runnerAlive(j.pid, j.pidStartTime),
    );
    if (candidates.length === 0) return [];
    // A coordinator killed outright leaves its sbatch running (up to its timeout when slurmctld is slow):
    // that submission may still queue the job, so it is judged once sbatch has ended.
    const submitting = directoriesBeingSubmitted();
    return candidates.filter((j) => !submitting.has(resolve(j.directory)));
  }

  #lookup: Lookup | undefined;

  /**
   * What SLURM knows of orphans' directories, or the coded error saying why it could not be asked: each
   * job runs in its own job directory (sbatch --chdir), so the directory finds the job sbatch queued. One
   * squeue serves recover and reconcile (its answer kept a second), and it waits at most 5 s: an i2run
   * reconciles its project before it starts, and must not hang on a controller that is down.
   */
  #lookUp(): Promise<Map<string, string[]> | Ccp4Error> {
    const l = this.#lookup;
    if (l && (l.settled === undefined || Date.now() - l.settled < 1000)) return l.result;
    const t = this.#o.timeoutMs;
    const timeoutMs = t !== undefined && t > 0 ? Math.min(t, 5000) : 5000;
    const entry: Lookup = {
      result: slurmJobsByDirectory({ ...this.#o, timeoutMs })
        .catch((e: unknown) => (isCcp4Error(e) ? e : slurmError(SlurmErrorCode.BAD_OUTPUT, String(e))))
        .finally(() => {
          entry.settled = Date.now();
        }),
    };
    this.#lookup = entry;
    return entry.result;
  }

  /**
   * Orphans that sbatch did queue, found again: the job id the node wrote in slurm.status (it started),
   * else the one SLURM job still known in the job's directory. They are followed from now on.
   */
  async recover(jobs: readonly JobRecord[]): Promise<RecoveredJob[]> {
    const orphans = this.#orphans(jobs);
    if (orphans.length === 0) return [];
    const out: RecoveredJob[] = [];
    let slurm: Map<string, string[]> | Ccp4Error | null = null;
    for (const job of orphans) {
      const started = readStatusFile(job.directory)?.job;
      if (started && SLURM_JOB_ID.test(started)) {
        out.push({ job, externalId: started, detail: `SLURM job ${started} (from its slurm.status)` });
        continue;
      }
      if (slurm === null) slurm = await this.#lookUp();
      const ids = slurm instanceof Map ? slurm.get(resolve(job.directory)) : undefined;
      if (ids?.length === 1)
        out.push({ job, externalId: ids[0]!, detail: `SLURM job ${ids[0]} (by its job directory)` });
    }
    return out;
  }

  /**
   * Orphans that SLURM does not know (its queue has no job in their directory, and no node started them):
   * dead. Left alone while SLURM cannot be asked. (recover runs first and takes those SLURM does know.)
   */
  async reconcile(jobs: readonly JobRecord[]): Promise<DeadJob[]> {
    const orphans = this.#orphans(jobs).filter((j) => !readStatusFile(j.directory)?.job);
    if (orphans.length === 0) return [];
    const slurm = await this.#lookUp();
    const host = thisRunner().host;
    const died = (job: JobRecord) =>
      `its coordinator (pid ${job.pid} on ${host}) died while submitting it to SLURM, before SLURM's job id was recorded`;
    if (!(slurm instanceof Map)) {
      // SLURM's commands gone from this host (where the job was submitted): nothing here can follow it.
      if (slurm.code !== SlurmErrorCode.COMMAND_NOT_FOUND) return []; // not answering: judged later
      return orphans.map((job) => ({ job, diagnostic: `${died(job)}; ${slurm.describe()}` }));
    }
    const dead: DeadJob[] = [];
    for (const job of orphans) {
      const ids = slurm.get(resolve(job.directory)) ?? [];
      if (ids.length === 1) continue; // recover's to take
      const what =
        ids.length === 0
          ? 'SLURM has no job in its directory (sbatch never queued it, or SLURM has forgotten it)'
          : `SLURM has ${ids.length} jobs in its directory (${ids.join(', ')}): which is this one is unknown`;
      dead.push({ job, diagnostic: `${died(job)}; ${what}` });
    }
    return dead;
  }

  close(): void {
    this.monitor.close();
  }
}

/** One squeue of the orphans' directories: its answer, and when it came. */
interface Lookup {
  settled?: number;
  /** SLURM's jobs by directory, or why SLURM could not be asked. */
  result: Promise<Map<string, string[]> | Ccp4Error>;
}

/** The database status of a SLURM job SLURM has finished with. */
export function finalState(r: SlurmJobResult): ExecutorState {
  const where = r.status?.node ? ` on ${r.status.node}` : '';
  const exit = {
    exitCode: r.exitCode,
    exitSignal: r.signal === null ? null : String(r.signal),
    // A job that started and ended between two polls was never recorded Running: the node's start time.
    ...(r.status?.start !== undefined ? { started: new Date(r.status.start * 1000).toISOString() } : {}),
  };
  if (r.outcome === 'succeeded') return { status: JobStatus.FINISHED, ...exit };
  if (r.outcome === 'interrupted')
    return { status: JobStatus.INTERRUPTED, detail: r.error?.describe(), ...exit };
  // The runner exited by itself with a code: the job's own status (run-prepared's exit codes).
  if (r.error?.code === SlurmErrorCode.NON_ZERO_EXIT && r.exitCode !== null) {
    const s = statusFromPreparedExit(r.exitCode);
    if (s !== undefined)
      return {
        status: s,
        detail: `SLURM job ${r.jobId} ended ${jobStatusName(s)}${where}: see diagnostic.xml in the job directory`,
        ...exit,
      };
    return {
      status: JobStatus.FAILED,
      detail: `${r.error.describe()}; the runner's output is in runner.txt`,
      ...exit,
    };
  }
  // Time limit, SLURM's own failures (node, memory), a signal, no status file: SLURM's account of it.
  return { status: JobStatus.FAILED, detail: r.error?.describe(), ...exit };
}
