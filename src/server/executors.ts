import { delimiter } from 'node:path';
import type { SlurmExecutorOptions } from '../jobs/executors/slurm.js';
import type { TaskRegistry } from '../plugins/index.js';
import { findProgram } from '../process/index.js';
import { type SlurmJobOptions, sbatchOptionArgs } from '../process/slurm/index.js';
import { serverError } from './errors.js';

/** The executors a job can be run with from the server. */
export const EXECUTOR_NAMES = ['local', 'slurm'] as const;
export type ExecutorName = (typeof EXECUTOR_NAMES)[number];

/** What a run asks for in the API: where it runs and, for SLURM, with what. */
export interface RunRequest {
  executor?: ExecutorName;
  slurm?: SlurmJobOptions;
}

/** JSON schema of the SLURM options of a run (the SLURM client checks the values further). */
export const slurmOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    partition: { type: 'string', minLength: 1, maxLength: 200 },
    timeLimit: {
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 1e8 },
        { type: 'string', minLength: 1, maxLength: 40 },
      ],
    },
    cpus: { type: 'integer', minimum: 1, maximum: 1e6 },
    memory: {
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 1e12 },
        { type: 'string', minLength: 1, maxLength: 40 },
      ],
    },
    account: { type: 'string', minLength: 1, maxLength: 200 },
    extraArgs: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 1000 } },
  },
} as const;

/** A run request checked: the executor (undefined: the project's default, else local) and its options. */
export interface CheckedRun {
  executor?: ExecutorName;
  options?: Record<string, unknown>;
}

/** The body properties of a run (job creation with `run: true`, and POST /jobs/:jid/run). */
export const runRequestProperties = {
  executor: { type: 'string', enum: [...EXECUTOR_NAMES] },
  slurm: slurmOptionsSchema,
} as const;

export interface ExecutorsOptions {
  /** Executors offered (default: local, and slurm when `sbatch` is on PATH). */
  available?: readonly ExecutorName[];
  /** The executor of a run that names none (default local). */
  defaultExecutor?: ExecutorName;
  /** Options of the slurm executor (tests: a short status grace period...). */
  slurm?: SlurmExecutorOptions;
  /** Task directories the SLURM nodes load too (passed as $CCP4I2_TASK_PATH). */
  taskDirs?: readonly string[];
}

/** Whether `sbatch` can be run here (then the server offers SLURM). */
export function sbatchFound(): boolean {
  try {
    findProgram('sbatch', { cwd: process.cwd(), path: process.env.PATH });
    return true;
  } catch {
    return false;
  }
}

/**
 * Options of the job service's built-in slurm executor for a server: the given ones, and the server's task
 * directories for the nodes (their `ccp4i2 run-prepared` loads tasks from $CCP4I2_TASK_PATH).
 */
export function serverSlurmOptions(o: ExecutorsOptions, registry: TaskRegistry): SlurmExecutorOptions {
  const base = o.slurm?.env ?? process.env;
  const taskPath = [...(o.taskDirs ?? []), ...(base.CCP4I2_TASK_PATH ?? '').split(delimiter)].filter(Boolean);
  const env = { ...base, ...(taskPath.length ? { CCP4I2_TASK_PATH: taskPath.join(delimiter) } : {}) };
  return { registry, ...o.slurm, env };
}

/** The server's executors: which are offered, the default, and the checks of a run request. */
export class ServerExecutors {
  readonly available: readonly ExecutorName[];
  readonly defaultExecutor: ExecutorName;

  constructor(options: ExecutorsOptions = {}) {
    this.available = options.available ?? (sbatchFound() ? ['local', 'slurm'] : ['local']);
    this.defaultExecutor = options.defaultExecutor ?? 'local';
    if (!this.available.includes(this.defaultExecutor))
      throw serverError(
        1,
        `the default executor '${this.defaultExecutor}' is not available here (sbatch not found on PATH?)`,
      );
  }

  /**
   * The executor name and options of a run, checked: an executor not offered here, or SLURM options
   * for a local run, is CServer 1; a bad SLURM value is the SLURM client's own SlurmClient 101 naming
   * the option (both 400). Nothing is created or submitted before this passes.
   */
  check(req: RunRequest): CheckedRun {
    const executor = req.executor ?? this.defaultExecutor;
    if (!this.available.includes(executor))
      throw serverError(
        1,
        `executor '${executor}' is not available on this server (offered: ${this.available.join(', ')})`,
        { objectPath: 'executor' },
      );
    if (executor !== 'slurm') {
      if (req.slurm !== undefined)
        throw serverError(1, `SLURM options were given for a '${executor}' run`, { objectPath: 'slurm' });
      // Named by nobody (the server's default is local): the job service takes the project's default.
      return { executor: req.executor ?? (this.defaultExecutor === 'local' ? undefined : executor) };
    }
    const slurm = req.slurm ?? {};
    sbatchOptionArgs(slurm);
    return { executor, options: slurm as Record<string, unknown> };
  }
}
