import { join } from 'node:path';
import { type CContainer, CDataFile } from '../data/index.js';

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
    named.push(node);
  }
  return named;
}
