/**
 * `i2run TASK args...` once TASK is known: what commander's action does (i2run/program.ts) and what the
 * fast path does without commander (i2run.ts). `taskDirs`: i2run's own --task-dir options before TASK.
 */
export async function runTaskCommand(task: string, args: readonly string[], taskDirs: readonly string[]) {
  const { runTask } = await import('./run.js');
  const taskDirArgs = taskDirs.flatMap((d) => ['--task-dir', d]);
  // --debug (stack traces of internal errors) is runCli's, wherever it is given.
  const taskArgs = args.filter((a) => a !== '--debug');
  process.exitCode = await runTask(task, [...taskDirArgs, ...taskArgs], {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  });
}
