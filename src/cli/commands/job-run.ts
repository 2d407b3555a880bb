import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobDatabase, JobRecord, ProjectRecord } from '../../db/index.js';
import { DB_EXIT, type DbOptions, output } from './job-context.js';

/** The parameters a job was given: input_params.xml (as set before it ran), else params.xml. */
function paramsOf(job: JobRecord): string | undefined {
  return ['input_params.xml', 'params.xml'].map((n) => join(job.directory, n)).find((p) => existsSync(p));
}

async function service(db: JobDatabase, runner?: (job: JobRecord, project: ProjectRecord) => string[]) {
  const { loadRegistry } = await import('../i2run/tasks.js');
  const { JobService } = await import('../../jobs/index.js');
  return new JobService({ db, registry: await loadRegistry(), runnerCommand: runner });
}

/** A new Pending job with the task, title and parameters of `source` (its output files not carried over). */
export async function cloneJob(
  db: JobDatabase,
  project: ProjectRecord,
  source: JobRecord,
): Promise<JobRecord> {
  const { loadParamsFile } = await import('../../data/index.js');
  const { dbError } = await import('../../db/core.js');
  if (source.parentId !== null)
    throw dbError(12, `job ${source.number} is a sub-job: clone its top-level job`);
  const params = paramsOf(source);
  return (await service(db)).createJob({
    project,
    taskName: source.taskName,
    title: source.title ?? undefined,
    configure: (plugin) => {
      if (!params) return;
      const r = loadParamsFile(plugin.container, params, {});
      if (r.report.hasErrors())
        throw dbError(11, `the parameters of job ${source.number} cannot be loaded`, {
          file: params,
          details: r.report.entries.map((e) => e.description).join('; '),
        });
      for (const c of plugin.container.content('outputData')?.contents() ?? []) c.unSet();
    },
  });
}

/**
 * Runs a Pending job: here, as its runner (Ctrl-C or SIGTERM — `jobs cancel` from another terminal —
 * cancels it), or with `detach` through the local executor. Resolves to the exit status: 0 Finished, 1
 * not, 130 interrupted (0 once a detached runner started).
 */
export async function runJob(
  db: JobDatabase,
  job: JobRecord,
  opts: DbOptions & { detach?: boolean; resume?: boolean },
): Promise<number> {
  const { jobStatusName } = await import('../../db/core.js');
  if (opts.detach) {
    const script = process.argv[1]!;
    const svc = await service(db, (j, p) => [
      process.execPath,
      script,
      'jobs',
      'run',
      j.number,
      '--project',
      p.name,
      '--db',
      db.file,
    ]);
    const started = await svc.start(job);
    output(
      opts,
      started,
      () =>
        `job ${started.number} started (pid ${started.pid}); ccp4i2 jobs log ${started.number} --follow\n`,
    );
    return DB_EXIT.OK;
  }
  const svc = await service(db);
  let cancel = () => {};
  const onSignal = () => cancel();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { status, lost } = await svc.run(job, {
      resume: opts.resume,
      beforeRun: (plugin) => {
        cancel = () => plugin.cancel();
        if (!opts.json) plugin.logLine.connect((l) => process.stderr.write(`${l.text}\n`));
      },
    });
    const after = db.jobs.get(job.id)!;
    output(opts, after, () => `job ${after.number} ${jobStatusName(after.status)}\n`);
    // Its directory or the database went while it ran: said as the coded error naming the path.
    if (lost) {
      process.stderr.write(`ccp4i2: error: ${lost.describe()}\n`);
      return DB_EXIT.JOB_NOT_FINISHED;
    }
    return status === 0 ? DB_EXIT.OK : status === 2 ? DB_EXIT.INTERRUPTED : DB_EXIT.JOB_NOT_FINISHED;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The i2run argv that reproduces a job (a sub-job as its own task): its task, parameters file, project. */
export function i2runCommand(project: ProjectRecord, job: JobRecord): string[] {
  const params = paramsOf(job);
  return [
    'i2run',
    job.taskName,
    ...(params ? ['--params', params] : []),
    '--project_name',
    project.name,
    '--project_path',
    project.directory,
  ];
}

/** An argument as a POSIX shell reads it back (for display only: we never run shell strings). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
