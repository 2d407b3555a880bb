import { delimiter, resolve } from 'node:path';
import { readHeader } from '../../data/index.js';
import { type Ccp4Error, isCcp4Error } from '../../errors/ccp4-error.js';
import { TASK_PATH_ENV, type TaskEntry, type TaskRegistry, taskRegistry } from '../../plugins/index.js';
import { readXmlFile } from '../../xml/index.js';

/**
 * The task registry i2run uses: the built-in tasks, then the task directories of $CCP4I2_TASK_PATH,
 * then those given with --task-dir (a later definition of a name replaces an earlier one). A directory
 * that cannot be scanned (unreadable, a task module that does not load) does not stop i2run: its
 * Ccp4Error goes to `warn` and the other tasks stay usable. (The registry stops scanning a directory at
 * its first bad module, so the tasks after it in that directory are missing; the warning says which.)
 */
export async function loadRegistry(
  taskDirs: readonly string[] = [],
  cwd: string = process.cwd(),
  warn: (e: Ccp4Error) => void = () => {},
): Promise<TaskRegistry> {
  const dirs = [
    ...(process.env[TASK_PATH_ENV] ?? '').split(delimiter).filter((d) => d.length > 0),
    ...taskDirs.map((d) => resolve(cwd, d)),
  ];
  for (const d of dirs) {
    try {
      await taskRegistry.addTaskDirectory(d);
    } catch (e) {
      if (!isCcp4Error(e)) throw e;
      warn(e);
    }
  }
  return taskRegistry;
}

/**
 * A task's title: the def file's pluginTitle (what CCP4i2 shows), else the class's TASKTITLE, else ''.
 * The def file is read (header only) each call.
 */
export async function taskTitle(entry: TaskEntry): Promise<string> {
  if (entry.defFile) {
    try {
      const title = readHeader(readXmlFile(entry.defFile)).pluginTitle?.trim();
      if (title) return title;
    } catch {
      if (!entry.pluginClass?.TASKTITLE) return '(def file unreadable)';
    }
  }
  return entry.pluginClass?.TASKTITLE ?? '';
}

/** Name, title and origin of every registered task, for `i2run --help`. */
export async function taskList(
  registry: TaskRegistry,
): Promise<{ name: string; title: string; source: string }[]> {
  const out: { name: string; title: string; source: string }[] = [];
  for (const name of registry.names()) {
    const e = registry.get(name)!;
    out.push({ name, title: await taskTitle(e), source: e.source });
  }
  return out;
}
