import { type CContainer, type CData, CList, type PlainValue } from '../data/index.js';
import { isCcp4Error } from '../errors/ccp4-error.js';
import { severityName } from '../errors/severity.js';
import { CPluginScript, type TaskRegistry } from '../plugins/index.js';
import { CErrorReport, type ErrorEntry } from '../report/index.js';
import { SERVER_CLASS, serverError } from './errors.js';
import { type ParamNode, paramTree } from './task-tree.js';

export interface TaskSummary {
  name: string;
  title: string;
  category: string;
  source: string;
}

export interface TaskDetail extends TaskSummary {
  params: ParamNode[];
}

/** A problem of a parameter set; `path` is relative to the task container (`inputData.HKLIN`). */
export interface ValidationEntry extends ErrorEntry {
  path: string;
  severityName: string;
}

export interface ValidationResult {
  valid: boolean;
  entries: ValidationEntry[];
}

/** The task's plugin with its container loaded from the def file, as i2run builds it. */
export function instantiate(registry: TaskRegistry, name: string): CPluginScript {
  const entry = registry.require(name);
  const Cls = entry.pluginClass ?? CPluginScript;
  return new Cls({ defFile: entry.defFile, registry, name });
}

export function summary(registry: TaskRegistry, name: string): TaskSummary {
  const entry = registry.require(name);
  const cls = entry.pluginClass as (typeof CPluginScript & { TASKMODULE?: string }) | undefined;
  return {
    name,
    title: cls?.TASKTITLE ?? name,
    category: cls?.TASKMODULE ?? (entry.source === 'builtin' ? 'other' : 'task directory'),
    source: entry.source === 'builtin' || entry.source === 'registered' ? entry.source : 'task directory',
  };
}

/** A def file with errors cannot make a form or a job: a coded error listing its problems. */
export function requireLoadable(plugin: CPluginScript, name: string): void {
  const report = plugin.errorReport;
  if (!report.hasErrors()) return;
  const first = report.errors()[0];
  throw serverError(10, `the definition of task '${name}' has errors: ${first.description}`, {
    file: first.file,
    objectPath: first.objectPath,
    details: `${report.errors().length} error(s) [${first.className} ${first.code}] ${first.details}`,
  });
}

export function detail(registry: TaskRegistry, name: string): TaskDetail {
  const plugin = instantiate(registry, name);
  requireLoadable(plugin, name);
  const s = summary(registry, name);
  return { ...s, title: headerTitle(plugin) ?? s.title, params: paramTree(plugin.container) };
}

function headerTitle(plugin: CPluginScript): string | undefined {
  const cls = plugin.constructor as typeof CPluginScript;
  return cls.TASKTITLE ?? undefined;
}

/** The object at a dotted path from the task container (`inputData.HKLIN`, `controlParameters.CELL.a`). */
export function paramAt(container: CContainer, path: string): CData | undefined {
  let node: CData | undefined = container;
  for (const part of path.split('.')) node = part ? node?.content(part) : undefined;
  return node === container ? undefined : node;
}

/**
 * Assigns plain JSON values by path, then validates as i2run does before a run: every container but
 * outputData and guiAdmin, and the output parameters that are set. Assignment problems are entries too
 * (code and class of the data model), so one request reports every bad field at once.
 */
export function assignAndValidate(
  container: CContainer,
  values: Record<string, PlainValue>,
): ValidationResult {
  const report = new CErrorReport();
  for (const [path, value] of Object.entries(values)) {
    const node = paramAt(container, path);
    if (!node) {
      report.append(SERVER_CLASS, 1, {
        description: `unknown parameter '${path}'`,
        objectPath: `${container.objectPath()}.${path}`,
      });
      continue;
    }
    try {
      if (node instanceof CList) node.unSet();
      if (value === null || value === '') node.unSet();
      else node.set(value);
    } catch (e) {
      // Only coded errors carry a message meant for the user; anything else is named, not dumped.
      const entry = isCcp4Error(e)
        ? report.appendError(e)
        : report.append(SERVER_CLASS, 10, { details: `cannot assign: ${(e as Error)?.message ?? e}` });
      if (!entry.objectPath) entry.objectPath = node.objectPath();
    }
  }
  for (const c of container.contents())
    if (c.name !== 'outputData' && c.name !== 'guiAdmin') c.checkValidity(report);
  const out = container.content('outputData');
  for (const c of out?.contents() ?? []) if (c.isSet()) c.checkValidity(report);
  const prefix = `${container.objectPath()}.`;
  const entries = report.entries.map((e) => ({
    ...e,
    path: e.objectPath.startsWith(prefix) ? e.objectPath.slice(prefix.length) : e.objectPath,
    severityName: severityName(e.severity),
  }));
  return { valid: !report.hasErrors(), entries };
}
