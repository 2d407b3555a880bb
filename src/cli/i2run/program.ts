import { Command } from 'commander';
import { runCli } from '../main.js';
import { packageVersion } from '../version.js';
import { runTaskCommand } from './task-command.js';

// i2run's commander program: its own options before TASK (--task-dir, -h, -V), the help with the task
// list, usage errors. `i2run TASK ...` alone skips it (i2run.ts).

const argv = process.argv.slice(2);

/** Whether the command asks for i2run's own help (no TASK, or -h/--help before it). */
function wantsMainHelp(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') return true;
    if (a === '-V' || a === '--version') return false;
    if (a === '--task-dir') i++;
    else if (!a.startsWith('-')) return false;
  }
  return true;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

const program = new Command('i2run')
  .usage(
    'TASK [--PARAM value ...] [--project_path DIR] [--project_name NAME] [--params FILE.params.xml] [--dry-run]',
  )
  .description(
    "Runs a CCP4i2 task in a CCP4i2 project directory (CCP4_JOBS/job_N). Parameters are named by their shortest unique path in the task's definition; `i2run TASK --help` lists them.",
  )
  .argument('[task]', 'the task to run')
  .argument('[args...]', 'parameters and options (see i2run TASK --help)')
  .option('--task-dir <dir>', 'a directory of extra tasks (repeatable; also $CCP4I2_TASK_PATH)', collect)
  .version(packageVersion(), '-V, --version', 'the ccp4i2-ts version')
  .passThroughOptions()
  .allowExcessArguments()
  .helpOption('-h, --help', 'this help, with the list of tasks');

/** Adds the task list to the help when asked for, then runs the program (nothing awaits this module). */
async function main(): Promise<void> {
  if (wantsMainHelp(argv)) await addTaskList();
  await runCli(program);
}

async function addTaskList(): Promise<void> {
  // Only here is the registry needed before parsing: the help lists the tasks.
  const { taskListText } = await import('./task-list.js');
  const dirs: string[] = [];
  argv.forEach((a, i) => {
    if (a === '--task-dir' && argv[i + 1]) dirs.push(argv[i + 1]!);
  });
  let tasks = '';
  if (dirs.length === 0 && !process.env.CCP4I2_TASK_PATH) {
    // Built-in tasks only: list them from the catalog without loading the plugin layer (fast start-up).
    const { BUILTIN_CATALOG } = await import('../../plugins/tasks/catalog.js');
    tasks = taskListText(
      BUILTIN_CATALOG.map((t) => ({ name: t.taskName, title: t.title, source: 'builtin' })),
    );
  } else
    try {
      const { loadRegistry, taskList } = await import('./tasks.js');
      const warnings: string[] = [];
      const registry = await loadRegistry(dirs, process.cwd(), (e) => warnings.push(`  (${e.describe()})`));
      tasks = `${taskListText(await taskList(registry))}${warnings.map((w) => `${w}\n`).join('')}`;
    } catch (e) {
      tasks = `(the task list cannot be read: ${(e as Error).message})\n`;
    }
  program.addHelpText('after', `\nTasks:\n${tasks}`);
}

program.action(async (task: string | undefined, args: string[], opts: { taskDir?: string[] }) => {
  if (!task) {
    process.stderr.write(program.helpInformation());
    process.exitCode = 2;
    return;
  }
  await runTaskCommand(task, args, opts.taskDir ?? []);
});

void main();
