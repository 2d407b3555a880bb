/** The task list of `i2run --help`, one line a task (kept apart from task-help.ts, which loads the data model). */
export function taskListText(entries: { name: string; title: string; source: string }[]): string {
  if (entries.length === 0) return 'No tasks are registered.\n';
  const w = Math.max(...entries.map((e) => e.name.length));
  return `${entries
    .map((e) => `  ${e.name.padEnd(w)}  ${e.title}${e.source === 'builtin' ? '' : `  (${e.source})`}`)
    .join('\n')}\n`;
}
