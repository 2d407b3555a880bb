import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import type { JobDatabase, JobRecord, ProjectRecord } from '../../db/index.js';
import {
  type DbOptions,
  dbOptions,
  durationSeconds,
  jobService,
  output,
  resolveJob,
  resolveProject,
  table,
  withDatabase,
} from './job-context.js';

/** A job row as `jobs list --json` prints it: the record plus its status name and duration. */
function jobView(j: JobRecord, statusName: (s: number) => string) {
  // the row itself, extended (not copied: `jobs list` may print 10,000 of them)
  return Object.assign(j, {
    statusName: statusName(j.status),
    durationSeconds: durationSeconds(j.started, j.finished),
  });
}

/** `ccp4i2 jobs list | show | key | tree | log | wait | cancel | clone | run | rerun | delete | i2run-command`. */
export function register(program: Command): void {
  const jobs = program.command('jobs').description("a project's jobs in the jobs database");

  dbOptions(jobs.command('list'))
    .description('jobs of a project: number, task, title, status, started, duration')
    .option('--status <status>', 'only jobs with this status (name or code: Running, Failed, 6...)')
    .option('--all', 'sub-jobs too')
    .action((opts: DbOptions & { status?: string; all?: boolean }) =>
      withDatabase(opts, async (db) => {
        const { dbError, jobStatusName, parseJobStatus } = await import('../../db/core.js');
        let status: number | undefined;
        if (opts.status !== undefined) {
          status = parseJobStatus(opts.status);
          if (status === undefined)
            throw dbError(11, `unknown status '${opts.status}'`, {
              details:
                'Pending, Queued, Running, Interrupted, Failed, Finished, Unsatisfactory... or a code 0-10',
            });
        }
        const project = await resolveProject(db, opts.project);
        const filter = { projectId: project.id, status, parentId: opts.all ? undefined : null };
        if (opts.json) {
          // SQLite writes each job's JSON (the same fields as jobView): 10,000 jobs in ~15 ms, not ~150.
          const json = db.jobs.listJson(filter);
          process.stdout.write(json.length ? `[\n${json.join(',\n')}\n]\n` : '[]\n');
          return;
        }
        const rows = db.jobs.list(filter).map((j) => jobView(j, jobStatusName));
        output(opts, rows, () =>
          table(
            ['JOB', 'TASK', 'STATUS', 'STARTED', 'SECONDS', 'TITLE'],
            rows.map((j) => [
              j.number,
              j.taskName,
              j.statusName,
              j.started?.replace('T', ' ').slice(0, 19) ?? '-',
              j.durationSeconds === null ? '-' : String(j.durationSeconds),
              j.title ?? '',
            ]),
          ),
        );
      }),
    );

  dbOptions(jobs.command('show'))
    .description('a job: status, runner, parameters, inputs and outputs with provenance, key values, errors')
    .argument('<job>', 'the job number (3, 3.1)')
    .action((n: string, opts: DbOptions) =>
      withDatabase(opts, async (db) => {
        const { jobShow, jobShowText } = await import('./job-show.js');
        const project = await resolveProject(db, opts.project);
        const data = jobShow(db, resolveJob(db, project, n));
        output(opts, data, () => jobShowText(data));
      }),
    );

  dbOptions(jobs.command('key'))
    .description(
      "why --resume reuses a job or not: its cache key's values against another job's (default: the latest Finished job of its task)",
    )
    .argument('<job>', 'the job number (3, 3.1)')
    .option('--against <job>', 'the job to compare with')
    .action((n: string, opts: DbOptions & { against?: string }) =>
      withDatabase(opts, async (db) => {
        const { jobKey, jobKeyText } = await import('./job-key.js');
        const project = await resolveProject(db, opts.project);
        const job = resolveJob(db, project, n);
        const against = opts.against === undefined ? undefined : resolveJob(db, project, opts.against);
        const service = await jobService(db);
        try {
          const data = jobKey(db, service, project, job, against);
          output(opts, data, () => jobKeyText(data));
        } finally {
          service.close();
        }
      }),
    );

  dbOptions(jobs.command('tree'))
    .description('jobs and their sub-jobs as a tree')
    .action((opts: DbOptions) =>
      withDatabase(opts, async (db) => {
        const { jobStatusName } = await import('../../db/core.js');
        const project = await resolveProject(db, opts.project);
        const all = db.jobs.list({ projectId: project.id });
        type Node = ReturnType<typeof jobView> & { children: Node[] };
        const nodes = new Map<string, Node>(
          all.map((j) => [j.id, { ...jobView(j, jobStatusName), children: [] }]),
        );
        const roots: Node[] = [];
        for (const n of nodes.values()) (n.parentId ? nodes.get(n.parentId)?.children : roots)?.push(n);
        const lines: string[] = [];
        const walk = (n: Node, depth: number) => {
          lines.push(
            `${'  '.repeat(depth)}${n.number} ${n.taskName} ${n.statusName}${n.title ? `  ${n.title}` : ''}`,
          );
          for (const c of n.children) walk(c, depth + 1);
        };
        for (const r of roots) walk(r, 0);
        output(opts, roots, () => (lines.length ? `${lines.join('\n')}\n` : ''));
      }),
    );

  dbOptions(jobs.command('log'))
    .description(
      "a job's log.txt; --follow prints it live until the job ends (also one run by another process)",
    )
    .argument('<job>', 'the job number')
    .option('-f, --follow', 'keep printing until the job has ended')
    .action((n: string, opts: DbOptions & { follow?: boolean }) =>
      withDatabase(opts, async (db) => {
        const { followLog } = await import('./job-log.js');
        const project = await resolveProject(db, opts.project);
        await followLog(db, resolveJob(db, project, n), !!opts.follow);
      }),
    );

  dbOptions(jobs.command('wait'))
    .description(
      'wait until a job has ended (a SLURM job: following it in SLURM when its i2run is gone); exit 0 Finished',
    )
    .argument('<job>', 'the job number')
    .action((n: string, opts: DbOptions) =>
      withDatabase(opts, async (db) => {
        const { jobStatusName } = await import('../../db/core.js');
        const { waitJob } = await import('./job-wait.js');
        const project = await resolveProject(db, opts.project);
        const { row, exit } = await waitJob(db, resolveJob(db, project, n));
        output(
          opts,
          jobView(row, jobStatusName),
          () =>
            `job ${row.number} ${jobStatusName(row.status)}${row.diagnostic ? `\n${row.diagnostic}` : ''}\n`,
        );
        process.exitCode = exit;
      }),
    );

  dbOptions(jobs.command('cancel'))
    .description('stop a job from any terminal: its whole process tree, then marked Interrupted')
    .argument('<job>', 'the job number')
    .action((n: string, opts: DbOptions) =>
      withDatabase(opts, async (db) => {
        const { jobStatusName } = await import('../../db/core.js');
        const project = await resolveProject(db, opts.project);
        const service = await jobService(db);
        let after: JobRecord;
        try {
          // the job's own executor: local (its runner's process tree) or slurm (scancel)
          after = await service.cancel(resolveJob(db, project, n));
        } finally {
          service.close();
        }
        output(
          opts,
          jobView(after, jobStatusName),
          () => `job ${after.number} ${jobStatusName(after.status)}\n`,
        );
      }),
    );

  dbOptions(jobs.command('clone'))
    .description('a new Pending job with the same task and parameters')
    .argument('<job>', 'the job number')
    .action((n: string, opts: DbOptions) =>
      withDatabase(opts, async (db) => {
        const { cloneJob } = await import('./job-run.js');
        const project = await resolveProject(db, opts.project);
        const job = await cloneJob(db, project, resolveJob(db, project, n));
        output(
          opts,
          job,
          () => `job ${job.number} (Pending) cloned from job ${n}: ccp4i2 jobs run ${job.number}\n`,
        );
      }),
    );

  dbOptions(jobs.command('run'))
    .description('run a Pending job here (its runner); --detach starts it in the background')
    .argument('<job>', 'the job number')
    .option('--detach', 'start the runner as a background process and return')
    .action((n: string, opts: DbOptions & { detach?: boolean }) =>
      withDatabase(opts, async (db) => {
        const { runJob } = await import('./job-run.js');
        const project = await resolveProject(db, opts.project);
        process.exitCode = await runJob(db, resolveJob(db, project, n), opts);
      }),
    );

  dbOptions(jobs.command('rerun'))
    .description('clone a job and run the clone (--resume: steps whose inputs did not change are reused)')
    .argument('<job>', 'the job number')
    .option('--resume', 'reuse the outputs of Finished steps with the same cache key')
    .action((n: string, opts: DbOptions & { resume?: boolean }) =>
      withDatabase(opts, async (db) => {
        const { cloneJob, runJob } = await import('./job-run.js');
        const project = await resolveProject(db, opts.project);
        const job = await cloneJob(db, project, resolveJob(db, project, n));
        if (!opts.json) process.stderr.write(`ccp4i2: job ${job.number} reruns job ${n}\n`);
        process.exitCode = await runJob(db, job, opts);
      }),
    );

  dbOptions(jobs.command('delete'))
    .description(
      "delete a job's records and directory (refused when later jobs used its outputs, unless --force)",
    )
    .argument('<job>', 'the job number')
    .option('--force', 'delete even when later jobs used its outputs')
    .action((n: string, opts: DbOptions & { force?: boolean }) =>
      withDatabase(opts, async (db) => {
        const project = await resolveProject(db, opts.project);
        const gone = await deleteJob(db, project, resolveJob(db, project, n), !!opts.force);
        output(opts, { deleted: gone }, () => `deleted job ${gone.join(', ')}\n`);
      }),
    );

  dbOptions(jobs.command('i2run-command'))
    .description('the i2run command line that reproduces the job')
    .argument('<job>', 'the job number')
    .action((n: string, opts: DbOptions) =>
      withDatabase(opts, async (db) => {
        const { i2runCommand, shellQuote } = await import('./job-run.js');
        const project = await resolveProject(db, opts.project);
        const argv = i2runCommand(project, resolveJob(db, project, n));
        output(opts, argv, () => `${argv.map(shellQuote).join(' ')}\n`);
      }),
    );
}

/** Deletes a top-level job (rows and directory), refusing while it runs or when later jobs used its outputs. */
async function deleteJob(
  db: JobDatabase,
  project: ProjectRecord,
  job: JobRecord,
  force: boolean,
): Promise<string[]> {
  const { dbError, isTerminal, jobStatusName, JobStatus } = await import('../../db/core.js');
  if (job.parentId !== null) throw dbError(12, `job ${job.number} is a sub-job: delete its top-level job`);
  if (!isTerminal(job.status) && job.status !== JobStatus.PENDING)
    throw dbError(12, `job ${job.number} is ${jobStatusName(job.status)}: cancel it first`, {
      file: db.file,
    });
  const tree = db.jobs.subtree(job.id);
  const users = db.files.consumersOf(tree.map((j) => j.id));
  if (users.length && !force) {
    // by top-level job: 2 rather than 2 and its step 2.2
    const numbers = [...new Set(users.map((u) => (db.jobs.get(u.jobId)?.number ?? u.jobId).split('.')[0]))];
    throw dbError(
      13,
      `later jobs used the outputs of job ${job.number}: ${numbers.join(', ')}; nothing was deleted`,
      {
        file: db.file,
        details: `${users.map((u) => u.path).join(', ')} (--force deletes anyway)`,
      },
    );
  }
  db.jobs.delete(job.id);
  if (job.directory.startsWith(`${project.directory}/`))
    rmSync(job.directory, { recursive: true, force: true });
  return tree.map((j) => j.number);
}
