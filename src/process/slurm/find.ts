import { userInfo } from 'node:os';
import { type CommandOptions, isControllerDown, runSlurmCommand, slurmMessage } from './commands.js';
import { SlurmErrorCode, slurmError } from './errors.js';

const JOB_ID = /^\d+(_\d+)?$/;

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
    const dir = line.slice(bar + 1).replace(/\/+$/, '');
    if (bar < 0 || !JOB_ID.test(id) || !dir.startsWith('/')) continue;
    const ids = byDir.get(dir) ?? [];
    ids.push(id);
    byDir.set(dir, ids);
  }
  return byDir;
}
