import { SlurmErrorCode, slurmError } from './errors.js';

/** What a job asks of SLURM. Every field is validated before anything is submitted. */
export interface SlurmJobOptions {
  /** Partition (queue), or a comma-separated list of them. Default: the cluster's default partition. */
  partition?: string;
  /** Time limit: minutes (a number), or SLURM's own format ("90", "1:30:00", "2-00:00:00", "UNLIMITED"). */
  timeLimit?: number | string;
  /** CPUs for the job's one task (`--cpus-per-task`). */
  cpus?: number;
  /** Memory per node: megabytes (a number) or with a unit ("4G", "500M"). */
  memory?: number | string;
  /** Account charged for the job. */
  account?: string;
  /** Name shown by squeue; letters, digits and `._+-` (others become `_`). */
  jobName?: string;
  /**
   * Further sbatch options, each one argv element in long form (`--qos=high`, `--exclusive`). Options the
   * client sets itself (working directory, output files, ...) and the typed options above are refused.
   */
  extraArgs?: readonly string[];
}

const NAME_LIST = /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/;
const ACCOUNT = /^[A-Za-z0-9_.-]+$/;
// SLURM's time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours[:minutes[:seconds]].
const TIME =
  /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/i;
const MEMORY = /^\d+[KMGT]?$/i;
const LONG_OPTION = /^--([a-z][a-z0-9-]*)(=(.*))?$/s;

/** Options the client always sets (refused in extraArgs, which would contradict them). */
const RESERVED: Record<string, string> = {
  parsable: 'the client reads the job id from --parsable',
  chdir: 'the job runs in its job directory',
  output: 'SLURM output goes to slurm-<id>.out in the job directory',
  error: 'SLURM output goes to slurm-<id>.out in the job directory',
  input: 'standard input is given by the job',
  wrap: 'the batch script is the client’s own',
  array: 'one SLURM job per job',
  requeue: 'a job is never re-run by SLURM in the same directory (--no-requeue)',
  'no-requeue': 'set by the client',
  partition: 'use the partition option',
  time: 'use the time limit option',
  'cpus-per-task': 'use the cpus option',
  mem: 'use the memory option',
  account: 'use the account option',
  'job-name': 'use the job name option',
};

function bad(path: string, message: string): never {
  throw slurmError(SlurmErrorCode.INVALID_OPTION, message, { objectPath: `slurm.${path}` });
}

/**
 * The sbatch arguments for `opts`, after validating each (Ccp4Error SlurmClient 101 naming the option).
 * Values go as single argv elements, so nothing is ever interpreted by a shell.
 */
export function sbatchOptionArgs(opts: SlurmJobOptions): string[] {
  const args: string[] = [];
  if (opts.partition !== undefined) {
    if (typeof opts.partition !== 'string' || !NAME_LIST.test(opts.partition))
      bad('partition', `Invalid partition name "${String(opts.partition)}"`);
    args.push(`--partition=${opts.partition}`);
  }
  if (opts.timeLimit !== undefined) {
    const t = opts.timeLimit;
    if (typeof t === 'number') {
      if (!Number.isFinite(t) || t <= 0) bad('timeLimit', `Invalid time limit ${t}: minutes must be > 0`);
      args.push(`--time=${Math.ceil(t)}`);
    } else {
      if (typeof t !== 'string' || !TIME.test(t))
        bad('timeLimit', `Invalid time limit "${String(t)}" (minutes, h:mm:ss or d-hh:mm:ss)`);
      args.push(`--time=${t}`);
    }
  }
  if (opts.cpus !== undefined) {
    if (!Number.isSafeInteger(opts.cpus) || opts.cpus < 1)
      bad('cpus', `Invalid CPU count ${String(opts.cpus)}: a positive integer`);
    args.push(`--cpus-per-task=${opts.cpus}`);
  }
  if (opts.memory !== undefined) {
    const m = opts.memory;
    if (typeof m === 'number') {
      if (!Number.isSafeInteger(m) || m < 1)
        bad('memory', `Invalid memory ${m}: megabytes, a positive integer`);
      args.push(`--mem=${m}M`);
    } else {
      if (typeof m !== 'string' || !MEMORY.test(m))
        bad('memory', `Invalid memory "${String(m)}" (e.g. 500M, 4G)`);
      args.push(`--mem=${m.toUpperCase()}`);
    }
  }
  if (opts.account !== undefined) {
    if (typeof opts.account !== 'string' || !ACCOUNT.test(opts.account))
      bad('account', `Invalid account name "${String(opts.account)}"`);
    args.push(`--account=${opts.account}`);
  }
  if (opts.jobName !== undefined) {
    const name = String(opts.jobName)
      .replace(/[^A-Za-z0-9_.+-]/g, '_')
      .slice(0, 128);
    if (name) args.push(`--job-name=${name}`);
  }
  (opts.extraArgs ?? []).forEach((arg, i) => {
    const path = `extraArgs[${i}]`;
    if (typeof arg !== 'string') bad(path, 'Extra sbatch argument is not a string');
    const m = LONG_OPTION.exec(arg);
    if (!m) bad(path, `Extra sbatch argument "${arg}" must be one long option: --name or --name=value`);
    const why = RESERVED[m[1]!];
    if (why) bad(path, `Extra sbatch argument ${arg} is not allowed: ${why}`);
    if (/[\0\n\r]/.test(m[3] ?? '')) bad(path, `Extra sbatch argument ${m[1]} has a control character`);
    args.push(arg);
  });
  return args;
}
