import type { Executor } from './executor.js';
import { LocalExecutor, type LocalExecutorOptions } from './executors/local.js';
import type { SlurmExecutorOptions } from './executors/slurm.js';

/** Options of the built-in executors, each made on first use by a job service. */
export interface BuiltinExecutorOptions {
  local?: LocalExecutorOptions;
  slurm?: SlurmExecutorOptions;
}

/** Names of the executors every job service can reach. */
export const BUILTIN_EXECUTORS: readonly string[] = ['local', 'slurm'];

/**
 * A built-in executor by name, or undefined for a name that is not one. The slurm executor (and the SLURM
 * client under it) is imported only here, on first use: a command that never meets a SLURM job never
 * loads it.
 */
export async function loadBuiltinExecutor(
  name: string,
  options: BuiltinExecutorOptions = {},
): Promise<Executor | undefined> {
  if (name === 'local') return new LocalExecutor(options.local);
  if (name === 'slurm') {
    const { SlurmExecutor } = await import('./executors/slurm.js');
    return new SlurmExecutor(options.slurm);
  }
  return undefined;
}
