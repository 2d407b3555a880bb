import { ignoreClosedPipes } from './epipe.js';
import { runFast } from './fast-path.js';
import { runTaskCommand } from './i2run/task-command.js';

// `i2run TASK --PARAM value ...` (CCP4i2's syntax; docs/i2run.md). Commander handles i2run's own options
// before TASK and the help; everything after TASK is parsed against the task's container by
// i2run/run.ts, which is imported only when a task runs, so that `i2run --help` stays light. With TASK
// first (the usual call) commander would only hand the rest to i2run/run.ts (passThroughOptions): that is
// done here without loading it (start-up, docs/benchmarks.md); anything else goes to i2run/program.ts.

const argv = process.argv.slice(2);

ignoreClosedPipes();

const task = argv[0];
// The bin (dist/bin/i2run.cjs, written by bundle.mjs) loads this module's chunk; nothing awaits it.
if (task && !task.startsWith('-')) void runFast('i2run', argv, () => runTaskCommand(task, argv.slice(1), []));
else void import('./i2run/program.js');
