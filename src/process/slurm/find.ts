import { readdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { type CommandOptions, isControllerDown, runSlurmCommand, slurmMessage } from './commands.js';
import { SlurmErrorCode, slurmError } from './errors.js';
import { SLURM_JOB_ID } from './records.js';

/**
 * This user's SLURM jobs that slurmctld still knows (pending, running, and ended within MinJobAge), by
 * working directory: one `squeue -t all` call. Used to find a job whose id was never recorded (its
 * coordinator died during sbatch): each of our jobs runs in its own job directory (--chdir).
 */
export async function slurmJobsByDirectory(opts: CommandOptions = {}): Promise<Map<string, string[]>> {
  const out = await runSlurmCommand(
    'squeue',
    ['-h', '-t', 'all', '-u', userInfo().username, '-o', '%i|%Z'],
    opts,
  );
  if (out.code !== 0)
    throw slurmError(
      isControllerDown(out.stderr) ? SlurmErrorCode.CONTROLLER_DOWN : SlurmErrorCode.BAD_OUTPUT,
      `squeue: ${slurmMessage(out)}`,
      { objectPath: 'commands.squeue' },
    );
  const byDir = new Map<string, string[]>();
  for (const line of out.stdout.split('\n')) {
    const bar = line.indexOf('|');
    const id = line.slice(0, bar).trim();
    const raw = line.slice(bar + 1);
    if (bar < 0 || !SLURM_JOB_ID.test(id) || !raw.startsWith('/')) continue;
    const dir = resolve(raw); // as sbatch was given it (submitJob resolves the job directory)
    const ids = byDir.get(dir) ?? [];
    ids.push(id);
    byDir.set(dir, ids);
  }
  return byDir;
}

/**
 * Job directories that an sbatch still running on this host was given (`--chdir=DIR` among a process's
 * arguments, /proc): its coordinator may have died, but the submission may yet succeed, so such a job is
 * not judged yet. Empty where /proc cannot be read.
 */
export function directoriesBeingSubmitted(): Set<string> {
  const out = new Set<string>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone, or not ours to read
    }
    for (const a of args) if (a.startsWith('--chdir=')) out.add(resolve(a.slice('--chdir='.length)));
  }
  return out;
}
