import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ccp4Error } from '../errors/ccp4-error.js';
import { importModule } from './import-module.js';
import { resolveOwnPackage } from './own-package.js';
import { PLUGIN_CLASS } from './plugin-errors.js';

/**
 * What a registered class constructs, and the options it takes: CPluginScript and PluginOptions. They are
 * declared empty here and completed by plugin-script.ts (declaration merging), so that the registry does
 * not import plugin-script.ts, which imports the registry.
 */
// biome-ignore lint/suspicious/noEmptyInterface: completed by plugin-script.ts (declaration merging).
export interface RegisteredPlugin {}
// biome-ignore lint/suspicious/noEmptyInterface: completed by plugin-script.ts (declaration merging).
export interface RegisteredPluginOptions {}

/** A plugin class: CPluginScript or a subclass. */
export interface TaskClass {
  new (options?: RegisteredPluginOptions): RegisteredPlugin;
  TASKNAME?: string;
  TASKTITLE?: string;
}

export interface TaskEntry {
  taskName: string;
  /** The task's .def.xml (absent for tasks defined only in code). */
  defFile?: string;
  /** The class to instantiate; absent: a plain CPluginScript built from the def file. */
  pluginClass?: TaskClass;
  /** Where the task came from: 'builtin', a task directory, or 'registered'. */
  source: string;
}

/** Environment variable listing extra task directories (separated like PATH). */
export const TASK_PATH_ENV = 'CCP4I2_TASK_PATH';

function isPluginClass(v: unknown): v is TaskClass {
  return (
    typeof v === 'function' &&
    typeof (v as { prototype?: { process?: unknown } }).prototype?.process === 'function'
  );
}

/**
 * Maps task names to their def file and class. Built-in tasks register at import; task directories
 * (option or $CCP4I2_TASK_PATH) are scanned for CCP4i2's layout `<dir>/<task>/script/<task>.def.xml` (or
 * `<dir>/<task>.def.xml`), with an optional module beside the def file, `<task>.mjs` or `<task>.js`,
 * whose default export (or export named after the task) is the plugin class. Later registrations of a
 * name replace earlier ones, so a task directory can override a built-in task.
 */
export class TaskRegistry {
  readonly #tasks = new Map<string, TaskEntry>();

  register(entry: Omit<TaskEntry, 'source'> & { source?: string }): TaskEntry {
    if (!entry.taskName || !/^[A-Za-z0-9_.-]+$/.test(entry.taskName))
      throw new Ccp4Error({
        className: PLUGIN_CLASS,
        code: 108,
        message: `invalid task name ${JSON.stringify(entry.taskName)}`,
      });
    const e: TaskEntry = { source: 'registered', ...entry };
    this.#tasks.set(e.taskName, e);
    return e;
  }

  get(taskName: string): TaskEntry | undefined {
    return this.#tasks.get(taskName);
  }

  has(taskName: string): boolean {
    return this.#tasks.has(taskName);
  }

  names(): string[] {
    return [...this.#tasks.keys()].sort();
  }

  /** The entry for a task, or Ccp4Error 108 listing the known tasks. */
  require(taskName: string): TaskEntry {
    const e = this.#tasks.get(taskName);
    if (e) return e;
    const known = this.names();
    throw new Ccp4Error({
      className: PLUGIN_CLASS,
      code: 108,
      message: `unknown task '${taskName}'`,
      details: known.length > 0 ? `known tasks: ${known.join(', ')}` : 'no tasks are registered',
    });
  }

  /** Scans one task directory; returns the tasks found. A module that fails to load is a Ccp4Error 115. */
  async addTaskDirectory(dir: string): Promise<TaskEntry[]> {
    const root = resolve(dir);
    let names: string[];
    try {
      names = readdirSync(root);
    } catch (e) {
      throw new Ccp4Error({
        className: PLUGIN_CLASS,
        code: 115,
        message: `task directory cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        file: root,
      });
    }
    const found: TaskEntry[] = [];
    for (const name of names.sort()) {
      const full = join(root, name);
      let defFile: string | undefined;
      let taskName: string;
      if (name.endsWith('.def.xml')) {
        taskName = basename(name, '.def.xml');
        defFile = full;
      } else if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) {
        taskName = name;
        const candidate = join(full, 'script', `${name}.def.xml`);
        if (!existsSync(candidate)) continue;
        defFile = candidate;
      } else continue;
      const pluginClass = await loadPluginModule(join(defFile, '..'), taskName);
      found.push(this.register({ taskName, defFile, pluginClass, source: root }));
    }
    return found;
  }

  /** Scans every directory of a PATH-like list (default $CCP4I2_TASK_PATH). */
  async addTaskPath(list: string | undefined = process.env[TASK_PATH_ENV]): Promise<TaskEntry[]> {
    const out: TaskEntry[] = [];
    for (const d of (list ?? '').split(delimiter).filter((x) => x.length > 0))
      out.push(...(await this.addTaskDirectory(d)));
    return out;
  }
}

async function loadPluginModule(dir: string, taskName: string): Promise<TaskClass | undefined> {
  for (const ext of ['.mjs', '.js']) {
    const file = join(dir, `${taskName}${ext}`);
    if (!existsSync(file)) continue;
    resolveOwnPackage();
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(pathToFileURL(file).href);
    } catch (e) {
      throw new Ccp4Error({
        className: PLUGIN_CLASS,
        code: 115,
        message: `task module cannot be loaded: ${(e as Error).message}`,
        file,
        cause: e,
      });
    }
    const cls = mod.default ?? mod[taskName];
    if (!isPluginClass(cls))
      throw new Ccp4Error({
        className: PLUGIN_CLASS,
        code: 115,
        message: `task module exports no plugin class (default export or '${taskName}')`,
        file,
      });
    return cls;
  }
  return undefined;
}

/** The registry makePluginObject and i2run use unless given another. */
export const taskRegistry = new TaskRegistry();
