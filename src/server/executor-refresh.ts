import { ACTIVE_STATUSES, type JobDatabase, type JobRecord } from '../db/index.js';
import type { Executor, JobService } from '../jobs/index.js';

/** Delay of the refresh an executor's wake asks for (a few wakes at once make one refresh). */
const WAKE_MS = 20;

export interface ExecutorRefreshOptions {
  db: JobDatabase;
  service: JobService;
  /** Told of every refresh that recorded something (the server pushes it to its clients). */
  onChange: (rows: JobRecord[]) => void;
  /** Milliseconds between two refreshes (default 5000): one batched squeue each. */
  intervalMs?: number;
}

/**
 * The server as coordinator of its batch jobs. A SLURM node never writes the database: on a timer, while
 * the database holds Queued/Running top-level jobs of an executor other than `local`, JobService.refresh
 * asks each executor once for all of them (slurm: one squeue per interval, never one per job) and
 * records what changed; the project feeds push it. Jobs are found in the database, so a restarted
 * server re-attaches to those an earlier run (or an i2run) submitted. With none, a tick is one query.
 */
export class ExecutorRefresh {
  /** Refreshes made (each one executor query per executor with jobs): for tests and the bench. */
  refreshes = 0;
  /** The last refresh's error (slurmctld down...): jobs keep their state, the timer goes on. */
  lastError: unknown;
  readonly #o: ExecutorRefreshOptions;
  readonly #timer: NodeJS.Timeout;
  #running?: Promise<void>;
  #soon?: NodeJS.Timeout;
  #soonAt = 0;
  #closed = false;
  readonly #heard = new Map<Executor, (() => void) | undefined>();

  constructor(options: ExecutorRefreshOptions) {
    this.#o = options;
    this.#timer = setInterval(() => void this.tick(), options.intervalMs ?? 5000);
    this.#timer.unref();
    void this.tick(); // at start: re-attach to what an earlier run left queued or running
  }

  /** Batch jobs the database records as Queued/Running, by executor. */
  batchJobs(): Map<string, JobRecord[]> {
    const by = new Map<string, JobRecord[]>();
    for (const j of this.#o.db.jobs.withStatus(ACTIVE_STATUSES)) {
      if (j.parentId !== null || j.executor === 'local') continue;
      by.set(j.executor, [...(by.get(j.executor) ?? []), j]);
    }
    return by;
  }

  /** One refresh now, unless one is running (then that one's end). */
  tick(): Promise<void> {
    this.#running ??= this.#refresh().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /**
   * A refresh in `ms` (after a submission: its first state without waiting a whole interval; when an
   * executor wakes us: a job's status file says it ended); coalesced into the earliest one asked for.
   */
  soon(ms = 1000): void {
    if (this.#closed) return;
    const due = Date.now() + ms;
    if (this.#soon && this.#soonAt <= due) return;
    if (this.#soon) clearTimeout(this.#soon);
    this.#soonAt = due;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.tick();
    }, ms);
    this.#soon.unref();
  }

  /** Executors loaded by the service since the last refresh: listen to their wish to be polled now. */
  #listen(): void {
    for (const e of this.#o.service.executors.values()) {
      if (this.#heard.has(e)) continue;
      this.#heard.set(
        e,
        e.onWake?.(() => this.soon(WAKE_MS)),
      );
    }
  }

  async #refresh(): Promise<void> {
    if (this.#closed) return;
    try {
      const jobs = this.batchJobs();
      if (jobs.size === 0) return;
      this.refreshes++;
      const changed = await this.#o.service.refresh();
      this.#listen();
      if (changed.length > 0 && !this.#closed) this.#o.onChange(changed);
      this.lastError = undefined;
    } catch (e) {
      this.lastError = e;
    }
  }

  /** Stops the timer; resolves when a refresh in flight has ended (before the database is closed). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    for (const off of this.#heard.values()) off?.();
    await this.#running;
  }
}
