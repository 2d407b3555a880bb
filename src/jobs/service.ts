import { join } from 'node:path';
import {
  ACTIVE_STATUSES,
  dbError,
  isTerminal,
  type JobDatabase,
  type JobRecord,
  JobStatus,
  jobStatusName,
  type ProjectRecord,
  recordJob,
  recordReports,
  thisRunner,
} from '../db/index.js';
import type { Ccp4Error } from '../errors/ccp4-error.js';
import {
  CPluginScript,
  type PluginClass,
  type PluginOptions,
  type TaskRegistry,
  taskRegistry,
} from '../plugins/index.js';
import { attachReporter, type JobReporter, type ReporterOptions } from '../reports/index.js';
import { BUILTIN_EXECUTORS, type BuiltinExecutorOptions, loadBuiltinExecutor } from './builtin-executors.js';
import type { DeadJob, Executor, ExecutorState, RecoveredJob } from './executor.js';
import { JOB_ID_ENV } from './orphans.js';
import { identity, jobDirectoryMissing, PathWatch } from './path-watch.js';
import { preparedJob, preparedPlugin } from './prepared.js';
import { claimJobDirectory } from './project-dirs.js';
import { recordDirectory } from './record-end.js';
import { runDefaults } from './run-defaults.js';

export interface JobServiceOptions {
  db: JobDatabase;
  registry?: TaskRegistry;
  /**
   * Executors made by the caller, by name. Every other built-in one (`local`, `slurm`) is made on first
   * use with `executorOptions`, so any service can cancel, refresh or recover any job of the database.
   */
  executors?: Executor[];
  /** Options of the built-in executors made on demand (SLURM defaults, poll commands...). */
  executorOptions?: BuiltinExecutorOptions;
  /** The runner's argv for a job (`ccp4i2 jobs run N --project P --db FILE`); needed by `start` with `local`. */
  runnerCommand?: (job: JobRecord, project: ProjectRecord) => string[];
  /**
   * How long `cancel` waits for a job whose runner has no database (SLURM) to end, so that what it had
   * produced is recorded (default 60 s: SLURM's KillWait is 30 s by default, then SIGKILL).
   */
  cancelWaitMs?: number;
}

/** Between two polls of a cancelled job's executor while it stops (sooner when it wakes the service). */
const CANCEL_POLL_MS = 1000;

/** What a run of a job ended with. */
export interface RunOutcome {
  /** The plugin's final status (CPluginScript.SUCCEEDED...). */
  status: number;
  plugin: CPluginScript;
  /**
   * The job's directory (JobDatabase 16: the job was stopped and recorded Failed) or the database file
   * (17: the job ran on, unrecorded) went missing: the coded error naming it, for the runner's stderr.
   */
  lost?: Ccp4Error;
}

export interface CreateJobOptions {
  project: ProjectRecord;
  taskName: string;
  title?: string;
  /** Sets the parameters of the new job's plugin (its container is saved as input_params.xml). */
  configure?: (plugin: CPluginScript) => void;
  /** Options for the plugin (programPath, env...). */
  pluginOptions?: PluginOptions;
}

export interface RunOptions {
  /** Extra plugin options (programPath, env, limiter, cancelSignal...). */
  pluginOptions?: PluginOptions;
  /** Called with the plugin before it runs (to follow its log lines, add listeners...). */
  beforeRun?: (plugin: CPluginScript) => void;
  heartbeatMs?: number;
  /** How often the job's directory and the database file are checked while it runs (ms, default 1000). */
  watchMs?: number;
  /** Reuse the outputs of Finished jobs with the same cache key (docs/database.md, "Resume"). */
  resume?: boolean;
  /** The job's reporter (report.json, kept in the database too); made here when not given... */
  reporter?: JobReporter;
  /** ...with these options (e.g. a shorter live-write interval for a server). */
  reporterOptions?: ReporterOptions;
}

/**
 * The job service: creates jobs (a row, a directory, input_params.xml), runs them here or through an
 * executor, cancels them from any process, and reconciles what the database says with what still runs.
 * The CLIs and the server call this; the plugin runtime underneath knows nothing of it.
 */
export class JobService {
  readonly db: JobDatabase;
  readonly registry: TaskRegistry;
  /** The executors in use: those given, and the built-in ones loaded so far. */
  readonly executors = new Map<string, Executor>();
  readonly #runnerCommand?: JobServiceOptions['runnerCommand'];
  readonly #executorOptions: BuiltinExecutorOptions;
  readonly #loading = new Map<string, Promise<Executor | undefined>>();
  readonly #cancelWaitMs: number;

  constructor(options: JobServiceOptions) {
    this.db = options.db;
    this.registry = options.registry ?? taskRegistry;
    for (const e of options.executors ?? []) this.executors.set(e.name, e);
    this.#runnerCommand = options.runnerCommand;
    this.#executorOptions = options.executorOptions ?? {};
    this.#cancelWaitMs = options.cancelWaitMs ?? 60_000;
  }

  project(job: JobRecord): ProjectRecord {
    return this.db.projects.require(job.projectId);
  }

  /** A new Pending job: number from the database, directory CCP4_JOBS/job_N, parameters in input_params.xml. */
  createJob(o: CreateJobOptions): JobRecord {
    const entry = this.registry.require(o.taskName);
    const row = this.db.jobs.create(
      { projectId: o.project.id, taskName: o.taskName, title: o.title ?? null, status: JobStatus.PENDING },
      (n) => claimJobDirectory(o.project, n),
    );
    const plugin = this.makePlugin(row, o.project, o.pluginOptions, entry.pluginClass);
    if (o.title) plugin.guiAdmin.content('jobTitle')?.set(o.title);
    o.configure?.(plugin);
    plugin.saveParams('JOB_INPUT');
    return row;
  }

  /** The job's plugin, with the parameters of its input_params.xml when there is one. */
  makePlugin(
    job: JobRecord,
    project: ProjectRecord,
    options: PluginOptions = {},
    cls?: PluginClass,
  ): CPluginScript {
    return preparedPlugin(this.registry, preparedJob(job, project), options, cls);
  }

  /**
   * Runs a Pending job in this process, recorded as it goes (sub-jobs too). Resolves to the plugin's
   * final status (CPluginScript.SUCCEEDED...).
   */
  async run(job: JobRecord, options: RunOptions = {}): Promise<RunOutcome> {
    const fresh = this.db.jobs.get(job.id) ?? job;
    if (fresh.status !== JobStatus.PENDING && fresh.status !== JobStatus.QUEUED)
      throw dbError(
        12,
        `job ${fresh.number} is ${jobStatusName(fresh.status)}, not Pending: it cannot be run`,
        {
          file: this.db.file,
          objectPath: `job ${fresh.number}`,
        },
      );
    const project = this.project(fresh);
    const plugin = this.makePlugin(fresh, project, options.pluginOptions);
    return this.runPlugin(plugin, fresh, project, options);
  }

  /**
   * Runs an already configured plugin for the job row (i2run builds its own plugin). A job whose directory
   * is missing (before it starts or while it runs: checked every `watchMs`) is stopped and recorded Failed
   * naming the directory; a database file deleted meanwhile is reported in `lost` (the job runs on).
   */
  async runPlugin(
    plugin: CPluginScript,
    job: JobRecord,
    project: ProjectRecord,
    options: RunOptions = {},
  ): Promise<RunOutcome> {
    const number = String(job.number);
    const watch = new PathWatch({
      directory: job.directory,
      database: this.db.file,
      databaseIdentity: this.db.connection.fileIdentity,
      job: number,
      intervalMs: options.watchMs,
      onDirectoryLost: () => plugin.cancel(),
    });
    try {
      if (watch.directoryLost) {
        // Never started: nothing of the job exists to record but its failure.
        const lost = watch.directoryLost;
        this.#failLost(job, lost);
        plugin.errorReport.appendError(lost);
        return { status: CPluginScript.FAILED, plugin, lost };
      }
      let { status } = await this.#runRecorded(plugin, job, project, options);
      watch.check();
      const lost = watch.directoryLost ?? watch.databaseLost;
      if (watch.directoryLost) {
        this.#failLost(job, watch.directoryLost);
        plugin.errorReport.appendError(watch.directoryLost);
        status = CPluginScript.FAILED;
      }
      return { status, plugin, lost };
    } finally {
      watch.stop();
    }
  }

  async #runRecorded(
    plugin: CPluginScript,
    job: JobRecord,
    project: ProjectRecord,
    options: RunOptions,
  ): Promise<{ status: number }> {
    // Programs of this job and its sub-jobs inherit the marker from the runner's own environment, so a
    // canceller or recovery in another process finds them even after this runner is gone.
    process.env[JOB_ID_ENV] = job.id;
    const stop = recordJob(this.db, plugin, {
      project,
      job,
      heartbeatMs: options.heartbeatMs,
      resume: options.resume,
    });
    const stopReports = recordReports(
      this.db,
      options.reporter ?? attachReporter(plugin, options.reporterOptions),
      job,
    );
    try {
      options.beforeRun?.(plugin);
      return { status: await plugin.process() };
    } finally {
      stop();
      stopReports();
      if (process.env[JOB_ID_ENV] === job.id) delete process.env[JOB_ID_ENV];
    }
  }

  /** Records the job (and its unfinished sub-jobs) Failed for a missing directory, when the database still can. */
  #failLost(job: JobRecord, lost: Ccp4Error): void {
    const t = new Date().toISOString();
    try {
      this.db.transaction('recording a job whose directory is missing', () => {
        this.db.jobs.update(job.id, { status: JobStatus.FAILED, finished: t, diagnostic: lost.describe() });
        for (const j of this.db.jobs.subtree(job.id))
          if (!isTerminal(j.status))
            this.db.jobs.update(j.id, { status: JobStatus.FAILED, finished: t, diagnostic: lost.describe() });
      });
    } catch {
      // The database is unusable too: the runner's stderr says what happened.
    }
  }

  /**
   * Starts a Pending job through an executor (detached: this call returns once it is started or queued).
   * With no executor named, the project's default (`runDefaults`), else `local`; the project's SLURM
   * options lie under `executorOptions` (the run's own win).
   */
  async start(
    job: JobRecord,
    executorName?: string,
    executorOptions?: Record<string, unknown>,
  ): Promise<JobRecord> {
    const defaults = runDefaults(this.db, job.projectId);
    const name = executorName ?? defaults.executor ?? 'local';
    const executor = await this.executor(name);
    if (name === 'slurm') executorOptions = { ...defaults.slurm, ...executorOptions };
    if (job.status !== JobStatus.PENDING)
      throw dbError(12, `job ${job.number} is ${jobStatusName(job.status)}, not Pending`, {
        file: this.db.file,
      });
    if (!this.#runnerCommand && executor.runsOwnCommand !== true)
      throw dbError(11, 'no runner command configured to start jobs', { file: this.db.file });
    const project = this.project(job);
    if (!identity(job.directory)) {
      // The runner would have nowhere to write: the job fails here, naming the directory.
      const lost = jobDirectoryMissing(job.directory, String(job.number), 'before it started');
      this.#failLost(job, lost);
      throw lost;
    }
    const spec = {
      job,
      project,
      command: this.#runnerCommand?.(job, project) ?? [],
      env: { [JOB_ID_ENV]: job.id },
      logFile: join(job.directory, 'runner.txt'),
      executorOptions,
    };
    await executor.prepare?.(spec);
    // No external id until the executor gives one: i2run registers its job with its own pid as one, and a
    // coordinator that dies mid-submission must never leave that pid to be followed as a SLURM job id.
    // A batch job's row names its coordinator, this process, while it is submitted (a row made by another
    // process may name that one): if it dies before the id comes back, recovery knows the submission was
    // cut short (reconcile, recover).
    const me = thisRunner();
    const coordinator = executor.runsOwnCommand
      ? { host: me.host, pid: me.pid, pidStartTime: me.pidStartTime }
      : {};
    this.db.jobs.update(job.id, {
      executor: executor.name,
      status: JobStatus.QUEUED,
      externalId: null,
      ...coordinator,
    });
    let s: Awaited<ReturnType<Executor['submit']>>;
    try {
      s = await executor.submit(spec);
    } catch (e) {
      // Never left Queued with nothing behind it: the job failed to start, saying why (SLURM's message...).
      const why =
        e instanceof Error && 'describe' in e ? (e as { describe(): string }).describe() : String(e);
      this.db.jobs.update(job.id, {
        status: JobStatus.FAILED,
        finished: new Date().toISOString(),
        diagnostic: `${executor.name} could not start the job: ${why}`,
      });
      throw e;
    }
    const runner = thisRunner();
    this.db.jobs.update(job.id, {
      externalId: s.externalId,
      host: s.pid !== undefined ? runner.host : undefined,
      pid: s.pid,
      pidStartTime: s.pidStartTime ?? undefined,
    });
    // The runner may already have recorded itself Running; never step back from it.
    this.db.connection.write('recording a submission', () => {
      this.db.connection
        .stmt('UPDATE jobs SET status = ? WHERE id = ? AND status = ?')
        .run(s.status, job.id, JobStatus.QUEUED);
    });
    return this.db.jobs.get(job.id)!;
  }

  /**
   * Cancels a job from any process: its executor stops it (local: the runner's whole process tree), then
   * the job and its unfinished sub-jobs are marked Interrupted. A job whose runner has no database
   * (SLURM) is waited for until its executor reports the end (`cancelWaitMs`), and what it had produced
   * is recorded from its directory. A finished job: code 12, nothing changes.
   */
  async cancel(job: JobRecord): Promise<JobRecord> {
    if (isTerminal(job.status))
      throw dbError(
        12,
        `job ${job.number} has already ended (${jobStatusName(job.status)}); nothing was changed`,
        {
          file: this.db.file,
          objectPath: `job ${job.number}`,
        },
      );
    if (job.parentId !== null)
      throw dbError(12, `job ${job.number} is a sub-job: cancel its top-level job`, { file: this.db.file });
    const runner = thisRunner();
    if (job.host !== null && job.host !== runner.host && job.executor === 'local')
      throw dbError(12, `job ${job.number} runs on host ${job.host}; cancel it there`, {
        file: this.db.file,
      });
    if (job.status !== JobStatus.PENDING) {
      const executor = await this.executor(job.executor);
      await executor.cancel(job);
      if (executor.runsOwnCommand && job.externalId !== null) await this.#awaitEnd(executor, job);
    }
    // Whatever the executor did not report (a local runner records itself; a wait that ran out).
    this.markTree(job.id, JobStatus.INTERRUPTED, 'cancelled by the user');
    return this.db.jobs.get(job.id)!;
  }

  /**
   * Asks each executor, in one query per executor, how its Queued/Running top-level jobs are doing, and
   * records what changed (Queued → Running → the final status, with the executor's diagnostic). This is
   * how jobs whose runner cannot write the database (SLURM nodes) are recorded: by the coordinator.
   * Returns the rows that changed.
   */
  async refresh(projectId?: string): Promise<JobRecord[]> {
    const active = this.db.jobs
      .withStatus(ACTIVE_STATUSES)
      .filter((j) => j.parentId === null && (projectId === undefined || j.projectId === projectId));
    const changed: JobRecord[] = [];
    for (const name of new Set(active.map((j) => j.executor))) {
      const executor = await this.#known(name);
      if (!executor) continue;
      const mine = active.filter((j) => j.executor === name);
      const states = await executor.poll(mine);
      for (const j of mine) {
        const st = states.get(j.id);
        if (!st) continue;
        const t = new Date().toISOString();
        if (st.status === j.status) {
          // Same state, new word from the executor (SLURM's reason while queued): kept as the diagnostic.
          if (st.detail === undefined || st.detail === j.diagnostic) continue;
          this.db.connection.write('recording a job state', () => {
            this.db.connection
              .stmt('UPDATE jobs SET diagnostic = ? WHERE id = ? AND status = ?')
              .run(st.detail, j.id, j.status);
          });
          changed.push(this.db.jobs.get(j.id)!);
          continue;
        }
        if (isTerminal(st.status)) {
          if (!this.#recordEnd(executor, j, st)) continue;
        } else if (st.status === JobStatus.RUNNING && j.status === JobStatus.QUEUED) {
          this.db.connection.write('recording a job start', () => {
            this.db.connection
              .stmt(
                'UPDATE jobs SET status = ?, started = ?, last_seen = ?, diagnostic = ? WHERE id = ? AND status = ?',
              )
              .run(JobStatus.RUNNING, t, t, st.detail ?? null, j.id, JobStatus.QUEUED);
          });
        } else continue;
        changed.push(this.db.jobs.get(j.id)!);
      }
    }
    return changed;
  }

  /**
   * Refreshes every `intervalMs` until the job has ended (its executor's jobs all polled at once);
   * resolves to its final row. `onChange` hears each recorded transition of any job refreshed.
   */
  async waitFor(
    job: JobRecord,
    opts: { intervalMs?: number; onChange?: (row: JobRecord) => void } = {},
  ): Promise<JobRecord> {
    for (;;) {
      const row = this.db.jobs.get(job.id)!;
      if (isTerminal(row.status)) return row;
      for (const c of await this.refresh(row.projectId)) opts.onChange?.(c);
      if (isTerminal(this.db.jobs.get(job.id)!.status)) return this.db.jobs.get(job.id)!;
      await this.#pause(opts.intervalMs ?? 5000);
    }
  }

  /** Waits `ms`, or less when an executor asks to be polled now (a SLURM job's status file says it ended). */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const offs: Array<() => void> = [];
      const done = () => {
        clearTimeout(timer);
        for (const off of offs.splice(0)) off();
        resolve();
      };
      const timer = setTimeout(done, ms);
      for (const e of this.executors.values()) {
        const off = e.onWake?.(done);
        if (off) offs.push(off);
      }
    });
  }

  /**
   * Records the end of a job as its executor reports it (status, times, exit, diagnostic) and, when its
   * runner wrote no database (a SLURM node), what it produced, read from its directory; then its
   * unfinished sub-jobs get its status. False when it had already ended (cancelled meanwhile: that stays).
   */
  #recordEnd(executor: Executor, j: JobRecord, st: ExecutorState): boolean {
    const t = new Date().toISOString();
    return this.db.transaction('recording the end of a job', () => {
      const now = this.db.jobs.get(j.id);
      if (!now || isTerminal(now.status)) return false;
      this.db.jobs.update(j.id, {
        status: st.status,
        finished: t,
        started: j.started ?? st.started ?? undefined,
        diagnostic: st.detail ?? null,
        exitCode: st.exitCode ?? undefined,
        exitSignal: st.exitSignal ?? undefined,
        lastSeen: t,
      });
      if (executor.runsOwnCommand)
        recordDirectory(this.db, this.registry, this.project(j), this.db.jobs.get(j.id)!, st.detail);
      this.markTree(j.id, st.status, st.detail ?? jobStatusName(st.status));
      return true;
    });
  }

  /**
   * After a cancel, until the executor reports the job's end (at most `cancelWaitMs`): a runner with no
   * database (a SLURM node) writes what the job had produced — sub-jobs with their statuses, files, its
   * diagnostic — as it stops, and that is recorded as for a job that ended by itself. Another poller of
   * the same job (a server's refresh, i2run's wait) may record it first: then that stays.
   */
  async #awaitEnd(executor: Executor, job: JobRecord): Promise<void> {
    const end = Date.now() + this.#cancelWaitMs;
    for (;;) {
      const row = this.db.jobs.get(job.id);
      if (!row || isTerminal(row.status)) return;
      const st = (await executor.poll([row])).get(row.id);
      if (st && isTerminal(st.status)) {
        this.#recordEnd(executor, row, st);
        return;
      }
      const left = end - Date.now();
      if (left <= 0) return;
      await this.#pause(Math.min(CANCEL_POLL_MS, left));
    }
  }

  /** Sets every unfinished job of the subtree to `status` (the runner may have recorded it already). */
  markTree(rootId: string, status: JobStatus, diagnostic: string): void {
    const t = new Date().toISOString();
    this.db.transaction('marking jobs', () => {
      for (const j of this.db.jobs.subtree(rootId))
        if (!isTerminal(j.status)) this.db.jobs.update(j.id, { status, finished: t, diagnostic });
    });
  }

  /**
   * Crash recovery: jobs recorded Queued/Running (or Pending with a runner) whose executor says they are
   * dead are marked Failed with the executor's diagnostic (sub-jobs too). Jobs of an executor this
   * process does not know (not built in, not given) are left alone; slurm never judges by a pid.
   */
  async reconcile(projectId?: string): Promise<DeadJob[]> {
    const active = this.db.jobs.unfinished(projectId);
    const dead: DeadJob[] = [];
    for (const name of new Set(active.map((j) => j.executor))) {
      const executor = await this.#known(name);
      if (!executor) continue;
      let mine = active.filter((j) => j.executor === name);
      const recovered = (await executor.recover?.(mine)) ?? [];
      for (const r of recovered) this.#recordRecovered(r);
      if (recovered.length) mine = mine.map((j) => this.db.jobs.get(j.id) ?? j);
      dead.push(...(await executor.reconcile(mine)));
    }
    // Judged on rows read before the executors' queries: a job another process has since recorded (its
    // external id found again, its status moved on) is not failed on that old reading.
    const judged = dead.filter((d) => {
      const now = this.db.jobs.get(d.job.id);
      return now !== undefined && now.status === d.job.status && now.externalId === d.job.externalId;
    });
    for (const d of judged) this.markTree(d.job.id, JobStatus.FAILED, d.diagnostic);
    return judged;
  }

  /** A job found again by its executor: its id recorded, only while the row still has none. */
  #recordRecovered(r: RecoveredJob): void {
    this.db.connection.write('recording a recovered job', () => {
      this.db.connection
        .stmt('UPDATE jobs SET external_id = ? WHERE id = ? AND external_id IS NULL AND status = ?')
        .run(r.externalId, r.job.id, JobStatus.QUEUED);
    });
  }

  /**
   * The executor named `name`: one given to the constructor, else the built-in one, made (and for
   * `slurm` imported) on first use and kept. Unknown names: JobDatabase 11.
   */
  async executor(name: string): Promise<Executor> {
    const e = await this.#known(name);
    if (!e) {
      const known = new Set([...BUILTIN_EXECUTORS, ...this.executors.keys()]);
      throw dbError(11, `no executor '${name}' (known: ${[...known].join(', ')})`, { file: this.db.file });
    }
    return e;
  }

  /** Stops what the executors made keep running (the SLURM monitor); the service is not used after. */
  close(): void {
    for (const e of this.executors.values()) e.close?.();
  }

  async #known(name: string): Promise<Executor | undefined> {
    const have = this.executors.get(name);
    if (have) return have;
    let loading = this.#loading.get(name);
    if (!loading) {
      loading = loadBuiltinExecutor(name, this.#executorOptions).then((e) => {
        if (e && !this.executors.has(name)) this.executors.set(name, e);
        return this.executors.get(name);
      });
      this.#loading.set(name, loading);
    }
    return loading;
  }
}
