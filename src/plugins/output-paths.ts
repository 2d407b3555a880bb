import { join } from 'node:path';
import { type CContainer, CDataFile } from '../data/index.js';
import { Severity } from '../errors/severity.js';
import type { CErrorReport } from '../report/index.js';
import { PLUGIN_CLASS } from './plugin-errors.js';

/** Output files named by checkOutputData (not by the user or a pipeline): these may stay unproduced. */
const defaultNamed = new WeakSet<CDataFile>();

/** File name characters kept as they are; anything else becomes '_'. */
function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'output';
}

/** The extension CCP4i2 gives a new output file: the first of the class's fileExtensions. */
function extensionOf(file: CDataFile): string {
  const exts = file.qualifier('fileExtensions');
  const first = Array.isArray(exts) ? exts.find((e) => typeof e === 'string' && e.length > 0) : undefined;
  return typeof first === 'string' ? first.replace(/^\./, '') : 'dat';
}

/**
 * checkOutputData: every output file parameter not set by the user gets a path in the job directory,
 * `<workDirectory>/<NAME>.<ext>` (e.g. XYZOUT.pdb). Returns the files named here.
 */
export function assignDefaultOutputPaths(
  outputData: CContainer | undefined,
  workDirectory: string,
): CDataFile[] {
  const named: CDataFile[] = [];
  if (!outputData) return named;
  for (const node of outputData.walk()) {
    if (!(node instanceof CDataFile) || node.isSet()) continue;
    node.setFullPath(join(workDirectory, `${slug(node.name)}.${extensionOf(node)}`));
    defaultNamed.add(node);
    named.push(node);
  }
  return named;
}

/**
 * After a successful run, every output file that is set must exist. CCP4i2's wrappers leave optional
 * outputs unproduced all the time (OBSOUT1 of ctruncate without anomalous data...): an output the job
 * named itself (checkOutputData) that is optional (allowUndefined not False) and was not produced is
 * unset, with warning 122. A required output, or one the caller named, that is missing is error 111.
 * Returns whether no error was found.
 */
export function checkOutputFiles(outputData: CContainer | undefined, report: CErrorReport): boolean {
  let ok = true;
  for (const node of outputData?.walk() ?? []) {
    if (!(node instanceof CDataFile) || !node.isSet() || node.exists()) continue;
    const file = node.getFullPath() ?? undefined;
    if (defaultNamed.has(node) && node.allowUndefined()) {
      node.unSet();
      report.append(PLUGIN_CLASS, 122, { objectPath: node.objectPath(), file, severity: Severity.WARNING });
      continue;
    }
    ok = false;
    report.append(PLUGIN_CLASS, 111, { objectPath: node.objectPath(), file });
  }
  return ok;
}
