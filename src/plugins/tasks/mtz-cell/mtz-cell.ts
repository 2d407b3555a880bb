import { appendFileSync } from 'node:fs';
import type { CData, CDataFile } from '../../../data/index.js';
import { isCcp4Error } from '../../../errors/ccp4-error.js';
import { type MtzHeader, readMtzHeader } from '../../../formats/mtz/index.js';
import { assetPath } from '../../assets.js';
import { CPluginScript } from '../../plugin-script.js';

/**
 * Reads the cell of an MTZ file in-process with ccp4i2-ts's own MTZ reader (header only), as mtzdump
 * and gemmi_cell do with a program: outputData.CELL gets the first dataset's cell (after the base
 * dataset 0), else the global cell. No program runs; a line in log.txt says which cell was taken.
 */
export class mtz_cell extends CPluginScript {
  static override TASKNAME = 'mtz_cell';
  static override TASKTITLE = 'Read the cell of an MTZ file (in-process)';
  static override TASKMODULE = 'utility';
  static override TASKVERSION = 1.0;
  static override DEF_FILE = assetPath('tasks/mtz_cell.def.xml');

  /** The file's header, with its resolution in Å as the other readers give it (for reports). */
  header: (MtzHeader & { resolution: { low: number; high: number } }) | undefined;

  override async startProcess(): Promise<number> {
    const hklin = (this.inputData.find('HKLIN') as CDataFile).getFullPath()!;
    let header: MtzHeader;
    try {
      header = readMtzHeader(hklin);
    } catch (e) {
      if (!isCcp4Error(e)) throw e;
      this.errorReport.appendError(e);
      return CPluginScript.FAILED;
    }
    const first = header.datasets.find((d) => d.id > 0);
    const [a, b, c, alpha, beta, gamma] = first ? first.cell : header.cell;
    (this.outputData.find('CELL') as CData).set({ a, b, c, alpha, beta, gamma });
    // RESO holds 1/d² (Å⁻²): the smallest is the low-resolution limit.
    const [lo, hi] = header.reso ?? [Number.NaN, Number.NaN];
    this.header = { ...header, resolution: { low: 1 / Math.sqrt(lo), high: 1 / Math.sqrt(hi) } };
    appendFileSync(
      this.makeFileName('LOG'),
      `mtz_cell: ${hklin}: space group ${header.spaceGroup.name}, ${header.nref} reflections\n` +
        `mtz_cell: cell ${a} ${b} ${c} ${alpha} ${beta} ${gamma} (${first ? `dataset ${first.id} ${first.dataset}` : 'global cell'})\n`,
    );
    return CPluginScript.SUCCEEDED;
  }
}
