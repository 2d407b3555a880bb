import { readdirSync, readFileSync } from 'node:fs';

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

export function readProc(pid: number): ProcEntry | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return undefined;
  }
}

/** The pids in /proc: one directory read, cheap enough to take before every spawn. */
export function listPids(): Set<number> {
  const out = new Set<number>();
  if (!HAVE_PROC) return out;
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) out.add(Number(name));
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
 * The processes belonging to a job whose leader is `root` (spawned detached, so it leads its own session
 * and process group): every member of that session or group, even if it moved to a group of its own or
 * was orphaned, plus every descendant of those and of `known` (processes seen earlier that may have left
 * with setsid). The leader itself is included while it exists. `preexisting`: pids known to predate the
 * job, skipped (a pid reused by the job while the job ran would be missed: tracking covers long jobs).
 */
export function jobProcesses(
  root: number,
  known: ReadonlyMap<number, number> = new Map(),
  preexisting?: ReadonlySet<number>,
  all: readonly ProcEntry[] = snapshot(preexisting),
): ProcEntry[] {
  const byPid = new Map(all.map((e) => [e.pid, e]));
  const members = new Map<number, ProcEntry>();
  for (const e of all) if (e.sid === root || e.pgid === root || e.pid === root) members.set(e.pid, e);
  for (const [pid, start] of known) {
    const e = byPid.get(pid);
    if (e && e.startTime === start) members.set(pid, e);
  }
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
