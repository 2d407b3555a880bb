import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ContainmentMechanism, JobCgroup } from './cgroup.js';
import { certainlyNothingLeft, liveJobProcesses, stopProcessTree } from './kill-tree.js';
import { HAVE_PROC, isAlive, JOB_MARK_VARIABLE, type JobMark, readProc } from './proc-table.js';
import { sendSignal } from './signal.js';
import { trackJob, trackOnce } from './tracker.js';

export {
  type ContainmentMechanism,
  type ContainmentSupport,
  containmentSupport,
  settleWarmUp,
  stopWarmUp,
  warmUpContainment,
} from './cgroup.js';

/** A first pass soon after the start catches processes forked by short-lived intermediates. */
const FIRST_TRACK_MS = 50;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How one run finds and stops every process its program starts: a cgroup where this process may create
 * one, else the /proc process table (session, group, descent, tracking, and the job's environment mark).
 */
export interface JobScope {
  readonly mechanism: ContainmentMechanism;
  /** The environment to spawn with (the process-table scope adds the job's mark). */
  environment(env: Env): Env;
  /** Runs the synchronous spawn call so that the child is born inside the scope. */
  spawn<T>(spawn: () => T): T;
  /** The program is running as `pid`. */
  started(pid: number): void;
  /** The program has exited (tracking stops). */
  exited(): void;
  /** Live processes of the job; `preexisting`: pids known to predate it (skipped by a /proc scan). */
  live(preexisting?: ReadonlySet<number>): number[];
  /** Whether the job certainly left nothing alive, found cheaply; false means "look with live()". */
  nothingLeft(elapsedMs: number): boolean;
  /** TERM, a grace period, then KILL until nothing is left; resolves with the pids that needed KILL. */
  stop(graceMs: number): Promise<number[]>;
  /** SIGKILL everything now, synchronously (Node is exiting). */
  killNow(): void;
  /** The run is over: release what the scope holds. */
  close(): void;
}

class CgroupScope implements JobScope {
  readonly mechanism = 'cgroup';
  #root = 0;
  constructor(readonly cgroup: JobCgroup) {}
  environment(env: Env): Env {
    return env;
  }
  spawn<T>(spawn: () => T): T {
    return this.cgroup.spawnInside(spawn);
  }
  started(pid: number): void {
    this.#root = pid;
  }
  exited(): void {}
  live(): number[] {
    // A zombie waits only for its parent; it is dead already.
    return this.cgroup.pids().filter((pid) => {
      const e = readProc(pid);
      return e !== undefined && isAlive(e);
    });
  }
  nothingLeft(): boolean {
    return this.live().length === 0;
  }
  stop(graceMs: number): Promise<number[]> {
    return stopProcessTree(this.#root, {
      graceMs,
      members: () => this.live(),
      killAll: () => this.cgroup.killAll(),
    });
  }
  killNow(): void {
    this.cgroup.killAll();
  }
  close(): void {
    // Still populated (processes in uninterruptible sleep): the exit hook removes it later.
    this.cgroup.remove();
  }
}

let marks = 0;

class ProcessTableScope implements JobScope {
  readonly mechanism = 'process-table';
  readonly #known = new Map<number, number>();
  #mark: JobMark | undefined;
  readonly #token = `${process.pid}.${++marks}.${randomBytes(6).toString('hex')}`;
  #root = 0;
  #untrack: (() => void) | undefined;
  #firstTrack: NodeJS.Timeout | undefined;

  environment(env: Env): Env {
    return HAVE_PROC ? { ...env, [JOB_MARK_VARIABLE]: this.#token } : env;
  }
  spawn<T>(spawn: () => T): T {
    return spawn();
  }
  started(pid: number): void {
    this.#root = pid;
    // Not reaped yet (Node reaps only from its event loop), so its start time can be read now.
    const since = readProc(pid)?.startTime;
    if (since !== undefined) this.#mark = { token: this.#token, since };
    this.#untrack = trackJob(pid, this.#known, this.#mark);
    if (HAVE_PROC) {
      this.#firstTrack = setTimeout(() => trackOnce(pid, this.#known, this.#mark), FIRST_TRACK_MS);
      this.#firstTrack.unref();
    }
  }
  exited(): void {
    this.#untrack?.();
    clearTimeout(this.#firstTrack);
  }
  live(preexisting?: ReadonlySet<number>): number[] {
    return liveJobProcesses(this.#root, this.#known, preexisting, this.#mark);
  }
  nothingLeft(elapsedMs: number): boolean {
    return certainlyNothingLeft(this.#root, elapsedMs, this.#known, this.#mark);
  }
  stop(graceMs: number): Promise<number[]> {
    return stopProcessTree(this.#root, { graceMs, known: this.#known, mark: this.#mark });
  }
  killNow(): void {
    for (const p of [...this.live(), -this.#root]) {
      try {
        sendSignal(p, 'SIGKILL');
      } catch {
        // an unsafe target is never signalled; Node is exiting, so there is nobody to tell
      }
    }
  }
  close(): void {
    this.exited();
  }
}

/** A scope for one run: a cgroup when available (and not refused by `mechanism`), else the process table. */
export function jobScope(mechanism?: ContainmentMechanism): JobScope {
  const cgroup = mechanism === 'process-table' ? undefined : JobCgroup.create();
  return cgroup ? new CgroupScope(cgroup) : new ProcessTableScope();
}

/** A process's command line as `ps` shows it (arguments joined by spaces), or its name; '' when gone. */
export function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    if (argv) return argv.replace(/\0+$/, '').replaceAll('\0', ' ');
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
}
