import { taskRegistry } from '../registry.js';
import { cell_writer } from './cell-writer/cell-writer.js';
import { demo_copycell } from './demo-copycell/demo-copycell.js';
import { gemmi_cell } from './gemmi-cell/gemmi-cell.js';
import { mtz_cell } from './mtz-cell/mtz-cell.js';
import { mtzdump } from './mtzdump/mtzdump.js';
import { pdbset } from './pdbset/pdbset.js';

/** The tasks shipped with ccp4i2-ts, registered in the global registry when the plugins layer loads. */
export const BUILTIN_TASKS = [mtzdump, pdbset, gemmi_cell, mtz_cell, cell_writer, demo_copycell] as const;

for (const cls of BUILTIN_TASKS)
  taskRegistry.register({
    taskName: cls.TASKNAME!,
    defFile: cls.DEF_FILE,
    pluginClass: cls,
    source: 'builtin',
  });
