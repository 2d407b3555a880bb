import type { CData } from '../data/index.js';
import { CDataFile } from '../data/index.js';
import { isCcp4Error } from '../errors/ccp4-error.js';
import { fileError } from '../files/errors.js';
import { fileIdentity as identity } from '../files/identity.js';
import { outputTarget } from '../files/write.js';
import type { CErrorReport } from '../report/error-report.js';

/**
 * Output files, checked before anything runs (FileAccess errors naming the parameter): an existing
 * directory, FIFO, socket or device is refused (1), so is a symbolic link unless `followSymlinks` (4),
 * and so is a path that is one of the job's input files, by identity, not by name (5): writing it would
 * destroy the input while the job reads it.
 */
export function checkOutputTargets(
  container: CData,
  report: CErrorReport,
  opts: { followSymlinks?: boolean } = {},
): void {
  const inputs = new Map<string, CDataFile>();
  for (const node of container.content('inputData')?.walk() ?? []) {
    if (!(node instanceof CDataFile) || !node.isSet()) continue;
    const p = node.getFullPath();
    const id = p ? identity(p) : undefined;
    if (id && !inputs.has(id)) inputs.set(id, node);
  }
  for (const node of container.content('outputData')?.walk() ?? []) {
    if (!(node instanceof CDataFile) || !node.isSet()) continue;
    const path = node.getFullPath();
    if (!path) continue;
    try {
      const target = outputTarget(path, opts);
      const id = identity(target);
      const input = id ? inputs.get(id) : undefined;
      if (input)
        throw fileError(
          5,
          `will not write: it is the input ${input.objectPath()} (${input.getFullPath()})`,
          path,
        );
    } catch (e) {
      if (!isCcp4Error(e)) throw e;
      report.append(e.className, e.code, {
        description: e.message,
        objectPath: node.objectPath(),
        file: path,
      });
    }
  }
}
