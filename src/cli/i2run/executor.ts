import { existsSync } from 'node:fs';
import { isTerminal, type JobRecord, JobStatus, jobStatusName } from '../../db/index.js';
import type { CPluginScript } from '../../plugins/index.js';
import type { SlurmJobOptions } from '../../process/slurm/index.js';
import type { I2runArgs } from './argv.js';
import { EXIT } from './errors.js';
import { fail, type I2runIo, type InterruptState, print } from './io.js';
import type { Registration } from './register.js';
import { outputValues, summaryText } from './summary.js';

/** The SLURM options i2run was given (--slurm-partition, --slurm-time...), validated by the executor. */
export function slurmRunOptions(args: I2runArgs): SlurmJobOptions {
  return slurmOptionsOf(args.slurm);
}

/**
 * SLURM options from command-line strings (i2run's and `projects set`'s --slurm-* options): digits are
 * minutes, megabytes, CPUs; the rest is checked by the SLURM client.
 */
export function slurmOptionsOf(s: I2runArgs['slurm']): SlurmJobOptions {
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : v);
  return {
    ...(s.partition !== undefined ? { partition: s.partition } : {}),
    ...(s.time !== undefined ? { timeLimit: num(s.time) } : {}),
    ...(s.cpus !== undefined ? { cpus: num(s.cpus) as number } : {}),
    ...(s.mem !== undefined ? { memory: num(s.mem) } : {}),
    ...(s.account !== undefined ? { account: s.account } : {}),
    ...(s.args.length > 0 ? { extraArgs: s.args } : {}),
  };
}

const EXIT_OF: Partial<Record<number, number>> = {
  [JobStatus.FINISHED]: EXIT.SUCCEEDED,
  [JobStatus.INTERRUPTED]: EXIT.INTERRUPTED,
};

/**
 * `i2run --executor slurm`: the prepared job (input_params.xml) goes to SLURM as one job; i2run is its
 * coordinator: it alone writes the database, polls (one squeue per interval), prints the state changes,
 * and cancels the SLURM job on Ctrl-C. The summary's outputs come from the params.xml the node wrote.
 */
export async function runOnSlurm(
  plugin: CPluginScript,
  reg: Registration,
  args: I2runArgs,
  io: I2runIo,
  state: InterruptState,
): Promise<number> {
  const { JobService } = await import('../../jobs/index.js');
  // Its built-in executors: slurm is loaded by start, local stays reachable for the project's other jobs.
  const service = new JobService({ db: reg.db, registry: reg.service.registry });
  let job: JobRecord;
  try {
    plugin.saveParams('JOB_INPUT');
    job = await service.start(reg.job, 'slurm', slurmRunOptions(args) as Record<string, unknown>);
  } catch (e) {
    service.close();
    // A bad SLURM option is a usage error (2); a job SLURM refused or could not take is a failed job (1).
    const code = fail(io, e);
    return (e as { className?: string; code?: number }).className === 'SlurmClient' &&
      (e as { code?: number }).code !== 101
      ? EXIT.FAILED
      : code;
  }
  print(io.stderr, `i2run: ${job.taskName} job ${job.number} submitted to SLURM as job ${job.externalId}`);
  let cancelling: Promise<unknown> | undefined;
  state.onInterrupt = () => {
    print(io.stderr, `i2run: interrupt: cancelling SLURM job ${job.externalId}`);
    cancelling ??= service.cancel(reg.db.jobs.get(job.id)!).catch((e) => fail(io, e));
  };
  const interval = Number(process.env.CCP4I2_SLURM_POLL_MS ?? 5000);
  let done: JobRecord;
  try {
    done = await service.waitFor(job, {
      intervalMs: interval > 0 ? interval : 5000,
      onChange: (r) => {
        if (r.id === job.id && !isTerminal(r.status))
          print(io.stderr, `i2run: job ${r.number} ${jobStatusName(r.status)}`);
      },
    });
    await cancelling;
    done = reg.db.jobs.get(job.id)!;
  } finally {
    state.onInterrupt = undefined;
    service.close();
  }
  const params = plugin.makeFileName('PARAMS');
  if (existsSync(params)) plugin.loadDataFromXml(params);
  const code = EXIT_OF[done.status] ?? EXIT.FAILED;
  const outputs = done.status === JobStatus.FINISHED ? outputValues(plugin.outputData) : [];
  if (args.json) {
    print(
      io.stdout,
      JSON.stringify(
        {
          status: jobStatusName(done.status),
          exitCode: code,
          jobDirectory: done.directory,
          outputs: Object.fromEntries(outputs),
          slurmJobId: done.externalId,
          ...(done.diagnostic ? { diagnostic: done.diagnostic } : {}),
        },
        null,
        1,
      ),
    );
  } else
    print(
      io.stdout,
      summaryText({
        jobDirectory: done.directory,
        status: jobStatusName(done.status),
        notes: [['SLURM job', done.externalId ?? '']],
        outputs,
        diagnostic: done.diagnostic ?? undefined,
      }),
    );
  state.resultPrinted = true;
  return code;
}
