import { resolve } from 'node:path';
import type { TaskRegistry } from '../../plugins/index.js';

/**
 * The task registry i2run uses: the built-in tasks, then the task directories of $CCP4I2_TASK_PATH,
 * then those given with --task-dir (a later definition of a name replaces an earlier one).
 */
export async function loadRegistry(
  taskDirs: readonly string[] = [],
  cwd: string = process.cwd(),
): Promise<TaskRegistry> {
  const { taskRegistry } = await import('../../plugins/index.js');
  await taskRegistry.addTaskPath();
  for (const d of taskDirs) await taskRegistry.addTaskDirectory(resolve(cwd, d));
  return taskRegistry;
}

/** Name, title and origin of every registered task, for `i2run --help`. */
export async function taskList(
  registry: TaskRegistry,
): Promise<{ name: string; title: string; source: string }[]> {
  const { readXmlFile } = await import('../../xml/index.js');
  const { readHeader } = await import('../../data/index.js');
  return registry.names().map((name) => {
    const e = registry.get(name)!;
    let title = e.pluginClass?.TASKTITLE ?? '';
    if (!title && e.defFile) {
      try {
        title = readHeader(readXmlFile(e.defFile)).pluginTitle ?? '';
      } catch {
        title = '(def file unreadable)';
      }
    }
    return { name, title, source: e.source };
  });
}
