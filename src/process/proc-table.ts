import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { monotonicMs } from './clock.js';

/** One process as /proc/<pid>/stat describes it. `startTime` (clock ticks since boot) tells reused pids apart. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  startTime: number;
}

/** Whether /proc can be read (Linux). Elsewhere only process groups are used to find a job's processes. */
export const HAVE_PROC = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** Parses /proc/<pid>/stat. The command name may contain spaces and parentheses: fields follow the last ')'. */
export function parseStat(text: string): ProcEntry | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const f = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  const entry = {
    pid,
    state: f[0] ?? '?',
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    sid: Number(f[3]),
    startTime: Number(f[19]),
  };
  return Number.isInteger(entry.pid) && Number.isInteger(entry.ppid) && Number.isInteger(entry.startTime)
    ? entry
    : undefined;
}

const small = Buffer.alloc(4096);

/**
 * A small /proc file's text. readFileSync sees size 0 for /proc files and reads them through a fresh
 * 64 KiB buffer each time; one shared 4 KiB buffer does for these (a longer file falls back).
 */
function readProcFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let n = 0;
    for (let r = 1; r > 0 && n < small.length; n += r) r = readSync(fd, small, n, small.length - n, null);
    if (n >= small.length) return readFileSync(path, 'latin1');
    return small.toString('latin1', 0, n);
  } finally {
    closeSync(fd);
  }
}

export function readProc(pid: number): ProcEntry | undefined {
  try {
    return parseStat(readProcFile(`/proc/${pid}/stat`));
  } catch {
    return undefined;
  }
}

let lastListing: { pids: ReadonlySet<number>; at: number } | undefined;

/** The pids in /proc: one directory read. */
export function listPids(): Set<number> {
  const out = new Set<number>();
  if (!HAVE_PROC) return out;
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) out.add(Number(name));
  }
  lastListing = { pids: out, at: monotonicMs() };
  return out;
}

/** How old a listing may be to serve as "pids that existed before this spawn" (see recentPids). */
const RECENT_MS = 500;

/**
 * Pids that existed a moment ago (a listing at most 500 ms old, else a new one): processes that predate
 * a spawn and so cannot belong to its job. Taking the previous job's exit scan instead of reading /proc
 * again before every spawn halves the per-job /proc reads. A stale entry could only hide a job's process
 * if its pid were freed and handed out again within that window; Linux allocates pids cyclically, so that
 * takes pid_max (32768 or more) forks in 500 ms. Read-only: the set is shared.
 */
export function recentPids(): ReadonlySet<number> {
  if (lastListing && monotonicMs() - lastListing.at <= RECENT_MS) return lastListing.pids;
  return listPids();
}

function readNumber(path: string): number | undefined {
  try {
    const n = Number(readProcFile(path).trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** pid_max, when /proc shows our own pid namespace (so that ns_last_pid is about the pids we see). */
const PID_MAX = (() => {
  if (!HAVE_PROC) return undefined;
  try {
    if (parseStat(readFileSync('/proc/self/stat', 'latin1'))?.pid !== process.pid) return undefined;
  } catch {
    return undefined;
  }
  return readNumber('/proc/sys/kernel/pid_max');
})();

/**
 * The processes whose pids were handed out after `since` (a pid we spawned), read one by one instead of
 * scanning /proc, or undefined when that is not cheap or not certain: more than `maxCount` pids
 * allocated since, or no /proc/sys/kernel/ns_last_pid. Linux allocates pids cyclically, so every process
 * created after `since` has a pid in (since, last allocated] — unless the counter went all the way round,
 * which takes pid_max (32768 or more) forks: callers use this only for runs shorter than a second.
 * Thread ids in the range may appear as entries too (harmless to a caller only asking "anything left?").
 */
export function processesSince(since: number, maxCount: number): ProcEntry[] | undefined {
  if (PID_MAX === undefined) return undefined;
  const last = readNumber('/proc/sys/kernel/ns_last_pid');
  if (last === undefined) return undefined;
  const count = (last - since + PID_MAX) % PID_MAX;
  if (count > maxCount) return undefined;
  const out: ProcEntry[] = [];
  for (let i = 1; i <= count; i++) {
    const e = readProc((since + i) % PID_MAX);
    if (e) out.push(e);
  }
  return out;
}

/**
 * Processes visible in /proc, except those in `exclude` (pids that existed before a job started cannot
 * belong to it, so a scan after a job ends reads only the few newer ones). Synchronous: a full scan is a
 * few hundred small reads.
 */
export function snapshot(exclude?: ReadonlySet<number>): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const pid of listPids()) {
    if (exclude?.has(pid)) continue;
    const e = readProc(pid);
    if (e) out.push(e);
  }
  return out;
}

/**
 * The mark a job's processes carry in their environment (`CCP4I2_JOB=token`, inherited by everything the
 * program starts unless it clears its environment), and the leader's start time: only processes started
 * since then are read for it.
 */
export interface JobMark {
  token: string;
  since: number;
}

/** The environment variable holding a job's mark. */
export const JOB_MARK_VARIABLE = 'CCP4I2_JOB';

/** Whether process `pid` carries `mark` in its environment (unreadable: another user's, or gone). */
export function carriesMark(pid: number, mark: JobMark): boolean {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'latin1');
    const entry = `${JOB_MARK_VARIABLE}=${mark.token}`;
    return env.startsWith(`${entry}\0`) || env.includes(`\0${entry}\0`);
  } catch {
    return false;
  }
}

/**
 * The processes belonging to a job whose leader is `root` (spawned detached, so it leads its own session
 * and process group): every member of that session or group, even if it moved to a group of its own or
 * was orphaned, plus every descendant of those and of `known` (processes seen earlier that may have left
 * with setsid), plus, with `mark`, every process started since the leader that carries the job's mark
 * (found whatever it did: setsid, double fork). The leader itself is included while it exists.
 * `preexisting`: pids known to predate the job, skipped (a pid reused by the job while the job ran would
 * be missed: tracking covers long jobs).
 */
export function jobProcesses(
  root: number,
  known: ReadonlyMap<number, number> = new Map(),
  preexisting?: ReadonlySet<number>,
  all: readonly ProcEntry[] = snapshot(preexisting),
  mark?: JobMark,
): ProcEntry[] {
  const byPid = new Map(all.map((e) => [e.pid, e]));
  const members = new Map<number, ProcEntry>();
  for (const e of all) if (e.sid === root || e.pgid === root || e.pid === root) members.set(e.pid, e);
  for (const [pid, start] of known) {
    const e = byPid.get(pid);
    if (e && e.startTime === start) members.set(pid, e);
  }
  if (mark)
    for (const e of all)
      if (!members.has(e.pid) && e.startTime >= mark.since && isAlive(e) && carriesMark(e.pid, mark))
        members.set(e.pid, e);
  // Add descendants by ppid until nothing new appears.
  const children = new Map<number, ProcEntry[]>();
  for (const e of all) {
    const list = children.get(e.ppid);
    if (list) list.push(e);
    else children.set(e.ppid, [e]);
  }
  const stack = [...members.keys()];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    for (const c of children.get(pid) ?? []) {
      if (!members.has(c.pid)) {
        members.set(c.pid, c);
        stack.push(c.pid);
      }
    }
  }
  // Our own process can never belong to a job we started; guard against a reused pid anyway.
  members.delete(process.pid);
  return [...members.values()];
}

/** A process that exists and has not exited (zombies are dead, only waiting for their parent to reap them). */
export function isAlive(e: ProcEntry): boolean {
  return e.state !== 'Z' && e.state !== 'X';
}
