// The runner of a job started from the web server: `node dist/bin/job-runner.cjs --db FILE --job ID
// [--task-dir DIR]...`. The local executor starts it detached, so the job outlives a stopped server; it
// records itself in the database as it goes and writes report.json live (the job service's reporter). SIGTERM (a
// cancel) interrupts the job cleanly: programs stopped, INTERRUPTED recorded, files written.
// It always ends, whatever is deleted under it: a missing database is refused (never made anew), a job
// directory missing before or during the run fails the job naming it (JobDatabase 16), a database deleted
// while the job runs is said on stderr (17). Exit status: 0 the job Finished, 1 it did not (or was not
// recorded), 130 it was interrupted, 2 it could not be run (bad arguments, no database, no such job...).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { dbError, isTerminal, JobDatabase, type JobRecord, JobStatus } from '../db/index.js';
import {
  asCcp4Error,
  debugRequested,
  exitStatusOf,
  fatalMessage,
  installCrashHandlers,
} from '../errors/fatal.js';
import { JobService, jobDirectoryMissing } from '../jobs/index.js';
import { taskRegistry } from '../plugins/index.js';

function usage(message: string) {
  return dbError(11, `job-runner: ${message}`);
}

function args(argv: string[]): { db: string; job: string; taskDirs: string[] } {
  const out = { db: '', job: '', taskDirs: [] as string[] };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw usage(`${k} needs a value`);
    // Absolute now: the runner leaves its working directory below.
    if (k === '--db') out.db = resolve(v);
    else if (k === '--job') out.job = v;
    else if (k === '--task-dir') out.taskDirs.push(resolve(v));
    else throw usage(`unknown option ${k}`);
  }
  if (!out.db || !out.job) throw usage('--db FILE --job ID are required');
  return out;
}

/** A job this runner could not run (a task directory that does not load...) is recorded Failed, saying why. */
function failUnstarted(db: JobDatabase, job: JobRecord, e: unknown): void {
  const now = db.jobs.get(job.id);
  if (!now || (now.status !== JobStatus.PENDING && now.status !== JobStatus.QUEUED)) return;
  db.jobs.update(job.id, {
    status: JobStatus.FAILED,
    finished: new Date().toISOString(),
    diagnostic: `the runner could not run the job: ${asCcp4Error(e).describe()}`,
  });
}

async function main(): Promise<number> {
  const a = args(process.argv.slice(2));
  // The runner is started in its job directory, which may be deleted at any moment; it needs no working
  // directory of its own (Node's module-hooks thread, started for --task-dir, dies in a deleted one).
  process.chdir('/');
  const db = JobDatabase.open(a.db, { mustExist: true });
  try {
    const job = db.jobs.get(a.job);
    if (!job) throw dbError(8, `no job ${a.job} in the database`, { file: a.db });
    if (isTerminal(job.status)) throw dbError(12, `job ${job.number} has already ended`, { file: a.db });
    let service: JobService;
    try {
      for (const d of a.taskDirs) await taskRegistry.addTaskDirectory(d);
      service = new JobService({ db, registry: taskRegistry });
    } catch (e) {
      failUnstarted(db, job, e);
      throw e;
    }
    // The service's reporter writes report.json (and the database's copy) live, twice a second.
    let outcome: Awaited<ReturnType<JobService['run']>>;
    try {
      outcome = await service.run(job, { reporterOptions: { intervalMs: 500 } });
    } catch (e) {
      // Failed before it started (its input_params.xml going with a directory being deleted...).
      const why = existsSync(job.directory)
        ? e
        : jobDirectoryMissing(job.directory, String(job.number), 'before it started');
      failUnstarted(db, job, why);
      throw why;
    }
    const { status, lost } = outcome;
    process.stdout.write(`job ${job.number}: status ${status}\n`);
    if (lost) {
      process.stderr.write(`job-runner: error: ${lost.describe()}\n`);
      return 1;
    }
    return status === 0 ? 0 : status === 2 ? 130 : 1;
  } finally {
    db.close();
  }
}

installCrashHandlers('job-runner', debugRequested());
main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(fatalMessage('job-runner', e, debugRequested()));
    process.exitCode = exitStatusOf(e);
  },
);
