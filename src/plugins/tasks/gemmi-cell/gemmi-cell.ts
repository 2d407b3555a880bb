import { assetPath } from '../../assets.js';
import { CPluginScript } from '../../plugin-script.js';
import { cellFromLog } from '../cell-from-log.js';
import { GEMMI_CELL_ERROR_CODES, type GemmiMtzHeader, parseGemmiMtzHeader } from './parse.js';

/**
 * Reads the cell of an MTZ file with `gemmi mtz FILE` (Debian's gemmi), as mtzdump does for CCP4i2:
 * outputData.CELL gets the first dataset's cell; the whole header is kept in `header`. Output gemmi
 * prints in an unexpected form fails the job with gemmi_cell 101.
 */
export class gemmi_cell extends CPluginScript {
  static override TASKNAME = 'gemmi_cell';
  static override TASKTITLE = 'Read the cell of an MTZ file (gemmi)';
  static override TASKMODULE = 'utility';
  static override TASKVERSION = 1.0;
  static override TASKCOMMAND = 'gemmi';
  static override COMLINETEMPLATE = '1 mtz $HKLIN';
  static override DEF_FILE = assetPath('tasks/gemmi_cell.def.xml');
  static override ERROR_CODES = GEMMI_CELL_ERROR_CODES;

  header: GemmiMtzHeader | undefined;

  override processOutputFiles(): number {
    this.header = cellFromLog(this, parseGemmiMtzHeader);
    return this.header ? CPluginScript.SUCCEEDED : CPluginScript.FAILED;
  }
}
