import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord, ProjectRecord } from '../db/index.js';
import { JobStatus, statusFromPlugin } from '../db/status.js';
import {
  CPluginScript,
  type PluginClass,
  type PluginOptions,
  PluginStatus,
  type TaskRegistry,
} from '../plugins/index.js';
import { attachReporter } from '../reports/index.js';
import { JOB_ID_ENV } from './orphans.js';

/**
 * A job directory prepared by the job service (row made, input_params.xml written), with what is needed
 * to run it where there is no database: a SLURM node runs `ccp4i2 run-prepared` with these, and only
 * the coordinator writes the database.
 */
export interface PreparedJob {
  directory: string;
  taskName: string;
  jobId: string;
  jobNumber: string;
  projectDirectory: string;
  projectName: string;
}

export function preparedJob(job: JobRecord, project: ProjectRecord): PreparedJob {
  return {
    directory: job.directory,
    taskName: job.taskName,
    jobId: job.id,
    jobNumber: job.number,
    projectDirectory: project.directory,
    projectName: project.name,
  };
}

/** The `ccp4i2` arguments that run a prepared job (argv elements, never a shell string). */
export function runPreparedArgs(p: PreparedJob): string[] {
  return [
    'run-prepared',
    p.directory,
    '--task',
    p.taskName,
    '--job-id',
    p.jobId,
    '--job-number',
    p.jobNumber,
    '--project-directory',
    p.projectDirectory,
    '--project-name',
    p.projectName,
  ];
}

/** The job's plugin, with the parameters of its input_params.xml when there is one. */
export function preparedPlugin(
  registry: TaskRegistry,
  p: PreparedJob,
  options: PluginOptions = {},
  cls?: PluginClass,
): CPluginScript {
  const entry = registry.require(p.taskName);
  const C = cls ?? entry.pluginClass ?? (CPluginScript as PluginClass);
  const input = join(p.directory, 'input_params.xml');
  return new C({
    registry,
    defFile: entry.defFile,
    workDirectory: p.directory,
    jobId: p.jobId,
    jobNumber: p.jobNumber,
    fileContext: { projectDirectory: p.projectDirectory, projectId: p.projectName },
    paramsFile: existsSync(input) ? input : undefined,
    ...options,
    env: { ...options.env, [JOB_ID_ENV]: p.jobId },
  });
}

/**
 * Exit status of `ccp4i2 run-prepared`: 0 when the job SUCCEEDED, else this base plus the plugin's finish
 * status (11 FAILED, 12 INTERRUPTED, 13 MARK_TO_DELETE, 14 UNSATISFACTORY), so the coordinator records
 * the job's own status from the status file alone. Any other code is the runner's own failure.
 */
export const PREPARED_EXIT_BASE = 10;

export function preparedExitCode(pluginStatus: number): number {
  return pluginStatus === PluginStatus.SUCCEEDED ? 0 : PREPARED_EXIT_BASE + pluginStatus;
}

/** The job status an exit code of `run-prepared` stands for; undefined when the runner itself failed. */
export function statusFromPreparedExit(code: number): JobStatus | undefined {
  if (code === 0) return JobStatus.FINISHED;
  const s = code - PREPARED_EXIT_BASE;
  if (s < PluginStatus.FAILED || s > PluginStatus.UNSATISFACTORY) return undefined;
  return statusFromPlugin(s);
}

/**
 * Runs a prepared job in this process with no database: SIGTERM / SIGINT (scancel, the time limit)
 * cancel it, so its programs are stopped and INTERRUPTED is written to its params.xml. Resolves to the
 * exit status above.
 */
export async function runPreparedJob(
  registry: TaskRegistry,
  p: PreparedJob,
  options: PluginOptions = {},
): Promise<number> {
  const plugin = preparedPlugin(registry, p, options);
  // report.json in the job directory, live and final, as for a local job (the database is not here).
  attachReporter(plugin);
  process.env[JOB_ID_ENV] = p.jobId;
  const cancel = () => plugin.cancel();
  process.on('SIGTERM', cancel);
  process.on('SIGINT', cancel);
  try {
    return preparedExitCode(await plugin.process());
  } finally {
    process.off('SIGTERM', cancel);
    process.off('SIGINT', cancel);
  }
}
