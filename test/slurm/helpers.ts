import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CPluginScript, type TaskRegistry, taskRegistry } from '../../src/index.js';
import { SLEEP_MARK } from '../cli/i2run-tasks.js';

/**
 * Whether a SLURM controller answers on this machine (.ci/slurm-up.sh starts one). Without sbatch or a
 * controller the SLURM tests skip with a message; under CI=true that is a failure, since .ci/run must
 * have started it.
 */
export function slurmUp(): boolean {
  const sbatch = spawnSync('sbatch', ['--version'], { stdio: 'ignore' });
  let why: string | undefined;
  if (sbatch.error) why = 'sbatch not found on PATH';
  else {
    // Another checkout's fault test may be restarting the controller: give it a minute.
    const end = Date.now() + 60_000;
    for (;;) {
      const ping = spawnSync('scontrol', ['ping'], { encoding: 'utf8', timeout: 20_000 });
      if (ping.status === 0 && /UP/.test(ping.stdout)) break;
      if (Date.now() > end) {
        why = `slurmctld does not answer (${ping.stdout.trim().split('\n')[0]})`;
        break;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    }
  }
  if (why === undefined) return true;
  if (process.env.CI === 'true') throw new Error(`SLURM is required under CI=true: ${why} (.ci/slurm-up.sh)`);
  console.warn(`skipping SLURM tests: ${why}; start one with .ci/slurm-up.sh`);
  return false;
}

export const REPO = resolve(__dirname, '../..');
export const SLURM_UP = join(REPO, '.ci/slurm-up.sh');

/** A fresh directory for a test, with a space in its name (job directories with spaces must work). */
export function jobRoot(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix} slurm `));
}

/** `scontrol -o show job ID` as key=value pairs (test inspection only). */
export function scontrolJob(jobId: string): Record<string, string> {
  const r = spawnSync('scontrol', ['-o', 'show', 'job', jobId], { encoding: 'utf8' });
  const out: Record<string, string> = {};
  for (const m of r.stdout.matchAll(/(?:^|\s)([A-Za-z:/]+)=(\S*)/g)) out[m[1]!] = m[2]!;
  return out;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Polls `check` every 100 ms until it returns true or `ms` pass. */
export async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** slurmctld's pid from its pid file (scontrol show config), checked against /proc; undefined if not running. */
export function controllerPid(): { pid: number | undefined; stateDir: string } {
  const cfg = spawnSync('scontrol', ['show', 'config'], { encoding: 'utf8', timeout: 30_000 }).stdout ?? '';
  const pidFile = /^SlurmctldPidFile\s*=\s*(\S+)/m.exec(cfg)?.[1] ?? '/tmp/ccp4i2-slurm/slurmctld.pid';
  const stateDir = pidFile.replace(/\/[^/]+$/, '');
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return { pid: comm === 'slurmctld' && state !== 'Z' && pid > 1 ? pid : undefined, stateDir };
  } catch {
    return { pid: undefined, stateDir };
  }
}

/** Starts whatever of munged, slurmctld, slurmd is not running, with .ci/slurm-up.sh. */
export function slurmUpScript(stateDir: string): void {
  // The daemons outlive this test run: never give them its temporary directory (removed at its end).
  const env = { ...process.env, TMPDIR: process.env.CCP4I2_MACHINE_TMPDIR ?? tmpdir() };
  const r = spawnSync(SLURM_UP, [stateDir], { encoding: 'utf8', timeout: 60_000, env });
  if (r.status !== 0) throw new Error(`slurm-up.sh failed: ${r.stderr}`);
}

/**
 * The machine has one SLURM, shared by every checkout that runs these tests (other worktrees, a CI run):
 * each test file holds this lock (a directory made atomically, with the holder's pid) from its first to
 * its last test, so one file's faults (slurmctld stopped, the node DOWN) never hit another's jobs. A lock
 * whose holder is dead is taken over. Returns the release function.
 */
export async function holdSlurm(waitMs = 900_000): Promise<() => void> {
  const lock = join(process.env.CCP4I2_MACHINE_TMPDIR ?? tmpdir(), 'ccp4i2-slurm-tests.lock');
  const end = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // being written or removed: look again
    }
    let alive = true;
    try {
      readFileSync(`/proc/${holder}/stat`);
    } catch {
      alive = false;
    }
    if (Number.isNaN(holder)) {
      // no pid yet: its holder is writing it, or died right after making the lock
      try {
        alive = Date.now() - statSync(lock).mtimeMs < 10_000;
      } catch {
        alive = false;
      }
    }
    if (!alive) rmSync(lock, { recursive: true, force: true });
    else if (Date.now() > end) throw new Error(`the SLURM test lock ${lock} is held by pid ${holder}`);
    else await new Promise((r) => setTimeout(r, 500));
  }
}

/** Processes of this test process's sleeper task (SLEEP_MARK in their command line), on this machine's node. */
export function sleepers(): number {
  return processesWith(SLEEP_MARK);
}

/** Processes on this machine (the node) whose command line holds `mark`. */
export function processesWith(mark: string): number {
  let n = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(mark)) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

/**
 * The shipped tasks plus the test tasks' names, for a coordinator in this process (the node loads the
 * real ones, from CCP4I2_TASK_PATH).
 */
export function testTaskNames(names: readonly string[]): TaskRegistry {
  for (const name of names) {
    if (taskRegistry.get(name)) continue;
    class T extends CPluginScript {
      static override TASKNAME = name;
    }
    taskRegistry.register({ taskName: name, defFile: '', pluginClass: T as never });
  }
  return taskRegistry;
}
