import {
  close,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmdirSync,
  write,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { monotonicMs } from './clock.js';
import { sendSignal } from './signal.js';

// Containment by cgroup v2: each run's program is born in a cgroup of its own, and every process it ever
// starts stays there whatever it does (setsid, double fork, reparenting), so "the job's processes" is one
// small read and stopping them all is a few writes. Node cannot place a child in a cgroup between fork
// and exec, so Node moves into the job's cgroup for the synchronous spawn call and back right after: the
// child inherits the cgroup at fork, with no window in which it could escape.
//
// Where this process's cgroup is the root or part of a threaded subtree, job cgroups are threaded and
// only Node's main thread moves (writing "0" to cgroup.threads: the kernel then skips the global
// threadgroup lock, whose first use after a quiet spell waits for an RCU grace period): about 20 µs per
// run instead of 170 µs for moving all of Node's threads (docs/benchmarks.md). Elsewhere (a systemd
// scope, a container's own cgroup) the whole process moves. Used when this process may create cgroups
// below its own (root, or a delegated cgroup); anything else falls back to the /proc process table (see
// containment.ts).

export type ContainmentMechanism = 'cgroup' | 'process-table';

export interface ContainmentSupport {
  /** What new runs use. */
  mechanism: ContainmentMechanism;
  /** Why cgroups are not used (when mechanism is 'process-table'). */
  reason?: string;
  /** The directory holding this process's job cgroups (when mechanism is 'cgroup'). */
  root?: string;
  /** Job cgroups are threaded: only Node's main thread moves around a spawn (when mechanism is 'cgroup'). */
  threaded?: boolean;
}

let ownCache: { dir?: string; reason?: string } | undefined;
/** The cgroup v2 directory this process belonged to at its first look (read once: moves are ours). */
function ownCgroupDirectory(): { dir?: string; reason?: string } {
  ownCache ??= readOwnCgroupDirectory();
  return ownCache;
}

function readOwnCgroupDirectory(): { dir?: string; reason?: string } {
  let mount: { point: string; root: string } | undefined;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right?.startsWith('cgroup2 ')) continue;
    const f = left!.split(' ');
    // mountinfo escapes spaces and other specials as \ooo.
    const decode = (s: string) =>
      s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    mount = { root: decode(f[3] ?? '/'), point: decode(f[4] ?? '') };
    break;
  }
  if (!mount) return { reason: 'no cgroup v2 file system is mounted' };
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('0::'));
  if (!line) return { reason: 'this process is in no cgroup v2' };
  let path = line.slice(3);
  if (mount.root !== '/' && path.startsWith(mount.root)) path = path.slice(mount.root.length);
  return { dir: join(mount.point, path) };
}

let support: ContainmentSupport | undefined;
let home: string | undefined;
let serial = 0;
/**
 * Empty job cgroups kept for reuse. Moving into a cgroup used before is nearly free, whereas a new one
 * costs the kernel a new css_set on the first move (measured: about 2 ms per job on a loaded machine).
 */
const idle: string[] = [];
const MAX_IDLE = 16;

/**
 * cgroup.procs of each cgroup this process moves itself into, kept open: two moves per run, and an open
 * and a close (a path walk in cgroupfs) each cost about as much as the write itself.
 */
const procsFds = new Map<string, number>();

/** Job cgroups are threaded: moves are of the main thread only (see above). */
let threaded = false;

/**
 * Moves this process into the cgroup `dir`: its main thread (the caller's: a synchronous write of "0"
 * moves the writing thread) when job cgroups are threaded, else the whole process (every thread).
 */
function moveSelf(dir: string): void {
  let fd = procsFds.get(dir);
  if (fd === undefined) {
    fd = openSync(join(dir, threaded ? 'cgroup.threads' : 'cgroup.procs'), 'w');
    procsFds.set(dir, fd);
  }
  try {
    writeSync(fd, threaded ? '0' : String(process.pid));
  } catch (e) {
    forgetCgroup(dir);
    throw e;
  }
}

/** Closes what moveSelf keeps open for `dir` (before it is removed, or when it failed). */
function forgetCgroup(dir: string): void {
  for (const fds of [procsFds, eventsFds]) {
    const fd = fds.get(dir);
    if (fd === undefined) continue;
    fds.delete(dir);
    try {
      closeSync(fd);
    } catch {
      // already closed: nothing to release
    }
  }
}

/** cgroup.events of each job cgroup, kept open: re-read from offset 0 it is current (one pread). */
const eventsFds = new Map<string, number>();
const eventsBuffer = Buffer.alloc(256);

/** Whether any process is in the cgroup `dir` or below it (cgroup.events: "populated 1"). */
function populated(dir: string): boolean {
  let fd = eventsFds.get(dir);
  if (fd === undefined) {
    fd = openSync(join(dir, 'cgroup.events'), 'r');
    eventsFds.set(dir, fd);
  }
  const n = readSync(fd, eventsBuffer, 0, eventsBuffer.length, 0);
  return !eventsBuffer.toString('latin1', 0, n).startsWith('populated 0');
}

/** Removes cgroups left by processes of ours that died without cleaning up (empty ones only). */
function removeStale(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = /^ccp4i2-(\d+)$/.exec(name);
    if (!m || Number(m[1]) === process.pid || existsSync(`/proc/${m[1]}`)) continue;
    try {
      for (const job of readdirSync(join(dir, name), { withFileTypes: true }))
        if (job.isDirectory()) rmdirSync(join(dir, name, job.name));
      rmdirSync(join(dir, name));
    } catch {
      // still in use by processes of a dead owner, or not ours to remove
    }
  }
}

function detect(): ContainmentSupport {
  const forced = process.env.CCP4I2_CONTAINMENT;
  if (forced === 'process-table')
    return { mechanism: 'process-table', reason: 'CCP4I2_CONTAINMENT=process-table' };
  if (process.platform !== 'linux')
    return { mechanism: 'process-table', reason: `not Linux (${process.platform})` };
  try {
    const own = ownCgroupDirectory();
    if (!own.dir) return { mechanism: 'process-table', reason: own.reason };
    const root = join(own.dir, `ccp4i2-${process.pid}`);
    removeStale(own.dir);
    mkdirSync(root, { recursive: true });
    threaded = forced !== 'cgroup-process' && threadedHere(own.dir) && makeThreaded(root);
    // Prove both moves work before relying on them: into the first run's cgroup and back. It is then
    // kept for that run (creating a cgroup takes the kernel 10-20 ms on a loaded machine, and the first
    // move into a new one more: a probe of its own doubled both).
    const first = join(root, `job-${++serial}`);
    mkdirSync(first, { recursive: true });
    try {
      if (threaded && !makeThreaded(first)) throw new Error('a job cgroup cannot be made threaded');
      moveSelf(first);
      moveSelf(own.dir);
    } catch (e) {
      forgetCgroup(first);
      rmdirSync(first);
      throw e;
    }
    idle.push(first);
    home = own.dir;
    process.once('exit', () => removeCgroupTree(root));
    return { mechanism: 'cgroup', root, threaded };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { mechanism: 'process-table', reason: `cgroup v2 not writable: ${err.code ?? err.message}` };
  }
}

/**
 * Whether job cgroups below `dir` (this process's own cgroup) can be threaded with this process staying
 * where it is: `dir` is the root (no cgroup.type) or already in a threaded subtree. A plain domain (a
 * systemd scope) would become a threaded domain, barring other cgroups below it from holding processes.
 */
function threadedHere(dir: string): boolean {
  let type: string;
  try {
    type = readFileSync(join(dir, 'cgroup.type'), 'latin1').trim();
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(join(dir, 'cgroup.threads'));
  }
  return type === 'threaded' || type === 'domain threaded';
}

/** Makes the new, empty cgroup `dir` threaded; false where the kernel refuses (the whole process moves). */
function makeThreaded(dir: string): boolean {
  try {
    writeFileSync(join(dir, 'cgroup.type'), 'threaded');
    return true;
  } catch {
    return false;
  }
}

function removeCgroupTree(root: string): void {
  try {
    for (const job of readdirSync(root, { withFileTypes: true }))
      if (job.isDirectory()) rmdirSync(join(root, job.name));
    rmdirSync(root);
  } catch {
    // processes still inside (being killed): nothing more can be done on the way out
  }
}

/**
 * Which containment new runs get here (decided once per process). CCP4I2_CONTAINMENT=process-table forces
 * the fallback; =cgroup-process moves the whole process around each spawn even where threads could.
 */
export function containmentSupport(): ContainmentSupport {
  support ??= detect();
  return support;
}

/** One run's cgroup. */
export class JobCgroup {
  readonly path: string;
  /** Set if moving back failed: Node itself is in this cgroup, so it is never killed wholesale. */
  #holdsSelf = false;
  /** cgroup.procs was read empty since the last spawn into it. */
  #seenEmpty = false;

  private constructor(path: string) {
    this.path = path;
  }

  /** A new, empty cgroup for one run, or undefined when cgroups are not used here. */
  static create(): JobCgroup | undefined {
    const s = containmentSupport();
    if (s.mechanism !== 'cgroup' || !s.root) return undefined;
    const reused = idle.pop();
    if (reused) return new JobCgroup(reused);
    const path = join(s.root, `job-${++serial}`);
    try {
      mkdirSync(path);
    } catch {
      return undefined;
    }
    if (threaded && !makeThreaded(path)) {
      // A domain child of a threaded cgroup cannot hold processes: not usable.
      rmdirSync(path);
      return undefined;
    }
    return new JobCgroup(path);
  }

  /** Calls `spawn` (a synchronous child_process.spawn) with Node inside this cgroup, so the child is born in it. */
  spawnInside<T>(spawn: () => T): T {
    // A warming write still on the thread pool could move this process back home before the spawn.
    if (warming?.writing)
      throw new Error('spawnInside while a warming write is pending (await settleWarmUp())');
    stopWarming();
    warmedOnce = true;
    this.#seenEmpty = false;
    moveSelf(this.path);
    try {
      return spawn();
    } finally {
      try {
        moveSelf(home!);
      } catch {
        // Never again: killing this cgroup would kill Node. Later runs use the process table.
        this.#holdsSelf = true;
        support = { mechanism: 'process-table', reason: 'moving back out of a job cgroup failed' };
      }
    }
  }

  /** Pids of the processes in the cgroup (zombies not yet reaped may be among them). */
  pids(): number[] {
    if (threaded) return this.#threadedPids();
    let text: string;
    try {
      text = readFileSync(join(this.path, 'cgroup.procs'), 'latin1');
    } catch {
      this.#seenEmpty = false;
      return [];
    }
    const out: number[] = [];
    for (const l of text.split('\n')) {
      const pid = Number(l);
      if (l && Number.isSafeInteger(pid) && pid !== process.pid) out.push(pid);
    }
    this.#seenEmpty = text === '';
    return out;
  }

  /**
   * A threaded cgroup lists threads, not processes (reading its cgroup.procs fails): the processes owning
   * the threads of this cgroup and of any below it (a run of ours inside the job nests its own). "Not
   * populated" (cgroup.events, for the whole subtree) answers the usual case in one read.
   */
  #threadedPids(): number[] {
    try {
      if (!populated(this.path)) {
        this.#seenEmpty = true;
        return [];
      }
    } catch {
      forgetCgroup(this.path);
      this.#seenEmpty = false;
      return [];
    }
    this.#seenEmpty = false;
    const out = new Set<number>();
    collectThreadOwners(this.path, out);
    out.delete(process.pid);
    return [...out];
  }

  /** SIGKILLs everything in the cgroup, atomically where the kernel has cgroup.kill (Linux 5.14). */
  killAll(): void {
    // cgroup.kill is refused in a threaded cgroup (EOPNOTSUPP): one by one below, as on older kernels.
    if (!this.#holdsSelf && !threaded) {
      try {
        writeFileSync(join(this.path, 'cgroup.kill'), '1');
        return;
      } catch {
        // older kernel: one by one below
      }
    }
    for (const pid of this.pids()) {
      try {
        sendSignal(pid, 'SIGKILL');
      } catch {
        // never signal an unsafe target
      }
    }
  }

  /** Releases the cgroup once empty (kept for reuse, or removed); false while processes remain in it. */
  remove(): boolean {
    // Found empty since the spawn (the run's last look for leftovers): nothing can have entered since, as
    // only this process moves anything in, so there is no need to read it again.
    if (this.#holdsSelf || (!this.#seenEmpty && this.pids().length > 0)) return false;
    if (idle.length < MAX_IDLE && support?.mechanism === 'cgroup') {
      idle.push(this.path);
      return true;
    }
    forgetCgroup(this.path);
    try {
      rmdirSync(this.path);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT';
    }
  }
}

/** Adds to `out` the process (thread group) of every thread in the threaded cgroup `dir` and below it. */
function collectThreadOwners(dir: string, out: Set<number>): void {
  let text = '';
  try {
    text = readFileSync(join(dir, 'cgroup.threads'), 'latin1');
  } catch {
    return; // removed meanwhile
  }
  for (const l of text.split('\n')) {
    const tid = Number(l);
    if (!l || !Number.isSafeInteger(tid)) continue;
    const owner = threadGroupOf(tid);
    if (owner !== undefined) out.add(owner);
  }
  try {
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) collectThreadOwners(join(dir, e.name), out);
  } catch {
    // removed meanwhile
  }
}

/** The process a thread belongs to (its Tgid), or undefined when the thread is gone. */
function threadGroupOf(tid: number): number | undefined {
  try {
    const m = /^Tgid:\s*(\d+)$/m.exec(readFileSync(`/proc/${tid}/status`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

// Start-up of a one-shot command. The first cgroup migration after a quiet spell waits for an RCU grace
// period (7-20 ms measured on a 2-core VM, idle or loaded): the kernel switches cgroup_threadgroup_rwsem,
// which every fork and exit on the machine takes for reading, to its slow path before migrating. For about
// one more grace period after the last migration it stays there, and migrations are then fast (~50 µs). A
// migration that changes nothing (this process into the cgroup it is in) pays that wait too: made on the
// thread pool every few ms while the command prepares its job, it lets the first job's moves (spawnInside)
// find the lock ready. Such a write must never land while this process is inside a job cgroup around a
// spawn: runs wait for it (settleWarmUp) before taking their scope, and the spawn stops the warming.

const WARM_EVERY_MS = 5;

interface Warming {
  fd: number;
  until: number;
  timer?: NodeJS.Timeout;
  /** Settles when the write on the thread pool is done. */
  writing?: Promise<void>;
}
let warming: Warming | undefined;
/** Set by the first spawn: later programs of a pipeline start seconds apart, too late to warm for. */
let warmedOnce = false;

function warmTick(state: Warming): void {
  clearTimeout(state.timer);
  state.writing = new Promise((resolve) => {
    write(state.fd, String(process.pid), (e) => {
      state.writing = undefined;
      // Stopped meanwhile: the fd is closed here, never while a write on the thread pool still uses it.
      if (warming !== state) close(state.fd, () => {});
      else if (e || monotonicMs() > state.until) stopWarming();
      else state.timer = setTimeout(() => warmTick(state), WARM_EVERY_MS).unref();
      resolve();
    });
  });
}

/**
 * For a command that will start a program soon (i2run): keeps the kernel's cgroup migration lock warm
 * (above) until a program is started, `ms` have passed, or a write fails (no cgroup v2 here, or not
 * writable: nothing to warm). Timers wait while the main thread is busy, so calling it again before a
 * long synchronous stretch that precedes the start (creating a job) writes at once.
 */
export function warmUpContainment(ms = 1000): void {
  if (warmedOnce) return;
  if (warming) {
    if (!warming.writing) warmTick(warming);
    return;
  }
  if (process.platform !== 'linux' || process.env.CCP4I2_CONTAINMENT === 'process-table') return;
  if (support && support.mechanism !== 'cgroup') return;
  let fd: number;
  try {
    const own = ownCgroupDirectory();
    // Threaded job cgroups: the main thread's moves skip the lock, so there is nothing to warm.
    const forced = process.env.CCP4I2_CONTAINMENT;
    if (!own.dir || (forced !== 'cgroup-process' && threadedHere(own.dir))) return;
    fd = openSync(join(own.dir, 'cgroup.procs'), 'w');
  } catch {
    return;
  }
  warming = { fd, until: monotonicMs() + ms };
  warmTick(warming);
}

/** While a warming write is on the thread pool: a promise settling when it is done (else undefined). */
export function settleWarmUp(): Promise<void> | undefined {
  return warming?.writing;
}

/** Ends the warming (the command ran its job without starting a program); a write on the pool finishes. */
export function stopWarmUp(): void {
  stopWarming();
}

function stopWarming(): void {
  const w = warming;
  if (!w) return;
  warming = undefined;
  clearTimeout(w.timer);
  if (!w.writing) close(w.fd, () => {});
}
