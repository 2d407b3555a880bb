import type { CContainer } from '../data/index.js';

/** The containers every task has, whether or not its def file declares them (CCP4i2's CPluginScript adds them). */
export const STANDARD_CONTAINERS = ['inputData', 'outputData', 'controlParameters', 'guiAdmin'] as const;

/**
 * Adds to a task's container what CPluginScript adds to every task: the four standard containers and
 * guiAdmin's jobTitle and jobStatus. A params.xml written by a job therefore loads back into
 * `loadDefFile(...)` + this without unknown elements (`ccp4i2 params check`).
 */
export function addStandardContainers(container: CContainer): CContainer {
  for (const name of STANDARD_CONTAINERS)
    if (!container.content(name)) container.addContent('CContainer', name);
  const admin = container.content('guiAdmin') as CContainer;
  if (!admin.content('jobTitle')) admin.addContent('CString', 'jobTitle');
  if (!admin.content('jobStatus')) admin.addContent('CInt', 'jobStatus');
  return container;
}
