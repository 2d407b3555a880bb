// The plugin runtime: CPluginScript, job directories, the task registry, pipelines. See docs/plugins.md.

export { assetPath } from './assets.js';
export { type DryRunPlanner, type DryRunStep, dryRunChild, hasDryRunPlan } from './dry-run-plan.js';
export { JOB_FILES, type JobFileFormat, jobFileName } from './job-files.js';
export { type HklinItem, type HklinResult, makeHklin, planHklin, splitHklout } from './mini-mtz.js';
export { checkOutputTargets } from './output-checks.js';
export { PLUGIN_CLASS, PLUGIN_ERROR_CODES, type PluginErrorCode } from './plugin-errors.js';
export {
  CPluginScript,
  type PluginClass,
  type PluginOptions,
  type PluginOutputLine,
  pluginClassOf,
} from './plugin-script.js';
export { TASK_PATH_ENV, type TaskClass, type TaskEntry, TaskRegistry, taskRegistry } from './registry.js';
export { type FinishStatus, isFinishStatus, PluginStatus, statusName } from './status.js';
export { BUILTIN_TASKS } from './tasks/builtin.js';
export { cell_writer, coordOutputExtension } from './tasks/cell-writer/cell-writer.js';
export { type CopyCellRoute, demo_copycell } from './tasks/demo-copycell/demo-copycell.js';
export { gemmi_cell } from './tasks/gemmi-cell/gemmi-cell.js';
export { mtz_cell } from './tasks/mtz-cell/mtz-cell.js';
export { mtzdump } from './tasks/mtzdump/mtzdump.js';
export { pdbset } from './tasks/pdbset/pdbset.js';
