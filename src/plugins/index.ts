// The plugin runtime: CPluginScript, job directories, the task registry, pipelines. See docs/plugins.md.
export { JOB_FILES, type JobFileFormat, jobFileName } from './job-files.js';
export { PLUGIN_CLASS, PLUGIN_ERROR_CODES, type PluginErrorCode } from './plugin-errors.js';
export { CPluginScript, type PluginOptions, type PluginOutputLine } from './plugin-script.js';
export { type PluginClass, TASK_PATH_ENV, type TaskEntry, TaskRegistry, taskRegistry } from './registry.js';
export { type FinishStatus, isFinishStatus, PluginStatus, statusName } from './status.js';
