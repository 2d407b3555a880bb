import { join } from 'node:path';
import { type CPluginScript, type PluginOptions, pluginClassOf } from './plugin-script.js';

/** One sub-job a pipeline would run, for `i2run --dry-run`: the sub-job with its inputs set. */
export interface DryRunStep {
  plugin: CPluginScript;
  /** What the step's command cannot show before the run (a value an earlier step produces). */
  note?: string;
}

/** A pipeline that can say, without running anything, which sub-jobs it would run. */
export interface DryRunPlanner {
  dryRunPlan(): DryRunStep[];
}

export function hasDryRunPlan(p: CPluginScript): p is CPluginScript & DryRunPlanner {
  return typeof (p as Partial<DryRunPlanner>).dryRunPlan === 'function';
}

/**
 * The sub-job `makePluginObject(taskName)` would make as the parent's n-th, without creating its
 * directory: for dry runs only (the job never runs).
 */
export function dryRunChild(parent: CPluginScript, taskName: string, n: number): CPluginScript {
  const entry = parent.registry.require(taskName);
  const o = parent.options;
  const cls = pluginClassOf(entry.pluginClass);
  const options: PluginOptions = {
    registry: parent.registry,
    programPath: o.programPath,
    env: o.env,
    fileContext: o.fileContext,
    defFile: entry.defFile,
    name: `${parent.name}_${n}`,
    workDirectory: join(parent.workDirectory, `job_${n}`),
  };
  return new cls(options);
}
