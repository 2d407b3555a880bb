import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type JobRecord, runnerAlive, thisRunner } from '../../db/index.js';
import { JobStatus } from '../../db/status.js';
import { stopProcessTree } from '../../process/kill-tree.js';
import { readProc } from '../../process/proc-table.js';
import { sendSignal } from '../../process/signal.js';
import type { DeadJob, Executor, ExecutorState, RunSpec, Submission } from '../executor.js';
import { stopJobLeftovers } from '../orphans.js';

export interface LocalExecutorOptions {
  /** Milliseconds a runner gets after SIGTERM to stop its job cleanly before its tree is SIGKILLed. */
  graceMs?: number;
}

/**
 * Runs the job's runner as a detached process on this host (its own session: a closing terminal or a
 * stopping server does not take it down). The runner records itself; its pid and start time are the
 * external id, so cancel and recovery can validate them from any process.
 */
export class LocalExecutor implements Executor {
  readonly name = 'local';
  readonly #graceMs: number;

  constructor(options: LocalExecutorOptions = {}) {
    this.#graceMs = options.graceMs ?? 10_000;
  }

  async submit(spec: RunSpec): Promise<Submission> {
    const out = openSync(spec.logFile, 'a');
    try {
      const child = spawn(spec.command[0]!, spec.command.slice(1), {
        // Not the job directory: it may be deleted while the runner runs (every path it is given is absolute).
        cwd: '/',
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...process.env, ...spec.env },
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      child.unref();
      const pid = child.pid!;
      return {
        externalId: String(pid),
        status: JobStatus.QUEUED,
        pid,
        pidStartTime: readProc(pid)?.startTime ?? null,
      };
    } finally {
      closeSync(out);
    }
  }

  async poll(jobs: readonly JobRecord[]): Promise<Map<string, ExecutorState>> {
    const out = new Map<string, ExecutorState>();
    const host = thisRunner().host;
    for (const j of jobs) {
      if (j.host !== null && j.host !== host) continue;
      if (runnerAlive(j.pid, j.pidStartTime)) out.set(j.id, { status: j.status });
    }
    return out;
  }

  /**
   * SIGTERM to the runner (it cancels its job: programs stopped, INTERRUPTED recorded, files written);
   * after the grace period, SIGKILL to whatever is left of its tree; then any process still carrying the
   * job's id (programs orphaned by a runner that died) is stopped too.
   */
  async cancel(job: JobRecord): Promise<void> {
    const { pid, pidStartTime } = job;
    if (pid !== null && runnerAlive(pid, pidStartTime) && pid !== process.pid) {
      sendSignal(pid, 'SIGTERM');
      const deadline = Date.now() + this.#graceMs;
      while (Date.now() < deadline && runnerAlive(pid, pidStartTime)) await sleep(25);
      if (runnerAlive(pid, pidStartTime)) {
        const known = new Map([[pid, pidStartTime ?? readProc(pid)?.startTime ?? 0]]);
        await stopProcessTree(pid, { graceMs: 0, known });
      }
    }
    await stopJobLeftovers(job.id, Math.min(this.#graceMs, 2000));
  }

  /** A local job is dead when its runner (on this host) is gone or its pid now belongs to another process. */
  async reconcile(jobs: readonly JobRecord[]): Promise<DeadJob[]> {
    const host = thisRunner().host;
    const dead: DeadJob[] = [];
    for (const job of jobs) {
      if (job.host !== null && job.host !== host) continue; // another host's runner: not ours to judge
      if (job.pid === process.pid) continue; // this very process runs it
      if (runnerAlive(job.pid, job.pidStartTime)) continue;
      const seen = job.lastSeen ?? job.started ?? job.created;
      const who =
        job.pid === null
          ? 'its runner never started'
          : `its runner (pid ${job.pid} on ${job.host ?? host}) died`;
      dead.push({ job, diagnostic: `${who}; last seen ${seen}` });
      await stopJobLeftovers(job.id, 1000);
    }
    return dead;
  }
}
