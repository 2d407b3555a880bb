import type { Command } from 'commander';

interface RunPreparedOptions {
  task: string;
  jobId: string;
  jobNumber: string;
  projectDirectory: string;
  projectName: string;
}

/**
 * `ccp4i2 run-prepared DIR --task T --job-id ID --job-number N --project-directory P --project-name NAME`:
 * runs one job directory the job service prepared, with no database (what a SLURM node runs; the
 * coordinator records the job). Exit 0 when the job SUCCEEDED, 10 + its plugin status otherwise
 * (docs/slurm.md). Extra tasks come from $CCP4I2_TASK_PATH.
 */
export function register(program: Command): void {
  program
    .command('run-prepared')
    .description('run one prepared job directory without the database (what a SLURM node runs)')
    .argument('<directory>', 'the job directory (input_params.xml in it)')
    .requiredOption('--task <name>', 'the task')
    .requiredOption('--job-id <id>', 'the job id')
    .requiredOption('--job-number <n>', 'the job number (3, 3.1...)')
    .requiredOption('--project-directory <dir>', 'the project directory')
    .requiredOption('--project-name <name>', 'the project name')
    .action(async (directory: string, opts: RunPreparedOptions) => {
      // The runner's own modules first: once a task module has been loaded, each later import goes
      // through the 'ccp4i2-ts' resolution hook's thread (src/plugins/own-package.ts) and costs more.
      const { runPreparedJob } = await import('../../jobs/prepared.js');
      const { loadRegistry } = await import('../i2run/tasks.js');
      const registry = await loadRegistry([], process.cwd(), (e) =>
        process.stderr.write(`ccp4i2 run-prepared: ${e.describe()}\n`),
      );
      process.exitCode = await runPreparedJob(registry, {
        directory,
        taskName: opts.task,
        jobId: opts.jobId,
        jobNumber: opts.jobNumber,
        projectDirectory: opts.projectDirectory,
        projectName: opts.projectName,
      });
    });
}
