import { appendFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { CData, CDataFile } from '../../../data/index.js';
import { isCcp4Error } from '../../../errors/ccp4-error.js';
import { type UnitCell, writeCoordCell } from '../../../formats/coords/index.js';
import { assetPath } from '../../assets.js';
import { CPluginScript } from '../../plugin-script.js';

/** Gives an unset outputData.XYZOUT the name XYZOUT.<extension of XYZIN> in the job directory. */
export function coordOutputExtension(plugin: CPluginScript): void {
  const xyzin = plugin.inputData.find('XYZIN') as CDataFile | undefined;
  const xyzout = plugin.outputData.find('XYZOUT') as CDataFile | undefined;
  if (!xyzin || !xyzout || xyzout.isSet()) return;
  const ext = extname(xyzin.getFullPath() ?? '').toLowerCase();
  if (['.cif', '.mmcif', '.pdb', '.ent'].includes(ext))
    xyzout.setFullPath(join(plugin.workDirectory, `XYZOUT${ext}`));
}

/**
 * Writes a cell into a PDB or mmCIF file in-process, as CCP4's pdbset does with its CELL keyword:
 * CRYST1 (or `_cell.*`) set, SCALE1-3 (or `_atom_sites.fract_transf_*`) recomputed for the new cell when
 * the file has them, every other line unchanged. No program runs; a line in log.txt says what was done.
 */
export class cell_writer extends CPluginScript {
  static override TASKNAME = 'cell_writer';
  static override TASKTITLE = 'Write a cell into a coordinate file';
  static override TASKMODULE = 'utility';
  static override TASKVERSION = 1.0;
  static override DEF_FILE = assetPath('tasks/cell_writer.def.xml');

  override checkOutputData(): void {
    // The model written is the point of the task: XYZOUT not written is an error (111), not an optional miss.
    this.outputData.find('XYZOUT')?.setQualifier('allowUndefined', false);
    coordOutputExtension(this);
    super.checkOutputData();
  }

  override async startProcess(): Promise<number> {
    const xyzin = (this.inputData.find('XYZIN') as CDataFile).getFullPath()!;
    const xyzout = (this.outputData.find('XYZOUT') as CDataFile).getFullPath()!;
    const cell = (this.inputData.find('CELL') as CData).get() as unknown as UnitCell;
    try {
      const s = await writeCoordCell(
        xyzin,
        xyzout,
        { cell },
        { followSymlinks: this.options.followOutputSymlinks },
      );
      appendFileSync(
        this.makeFileName('LOG'),
        `cell_writer: ${s.format} ${xyzin} -> ${xyzout}\n` +
          `cell_writer: cell ${cell.a} ${cell.b} ${cell.c} ${cell.alpha} ${cell.beta} ${cell.gamma}` +
          `${s.cellInserted ? ' (inserted)' : ''}${s.fractionalisationRewritten ? '; fractionalisation recomputed' : ''}\n`,
      );
    } catch (e) {
      if (!isCcp4Error(e)) throw e;
      this.errorReport.appendError(e);
      return CPluginScript.FAILED;
    }
    return CPluginScript.SUCCEEDED;
  }
}
