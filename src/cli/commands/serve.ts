import type { Command } from 'commander';

interface ServeOptions {
  port: string;
  host: string;
  db?: string;
  token?: string;
  onExit: string;
  projectsDir?: string;
  taskDir: string[];
  executor: string;
  slurmPoll: string;
}

/**
 * `ccp4i2 serve [--port 8080] [--host 127.0.0.1] [--db FILE] [--token T] [--on-exit keep|cancel]`:
 * serves the API and the browser UI, prints the URL, and stops on Ctrl-C (SIGINT) or SIGTERM.
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the web UI and its HTTP API')
    .option('--port <n>', 'TCP port (0: any free port)', '8080')
    .option(
      '--host <address>',
      'address to bind; anything but loopback requires an access token',
      '127.0.0.1',
    )
    .option('--db <file>', 'projects database (default: $CCP4I2_DB or ~/.ccp4i2-ts/db.sqlite)')
    .option('--token <token>', 'access token to require (default: none on loopback, generated otherwise)')
    .option('--projects-dir <dir>', 'where projects created in the browser go (default ~/CCP4I2_PROJECTS)')
    .option(
      '--task-dir <dir>',
      'a directory of extra tasks (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--on-exit <mode>', 'on Ctrl-C, running jobs started here: keep (run on) or cancel', 'keep')
    .option('--executor <name>', 'where jobs run unless a run says: local or slurm', 'local')
    .option('--slurm-poll <seconds>', 'seconds between two squeue calls for the SLURM jobs', '5')
    .action(async (opts: ServeOptions) => {
      const { listen, serverError } = await import('../../server/index.js');
      if (opts.onExit !== 'keep' && opts.onExit !== 'cancel')
        throw serverError(1, `--on-exit must be keep or cancel, not '${opts.onExit}'`);
      if (!/^\d+$/.test(opts.port)) throw serverError(1, `--port must be a number, not '${opts.port}'`);
      if (opts.executor !== 'local' && opts.executor !== 'slurm')
        throw serverError(1, `--executor must be local or slurm, not '${opts.executor}'`);
      const poll = Number(opts.slurmPoll);
      if (!/^\d+(\.\d+)?$/.test(opts.slurmPoll) || poll < 0.1 || poll > 3600)
        throw serverError(1, `--slurm-poll must be seconds between 0.1 and 3600, not '${opts.slurmPoll}'`);
      const server = await listen({
        host: opts.host,
        port: Number(opts.port),
        token: opts.token,
        db: opts.db,
        cancelJobsOnExit: opts.onExit === 'cancel',
        projectsDir: opts.projectsDir,
        taskDirs: opts.taskDir,
        executors: { defaultExecutor: opts.executor },
        slurmPollMs: Math.round(poll * 1000),
      });
      process.stdout.write(`ccp4i2 serve: ${server.url}\n`);
      if (server.generatedToken)
        process.stdout.write('(access token generated for this run; it is printed only here)\n');
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          process.stdout.write(`ccp4i2 serve: ${signal}, stopping\n`);
          server.close().then(done, done);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
