import { join, resolve } from 'node:path';
import { BATCH_FILES, type BatchCommand, writeBatchFiles } from './batch-script.js';
import { type CommandOptions, isControllerDown, runSlurmCommand, slurmMessage } from './commands.js';
import { SlurmErrorCode, slurmError } from './errors.js';
import { type SlurmJobOptions, sbatchOptionArgs } from './options.js';

export interface SubmitRequest extends CommandOptions {
  /** The job directory: on a filesystem the nodes share; the job runs there. */
  jobDirectory: string;
  command: BatchCommand;
  slurm?: SlurmJobOptions;
}

export interface SubmittedJob {
  jobId: string;
  /** The cluster name sbatch reported (multi-cluster sites), if any. */
  cluster?: string;
  jobDirectory: string;
}

/**
 * SLURM's output file as an sbatch filename pattern: slurm-%j.out in the job directory. SLURM expands
 * '%' patterns in the whole path, so a '%' of the directory is doubled; a '\\' anywhere turns expansion
 * off, and then the name is a plain slurm.out.
 */
export function outputPattern(jobDirectory: string): string {
  if (jobDirectory.includes('\\')) return join(jobDirectory, 'slurm.out');
  return join(jobDirectory.replaceAll('%', '%%'), BATCH_FILES.slurmOutput);
}

/** The full sbatch argv for a request (options validated; no shell anywhere). */
export function sbatchArgs(jobDirectory: string, script: string, slurm: SlurmJobOptions = {}): string[] {
  return [
    '--parsable',
    '--no-requeue',
    `--chdir=${jobDirectory}`,
    `--output=${outputPattern(jobDirectory)}`,
    ...sbatchOptionArgs(slurm),
    script,
  ];
}

/**
 * Writes the batch files into the job directory and submits them with `sbatch --parsable`. Rejects with
 * a coded error: 101 bad option, 102 sbatch missing, 103 the job rejected (SLURM's message: bad partition,
 * time limit...), 104 slurmctld not reachable, 105 job directory unusable, 112 unreadable job id. When it
 * rejects, nothing was queued.
 */
export async function submitJob(req: SubmitRequest): Promise<SubmittedJob> {
  const jobDirectory = resolve(req.jobDirectory);
  const args = sbatchArgs(jobDirectory, BATCH_FILES.script, req.slurm); // validate before writing files
  args[args.length - 1] = writeBatchFiles(jobDirectory, req.command);
  const out = await runSlurmCommand('sbatch', args, req);
  if (out.code !== 0) {
    const message = slurmMessage(out);
    const down = isControllerDown(out.stderr);
    throw slurmError(
      down ? SlurmErrorCode.CONTROLLER_DOWN : SlurmErrorCode.REJECTED,
      down ? `slurmctld did not answer the submission: ${message}` : `SLURM rejected the job: ${message}`,
      { file: jobDirectory, details: out.stderr.trim() || undefined },
    );
  }
  const m = /^(\d+)(?:;(\S+))?$/.exec(out.stdout.trim());
  if (!m) {
    throw slurmError(
      SlurmErrorCode.BAD_OUTPUT,
      `sbatch printed no job id: "${out.stdout.trim().slice(0, 200)}"`,
      {
        file: jobDirectory,
        details: out.stderr.trim() || undefined,
      },
    );
  }
  return { jobId: m[1]!, cluster: m[2], jobDirectory };
}
