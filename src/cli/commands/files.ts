import type { Command } from 'commander';
import {
  type DbOptions,
  dbOptions,
  output,
  resolveJob,
  resolveProject,
  table,
  withDatabase,
} from './job-context.js';

/** `ccp4i2 files list [--job N]`: a project's files with the job that made each and the jobs that used it. */
export function register(program: Command): void {
  const files = program.command('files').description("a project's files in the jobs database");
  dbOptions(files.command('list'))
    .description('files: path, the job that made it (or imported), the jobs that used it')
    .option('--job <n>', 'only the files this job read or wrote')
    .action((opts: DbOptions & { job?: string }) =>
      withDatabase(opts, async (db) => {
        const { fileView } = await import('./job-show.js');
        const project = await resolveProject(db, opts.project);
        const job = opts.job !== undefined ? resolveJob(db, project, opts.job) : undefined;
        const cache = new Map<string, string>();
        const rows = db.files.list({ projectId: project.id, jobId: job?.id }).map((f) => {
          // the role is the job's (--job), else whether a job made it
          const role = job ? (f.jobId === job.id ? 'out' : 'in') : f.jobId ? 'out' : 'in';
          return { id: f.id, ...fileView(db, f, role, f.paramName ?? '', cache) };
        });
        output(opts, rows, () =>
          table(
            ['FROM', 'PARAM', 'USED BY', 'PATH'],
            rows.map((r) => [r.producedBy ?? 'imported', r.paramName, r.usedBy.join(',') || '-', r.path]),
          ),
        );
      }),
    );
}
