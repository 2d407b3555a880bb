import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTerminal, JobDatabase, type JobRecord, type ProjectRecord } from '../db/index.js';
import { JobService } from '../jobs/index.js';
import type { TaskRegistry } from '../plugins/index.js';
import { serverError } from './errors.js';
import { ProjectFeeds } from './project-feed.js';
import { dbJobSource } from './views.js';

/** The runner the server starts for each job (detached: it outlives a stopped server). */
export const JOB_RUNNER = fileURLToPath(new URL('../../dist/server/job-runner.js', import.meta.url));

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
}

/** What the projects and jobs routes share: the database, the job service and the live feeds. */
export class ServerContext {
  readonly db: JobDatabase;
  readonly service: JobService;
  readonly feeds: ProjectFeeds;
  readonly projectsDir: string;
  /** Jobs started by this server (cancelled on close with --on-exit cancel). */
  readonly started = new Set<string>();
  readonly #reconcile: NodeJS.Timeout;

  constructor(readonly options: ContextOptions) {
    this.db = JobDatabase.open(options.db);
    const taskDirs = options.taskDirs ?? [];
    this.service = new JobService({
      db: this.db,
      registry: options.registry,
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

  async close(cancelJobs: boolean): Promise<void> {
    clearInterval(this.#reconcile);
    this.feeds.close();
    if (cancelJobs)
      for (const id of this.started) {
        const j = this.db.jobs.get(id);
        if (j && !isTerminal(j.status)) await this.service.cancel(j).catch(() => {});
      }
    this.db.close();
  }
}
