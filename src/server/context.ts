import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTerminal, JobDatabase, type JobRecord, JobStatus, type ProjectRecord } from '../db/index.js';
import { JobService } from '../jobs/index.js';
import type { TaskRegistry } from '../plugins/index.js';
import { serverError, toCcp4Error } from './errors.js';
import { ExecutorRefresh } from './executor-refresh.js';
import { type CheckedRun, type ExecutorsOptions, ServerExecutors, serverSlurmOptions } from './executors.js';
import { jobDetail } from './job-detail.js';
import { ProjectFeeds } from './project-feed.js';
import { dbJobSource } from './views.js';

/** The runner the server starts for each job (detached: it outlives a stopped server). */
export const JOB_RUNNER = fileURLToPath(new URL('../../dist/bin/job-runner.cjs', import.meta.url));

export interface ContextOptions {
  registry: TaskRegistry;
  db?: string;
  /** Where projects created from the browser go (default ~/CCP4I2_PROJECTS). */
  projectsDir?: string;
  /** Task directories the runner loads too (the registry's extra tasks). */
  taskDirs?: string[];
  /** How often the database's change counter is read (ms). */
  pollMs?: number;
  /** How often dead runners are looked for (ms, default 10 s). */
  reconcileMs?: number;
  /** Executors offered, the default one, the slurm executor's options. */
  executors?: ExecutorsOptions;
  /** How often Queued/Running SLURM jobs are refreshed (ms, default 5 s: one squeue each time). */
  slurmPollMs?: number;
}

/** What the projects and jobs routes share: the database, the job service and the live feeds. */
export class ServerContext {
  readonly db: JobDatabase;
  readonly service: JobService;
  readonly feeds: ProjectFeeds;
  readonly projectsDir: string;
  /** Jobs started by this server (cancelled on close with --on-exit cancel). */
  readonly started = new Set<string>();
  readonly executors: ServerExecutors;
  /** The coordinator's timer for batch (SLURM) jobs. */
  readonly refresh: ExecutorRefresh;
  readonly #reconcile: NodeJS.Timeout;

  constructor(readonly options: ContextOptions) {
    const taskDirs = options.taskDirs ?? [];
    const executors = { taskDirs, ...options.executors };
    this.executors = new ServerExecutors(executors);
    this.db = JobDatabase.open(options.db);
    this.service = new JobService({
      db: this.db,
      registry: options.registry,
      executorOptions: { slurm: serverSlurmOptions(executors, options.registry) },
      runnerCommand: (job) => [
        process.execPath,
        JOB_RUNNER,
        '--db',
        this.db.file,
        '--job',
        job.id,
        ...taskDirs.flatMap((d) => ['--task-dir', d]),
      ],
    });
    this.feeds = new ProjectFeeds(dbJobSource(this.db), options.pollMs ?? 25);
    this.refresh = new ExecutorRefresh({
      db: this.db,
      service: this.service,
      onChange: () => this.feeds.poke(),
      intervalMs: options.slurmPollMs,
    });
    this.projectsDir = options.projectsDir ?? join(homedir(), 'CCP4I2_PROJECTS');
    // Crash recovery now and then: a runner that died (killed, machine slept) is marked Failed.
    const reconcile = () => {
      this.service.reconcile().then(
        (dead) => dead.length && this.feeds.poke(),
        () => {},
      );
    };
    reconcile();
    this.#reconcile = setInterval(reconcile, options.reconcileMs ?? 10_000);
    this.#reconcile.unref();
  }

  /** A project by id or name (404 when unknown). */
  project(idOrName: string): ProjectRecord {
    const p = this.db.projects.get(idOrName);
    if (!p) throw serverError(2, `no project '${idOrName}'`);
    return p;
  }

  job(id: string): JobRecord {
    const j = this.db.jobs.get(id);
    if (!j) throw serverError(2, `no job '${id}'`);
    return j;
  }

  /** After a write of this server: its clients hear of it now, not at the next poll. */
  changed(): void {
    this.feeds.poke();
  }

  /**
   * Starts a Pending job with a checked executor and options (ServerExecutors.check). When the executor
   * refuses it (SLURM rejecting a partition, slurmctld down), the job is already recorded Failed with
   * the message: the error thrown carries that job's detail, so the API says both.
   */
  async start(job: JobRecord, run: CheckedRun): Promise<JobRecord> {
    this.started.add(job.id);
    try {
      const row = await this.service.start(job, run.executor, run.options);
      if (run.executor !== 'local') this.refresh.soon();
      return row;
    } catch (e) {
      this.feeds.poke();
      const row = this.db.jobs.get(job.id);
      if (row?.status !== JobStatus.FAILED) throw e;
      throw Object.assign(toCcp4Error(e), { job: jobDetail(this, row) });
    }
  }

  /** Cancels a job through its executor (scancel for SLURM). */
  cancel(job: JobRecord): Promise<JobRecord> {
    return this.service.cancel(job);
  }

  async close(cancelJobs: boolean): Promise<void> {
    clearInterval(this.#reconcile);
    await this.refresh.close();
    this.feeds.close();
    if (cancelJobs)
      for (const id of this.started) {
        const j = this.db.jobs.get(id);
        if (j && !isTerminal(j.status)) await this.cancel(j).catch(() => {});
      }
    this.service.close();
    this.db.close();
  }
}
