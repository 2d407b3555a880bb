import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ccp4Error } from '../../errors/ccp4-error.js';
import { BATCH_FILES } from './batch-script.js';
import { type CommandOptions, isControllerDown, runSlurmCommand, slurmMessage } from './commands.js';
import { SlurmErrorCode, slurmError } from './errors.js';
import { jobResult, type SlurmJobResult } from './outcome.js';
import {
  findJobcompRecord,
  isFinalState,
  parseSacct,
  parseScontrolJob,
  parseSqueue,
  SLURM_JOB_ID,
  type SlurmRecord,
  SQUEUE_FORMAT,
} from './records.js';
import { type JobStatusFile, readStatusFile } from './status-file.js';
import { watchStatusFile } from './status-watch.js';

/** Where a followed job is: waiting in the queue, running (or completing), or ended. */
export interface SlurmJobState {
  jobId: string;
  phase: 'pending' | 'running';
  /** SLURM's state name (PENDING, RUNNING, COMPLETING, ...). */
  slurmState: string;
  /** SLURM's reason (why pending: Priority, Resources, ReqNodeNotAvail...). */
  reason?: string;
  nodes?: string;
}

export interface MonitorOptions extends CommandOptions {
  /** Milliseconds between two squeue calls (one call for all followed jobs). Default 5000. */
  pollIntervalMs?: number;
  /**
   * How long to wait, after SLURM says a job ended normally, for its status file to appear (a shared
   * filesystem may show it late). Default $CCP4I2_SLURM_STATUS_GRACE_MS, else 30 s; then the job fails
   * with a diagnostic.
   */
  statusGraceMs?: number;
  /** When true the monitor never polls by itself: its owner calls pollNow() (an executor polled by the job service). */
  manual?: boolean;
  /** Told of each poll that failed (slurmctld down, ...); followed jobs keep their state meanwhile. */
  onPollError?: (error: Ccp4Error) => void;
  /**
   * Watch each followed job's directory (fs.watch) for its status file: a job's end written there brings
   * the next poll forward, instead of waiting up to a whole interval. Default true.
   */
  watchStatus?: boolean;
  /** With `manual`: called when the monitor would like pollNow() soon (a status file says a job ended). */
  onWake?: () => void;
}

export interface FollowOptions {
  /** Called when the job's phase, SLURM state or reason changes. */
  onState?: (state: SlurmJobState) => void;
}

export interface FollowedJob {
  readonly jobId: string;
  /** The last state seen (undefined before the first poll). */
  readonly state: SlurmJobState | undefined;
  /** Resolves when SLURM has finished with the job; never rejects. */
  readonly result: Promise<SlurmJobResult>;
}

interface Entry extends FollowedJob {
  jobDirectory: string;
  state: SlurmJobState | undefined;
  onState?: (state: SlurmJobState) => void;
  settle: (r: SlurmJobResult) => void;
  cancelRequested: boolean;
  /** When SLURM was first seen to have ended the job while the status file was not yet there. */
  awaitingStatusSince?: number;
  /** scontrol's record of an ended job whose status file is missing. */
  detail?: SlurmRecord;
  /** Stops watching the job directory. */
  unwatch?: () => void;
  /** Early polls asked for since the status file said the job ended (SLURM may record it a little later). */
  wakes: number;
  /** When the job was last known to SLURM, from the coordinator's record (epoch ms). */
  lastSeen?: number;
}

/**
 * After the status file says a job ended, SLURM records the end some 10-100 ms later (the batch script
 * exits, slurmstepd reports): the first early poll waits this long, the next ones twice as long each.
 */
const WAKE_DELAY_MS = 25;
export const MAX_WAKES = 4;

/** The command ended by itself (not signalled by SLURM): the status file alone says how it ended. */
function endedByItself(s: JobStatusFile | undefined): boolean {
  return s?.state === 'ended' && s.exitCode !== undefined && !s.received;
}

/**
 * The cancel marker in the job directory (BATCH_FILES.cancel): set before scancel, removed when scancel
 * could not reach the controller. A directory that cannot take it only loses the wording of the end
 * ("cancelled outside ccp4i2" when another process records it).
 */
function markCancelled(jobDirectory: string, on: boolean): void {
  const file = join(jobDirectory, BATCH_FILES.cancel);
  try {
    if (on) writeFileSync(file, `cancelled by ccp4i2 (pid ${process.pid}) at ${new Date().toISOString()}\n`);
    else rmSync(file, { force: true });
  } catch {
    // not writable: the wording only
  }
}

const GRACE_ENV = 'CCP4I2_SLURM_STATUS_GRACE_MS';

/** $CCP4I2_SLURM_STATUS_GRACE_MS (a site's slow shared filesystem), checked: SlurmClient 101 naming it. */
function graceFromEnvironment(): number | undefined {
  const v = process.env[GRACE_ENV];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v))
    throw slurmError(
      SlurmErrorCode.INVALID_OPTION,
      `$${GRACE_ENV} must be a whole number of milliseconds, not "${v.slice(0, 40)}"`,
      { objectPath: GRACE_ENV },
    );
  return Number(v);
}

interface ClusterConfig {
  jobcompFile?: string;
  accounting: boolean;
}

/**
 * Follows SLURM jobs for one coordinator: ONE `squeue` call per poll interval for all followed jobs
 * (controllers are protected from clients that query per job), `scontrol show job` once per finished job
 * that squeue has already forgotten, then the jobcomp file or sacct. While slurmctld does not answer,
 * jobs keep their last state and polling goes on. Re-attaching after a restart is `follow(id, dir)`.
 */
export class SlurmMonitor {
  readonly stats = {
    squeueCalls: 0,
    scontrolCalls: 0,
    sacctCalls: 0,
    scancelCalls: 0,
    pollErrors: 0,
    /** Polls brought forward because a status file said a job ended. */
    wakes: 0,
  };
  private readonly jobs = new Map<string, Entry>();
  private readonly pollIntervalMs: number;
  private readonly statusGraceMs: number;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeDue = 0;
  private polling: Promise<void> | undefined;
  private config: Promise<ClusterConfig> | undefined;
  private closed = false;

  constructor(private readonly opts: MonitorOptions = {}) {
    this.pollIntervalMs = opts.pollIntervalMs ?? 5000;
    this.statusGraceMs = opts.statusGraceMs ?? graceFromEnvironment() ?? 30_000;
    if (!(this.pollIntervalMs > 0))
      throw slurmError(SlurmErrorCode.INVALID_OPTION, 'pollIntervalMs must be > 0');
  }

  /** The last state seen of a followed job (undefined before its first poll or once it ended). */
  state(jobId: string): SlurmJobState | undefined {
    return this.jobs.get(jobId)?.state;
  }

  /** The ids of the jobs being followed. */
  get followed(): string[] {
    return [...this.jobs.keys()];
  }

  /**
   * Follows a submitted (or re-attached) job until SLURM has finished with it. `lastSeen` (epoch ms):
   * when the job was last known to SLURM, as a coordinator recorded it (see `finish`).
   */
  follow(
    job: { jobId: string; jobDirectory: string; lastSeen?: number },
    opts: FollowOptions = {},
  ): FollowedJob {
    if (!SLURM_JOB_ID.test(job.jobId))
      throw slurmError(SlurmErrorCode.INVALID_OPTION, `Invalid SLURM job id "${job.jobId}"`, {
        objectPath: 'jobId',
      });
    const existing = this.jobs.get(job.jobId);
    if (existing) return existing;
    let settle!: (r: SlurmJobResult) => void;
    const result = new Promise<SlurmJobResult>((res) => {
      settle = res;
    });
    const entry: Entry = {
      jobId: job.jobId,
      jobDirectory: job.jobDirectory,
      state: undefined,
      onState: opts.onState,
      result,
      settle,
      cancelRequested: false,
      wakes: 0,
      lastSeen: job.lastSeen,
    };
    if (this.opts.watchStatus !== false)
      entry.unwatch = watchStatusFile(entry.jobDirectory, () => this.statusChanged(entry));
    this.jobs.set(job.jobId, entry);
    this.schedule(this.pollIntervalMs);
    return entry;
  }

  /**
   * Cancels a job with scancel (the job then ends 'interrupted'). Rejects when slurmctld does not answer
   * (104) or scancel is missing (102); a job SLURM has already finished is not an error.
   */
  async cancel(jobId: string): Promise<void> {
    const entry = this.jobs.get(jobId);
    if (entry) {
      entry.cancelRequested = true;
      markCancelled(entry.jobDirectory, true);
    }
    this.stats.scancelCalls++;
    const out = await runSlurmCommand('scancel', [jobId], this.opts);
    if (out.code !== 0 && isControllerDown(out.stderr)) {
      if (entry) {
        entry.cancelRequested = false;
        markCancelled(entry.jobDirectory, false);
      }
      throw slurmError(SlurmErrorCode.CONTROLLER_DOWN, `scancel ${jobId}: ${slurmMessage(out)}`, {
        objectPath: `SLURM job ${jobId}`,
      });
    }
    this.schedule(Math.min(1000, this.pollIntervalMs));
  }

  /** Polls now (and then every interval); resolves when this poll is done. */
  pollNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.runPoll();
  }

  /** Stops polling. Followed jobs go on in SLURM; their results stay pending (re-attach to follow them). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.timer = this.wakeTimer = undefined;
    for (const e of this.jobs.values()) e.unwatch?.();
  }

  /** The status file was replaced: when it says the job ended, poll soon rather than at the next interval. */
  private statusChanged(entry: Entry): void {
    if (this.jobs.get(entry.jobId) !== entry || entry.wakes > 0) return;
    if (readStatusFile(entry.jobDirectory)?.state === 'ended') this.ending(entry);
  }

  /** A job whose status file says it ended, not yet ended in SLURM: poll again soon (a few times at most). */
  private ending(entry: Entry): void {
    if (entry.wakes < MAX_WAKES) this.wake(WAKE_DELAY_MS * 2 ** entry.wakes++);
  }

  /**
   * An early poll in `delayMs` (jobs ending close together share it): by this monitor's own timer, or by
   * its owner (manual: onWake). After it the regular polls go on an interval later.
   */
  private wake(delayMs: number): void {
    if (this.closed) return;
    const due = Date.now() + delayMs;
    if (this.wakeTimer && this.wakeDue <= due) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeDue = due;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.stats.wakes++;
      if (this.opts.manual) this.opts.onWake?.();
      // A poll in flight may have read the status file before it changed: poll once more after it.
      else void (this.polling ?? Promise.resolve()).then(() => this.pollNow());
    }, delayMs);
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.opts.manual || this.jobs.size === 0) return;
    const due = Date.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runPoll();
    }, delayMs);
  }

  private runPoll(): Promise<void> {
    // Never two polls at once: a caller during a poll waits for it.
    this.polling ??= this.poll().finally(() => {
      this.polling = undefined;
      this.schedule(this.pollIntervalMs);
    });
    return this.polling;
  }

  private pollFailed(error: Ccp4Error): void {
    this.stats.pollErrors++;
    this.opts.onPollError?.(error);
  }

  private async poll(): Promise<void> {
    if (this.jobs.size === 0) return;
    const ids = [...this.jobs.keys()];
    this.stats.squeueCalls++;
    let rows: Map<string, SlurmRecord>;
    try {
      const out = await runSlurmCommand(
        'squeue',
        ['--noheader', '--states=all', `--jobs=${ids.join(',')}`, `--format=${SQUEUE_FORMAT}`],
        this.opts,
      );
      if (out.code !== 0 && !/Invalid job id/i.test(out.stderr)) {
        const down = isControllerDown(out.stderr);
        return this.pollFailed(
          slurmError(
            down ? SlurmErrorCode.CONTROLLER_DOWN : SlurmErrorCode.BAD_OUTPUT,
            `squeue: ${slurmMessage(out)}`,
          ),
        );
      }
      rows = new Map(parseSqueue(out.code === 0 ? out.stdout : '').map((r) => [r.jobId, r]));
    } catch (e) {
      return this.pollFailed(e as Ccp4Error);
    }
    for (const id of ids) {
      const entry = this.jobs.get(id);
      if (!entry) continue;
      const row = rows.get(id);
      if (row && !isFinalState(row.state)) {
        this.setState(entry, row);
        // Its status file says it ended but SLURM has not recorded it yet: look again soon.
        if (row.state !== 'PENDING' && readStatusFile(entry.jobDirectory)?.state === 'ended')
          this.ending(entry);
        continue;
      }
      // squeue forgot it (MinJobAge): SLURM's final record is looked up, unless the status file already
      // says the command ended by itself (then SLURM's view would only repeat it).
      let record =
        row ?? (endedByItself(readStatusFile(entry.jobDirectory)) ? undefined : await this.lookupEnded(id));
      if (record === null) continue; // the controller stopped answering between the calls: next poll
      if (record?.source === 'squeue' && readStatusFile(entry.jobDirectory)?.state !== 'ended') {
        // No status file: scontrol adds SLURM's ExitCode and reason for the diagnostic (once per job).
        entry.detail ??= (await this.lookupEnded(id)) ?? undefined;
        if (entry.detail?.state === record.state) record = entry.detail;
      }
      this.finish(entry, record);
    }
  }

  private setState(entry: Entry, row: SlurmRecord): void {
    const next: SlurmJobState = {
      jobId: entry.jobId,
      phase:
        row.state === 'PENDING' || row.state === 'CONFIGURING' || row.state === 'SUSPENDED'
          ? 'pending'
          : 'running',
      slurmState: row.state,
      reason: row.reason && row.reason !== 'None' ? row.reason : undefined,
      nodes: row.nodes,
    };
    const prev = entry.state;
    entry.state = next;
    if (!prev || prev.slurmState !== next.slurmState || prev.reason !== next.reason) entry.onState?.(next);
  }

  /**
   * Ends an entry unless its status file is still awaited. The grace runs from SLURM's own end time when a
   * source gives it; when none knows the job any more, from when the coordinator last knew it (SLURM
   * forgets a job MinJobAge after its end, or lost it); else from the first time this monitor looked. So a
   * one-shot command (`jobs list`) decides as a long-running poller does, not with a grace of its own.
   */
  private finish(entry: Entry, record: SlurmRecord | undefined): void {
    const status = readStatusFile(entry.jobDirectory);
    const expectsStatus = record === undefined || record.state === 'COMPLETED' || record.state === 'FAILED';
    if (expectsStatus && status?.state !== 'ended') {
      const now = Date.now();
      entry.awaitingStatusSince ??= now;
      const since =
        record?.endTime !== undefined
          ? record.endTime * 1000
          : record === undefined && entry.lastSeen !== undefined
            ? Math.min(entry.lastSeen, entry.awaitingStatusSince)
            : entry.awaitingStatusSince;
      if (now - since < this.statusGraceMs) return;
    }
    this.jobs.delete(entry.jobId);
    entry.unwatch?.();
    const byUs = entry.cancelRequested || existsSync(join(entry.jobDirectory, BATCH_FILES.cancel));
    entry.settle(jobResult(entry.jobId, entry.jobDirectory, record, status, byUs));
  }

  /**
   * SLURM's final record of a job squeue no longer lists: scontrol (until MinJobAge), the jobcomp file,
   * sacct. Undefined when nothing knows it; null when the controller stopped answering.
   */
  private async lookupEnded(jobId: string): Promise<SlurmRecord | undefined | null> {
    try {
      this.stats.scontrolCalls++;
      const out = await runSlurmCommand('scontrol', ['--oneliner', 'show', 'job', jobId], this.opts);
      if (out.code === 0) {
        const r = parseScontrolJob(out.stdout, jobId);
        if (r) return r;
      } else if (isControllerDown(out.stderr)) {
        return null;
      }
      const config = await this.clusterConfig();
      if (config.jobcompFile) {
        const r = findJobcompRecord(config.jobcompFile, jobId);
        if (r) return r;
      }
      if (config.accounting) {
        this.stats.sacctCalls++;
        const acct = await runSlurmCommand(
          'sacct',
          [
            '--noheader',
            '--parsable2',
            '--allocations',
            `--jobs=${jobId}`,
            '--format=JobID,State,ExitCode,End',
          ],
          this.opts,
        );
        if (acct.code === 0) return parseSacct(acct.stdout, jobId);
      }
      return undefined;
    } catch {
      return null;
    }
  }

  /** The cluster's jobcomp file and whether accounting exists (one `scontrol show config`, cached). */
  private clusterConfig(): Promise<ClusterConfig> {
    this.config ??= runSlurmCommand('scontrol', ['show', 'config'], this.opts).then(
      (out) => {
        const get = (k: string) => new RegExp(`^${k}\\s*=\\s*(.*)$`, 'm').exec(out.stdout)?.[1]?.trim();
        if (out.code !== 0) {
          this.config = undefined; // ask again next time
          return { accounting: false };
        }
        const jobcomp = get('JobCompType') === 'jobcomp/filetxt' ? get('JobCompLoc') : undefined;
        const storage = get('AccountingStorageType');
        return {
          jobcompFile: jobcomp || undefined,
          accounting: !!storage && storage !== 'accounting_storage/none',
        };
      },
      () => {
        this.config = undefined;
        return { accounting: false };
      },
    );
    return this.config;
  }
}
