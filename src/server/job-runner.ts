// The runner of a job started from the web server: `node dist/server/job-runner.js --db FILE --job ID
// [--task-dir DIR]...`. The local executor starts it detached, so the job outlives a stopped server; it
// records itself in the database as it goes and writes report.json live (the job service's reporter). SIGTERM (a
// cancel) interrupts the job cleanly: programs stopped, INTERRUPTED recorded, files written.
import { JobDatabase } from '../db/index.js';
import { debugRequested, fatalMessage, installCrashHandlers } from '../errors/fatal.js';
import { JobService } from '../jobs/index.js';
import { taskRegistry } from '../plugins/index.js';

function args(argv: string[]): { db: string; job: string; taskDirs: string[] } {
  const out = { db: '', job: '', taskDirs: [] as string[] };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`job-runner: ${k} needs a value`);
    if (k === '--db') out.db = v;
    else if (k === '--job') out.job = v;
    else if (k === '--task-dir') out.taskDirs.push(v);
    else throw new Error(`job-runner: unknown option ${k}`);
  }
  if (!out.db || !out.job) throw new Error('job-runner: --db FILE --job ID are required');
  return out;
}

async function main(): Promise<number> {
  const a = args(process.argv.slice(2));
  for (const d of a.taskDirs) await taskRegistry.addTaskDirectory(d);
  const db = JobDatabase.open(a.db);
  try {
    const service = new JobService({ db, registry: taskRegistry });
    const job = db.jobs.get(a.job);
    if (!job) throw new Error(`job-runner: no job ${a.job} in ${a.db}`);
    // The service's reporter writes report.json (and the database's copy) live, twice a second.
    const { status } = await service.run(job, { reporterOptions: { intervalMs: 500 } });
    process.stdout.write(`job ${job.number}: status ${status}\n`);
    return 0;
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
    process.exitCode = 1;
  },
);
