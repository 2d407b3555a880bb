import type { Command } from 'commander';
import { ignoreClosedPipes } from './epipe.js';
import { fastCommand } from './fast-path.js';

// Each subcommand lives in src/cli/commands/<name>.ts and exports register(program). Their heavy imports
// are loaded lazily inside the action so that start-up stays fast; `mtz info` skips commander altogether.
const commands: Array<() => Promise<{ register(program: Command): void }>> = [
  // registered subcommands (one line each):
  () => import('./commands/def.js'),
  () => import('./commands/params.js'),
  () => import('./commands/mtz.js'),
  () => import('./commands/convert.js'),
  () => import('./commands/template.js'),
  () => import('./commands/serve.js'),
  () => import('./commands/run-prepared.js'),
  () => import('./commands/projects.js'),
  () => import('./commands/jobs.js'),
  () => import('./commands/files.js'),
  () => import('./commands/loggraph.js'),
  () => import('./commands/report.js'),
];

/** Runs the command line (the bin, dist/bin/ccp4i2.cjs written by bundle.mjs, loads this module's chunk). */
async function main(): Promise<void> {
  const fast = fastCommand(process.argv.slice(2));
  if (fast) return fast();
  const [{ Command }, { runCli }, { packageVersion }] = await Promise.all([
    import('commander'),
    import('./main.js'),
    import('./version.js'),
  ]);
  const program = new Command('ccp4i2')
    .description(
      'CCP4i2 execution core: task definitions, parameters, templates, MTZ files and conversions; projects and jobs',
    )
    .version(packageVersion(), '-V, --version', 'the ccp4i2-ts version')
    .showHelpAfterError();
  // A SLURM node runs only run-prepared: it loads just that command (its start-up is part of every job's time).
  const wanted = process.argv[2] === 'run-prepared' ? [() => import('./commands/run-prepared.js')] : commands;
  for (const load of wanted) (await load()).register(program);
  await runCli(program);
}

ignoreClosedPipes();
void main();
