import { setTimeout as sleep } from 'node:timers/promises';
import { HAVE_PROC, isAlive, type JobMark, jobProcesses, processesSince, readProc } from './proc-table.js';
import { sendSignal } from './signal.js';

/** False when the group is empty (ESRCH). */
function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  return sendSignal(-pgid, sig);
}

function signalPid(pid: number, sig: NodeJS.Signals): void {
  sendSignal(pid, sig); // false: already gone
}

/** Live processes of the job led by `root`; without /proc, whether its process group still has members. */
export function liveJobProcesses(
  root: number,
  known?: ReadonlyMap<number, number>,
  preexisting?: ReadonlySet<number>,
  mark?: JobMark,
): number[] {
  if (!HAVE_PROC) return signalGroup(root, 0) ? [-root] : [];
  return jobProcesses(root, known, preexisting, undefined, mark)
    .filter(isAlive)
    .map((e) => e.pid);
}

/** Pids allocated since a short run started that are worth checking one by one (else a /proc scan). */
const QUICK_MAX_PIDS = 64;
/** Runs at least this long always get the full scan (a pid counter wrap is then conceivable). */
const QUICK_MAX_MS = 1000;

/**
 * Whether the job led by `root`, which ran for `elapsedMs`, certainly left nothing alive, found without
 * scanning /proc: after a short run during which few pids were handed out, only those pids (and `known`)
 * can be the job's. False means "look properly" (liveJobProcesses), not that something is left.
 */
export function certainlyNothingLeft(
  root: number,
  elapsedMs: number,
  known: ReadonlyMap<number, number> = new Map(),
  mark?: JobMark,
): boolean {
  if (!HAVE_PROC || elapsedMs >= QUICK_MAX_MS || signalGroup(root, 0)) return false;
  const recent = processesSince(root, QUICK_MAX_PIDS);
  if (recent === undefined) return false;
  for (const pid of known.keys()) {
    const e = readProc(pid);
    if (e) recent.push(e);
  }
  return jobProcesses(root, known, undefined, recent, mark).filter(isAlive).length === 0;
}

function signalAll(root: number, sig: NodeJS.Signals, o: StopTreeOptions): number[] {
  // Scan before signalling: once a parent dies its children are reparented and can no longer be found
  // by descent (only by session or group).
  const live = o.members ? o.members() : liveJobProcesses(root, o.known, undefined, o.mark);
  if (sig === 'SIGKILL') o.killAll?.();
  signalGroup(root, sig);
  for (const pid of live) if (pid > 0) signalPid(pid, sig);
  return live;
}

export interface StopTreeOptions {
  /** Milliseconds to wait after SIGTERM before SIGKILL. */
  graceMs: number;
  /** Processes seen earlier (pid -> start time), which may have left the job's session. */
  known?: ReadonlyMap<number, number>;
  /** The job's mark, which finds processes that left its session (see JobMark). */
  mark?: JobMark;
  /** The job's live processes when something better than /proc knows them (a cgroup). */
  members?: () => number[];
  /** Kills every process of the job at once (a cgroup's cgroup.kill), before SIGKILL to each. */
  killAll?: () => void;
  /** Polling interval while waiting for the tree to exit. */
  pollMs?: number;
}

/**
 * Stops every process of the job led by `root` (see jobProcesses): SIGTERM to the process group and to
 * each member found in /proc, a grace period for them to exit, then SIGKILL, repeated until nothing is
 * left (a process may fork between a scan and a kill). Resolves with the pids that had to be SIGKILLed.
 */
export async function stopProcessTree(root: number, options: StopTreeOptions): Promise<number[]> {
  const poll = options.pollMs ?? 20;
  const live = () =>
    options.members ? options.members() : liveJobProcesses(root, options.known, undefined, options.mark);
  if (signalAll(root, 'SIGTERM', options).length === 0) return [];
  const deadline = Date.now() + options.graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(poll, Math.max(1, deadline - Date.now())));
    if (live().length === 0) return [];
  }
  const killed = new Set<number>();
  for (let round = 0; round < 50; round++) {
    const live = signalAll(root, 'SIGKILL', options);
    if (live.length === 0) break;
    for (const pid of live) killed.add(pid);
    await sleep(poll);
  }
  return [...killed];
}
