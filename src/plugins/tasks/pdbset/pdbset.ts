import { assetPath } from '../../assets.js';
import { CPluginScript } from '../../plugin-script.js';
import { coordOutputExtension } from '../cell-writer/cell-writer.js';

/**
 * CCP4i2's pdbset wrapper: runs CCP4's `pdbset XYZIN in XYZOUT out` with `CELL a b c α β γ / END` on
 * stdin (CCP4i2's own templates). The job fails (111) if pdbset does not write XYZOUT.
 */
export class pdbset extends CPluginScript {
  static override TASKNAME = 'pdbset';
  static override TASKTITLE = 'PDBSet';
  static override TASKMODULE = 'test';
  static override TASKVERSION = 0.0;
  static override TASKCOMMAND = 'pdbset';
  static override COMTEMPLATEFILE = assetPath('ccp4i2/templates/pdbset.comtemplate.txt');
  static override COMLINETEMPLATEFILE = assetPath('ccp4i2/templates/pdbset.comlinetemplate.txt');
  static override DEF_FILE = assetPath('ccp4i2/wrappers/pdbset/script/pdbset.def.xml');

  /** An unset XYZOUT gets the extension of XYZIN (an mmCIF model stays mmCIF). */
  override checkOutputData(): void {
    // The model written is the point of the task: XYZOUT not written is an error (111), not an optional miss.
    this.outputData.find('XYZOUT')?.setQualifier('allowUndefined', false);
    coordOutputExtension(this);
    super.checkOutputData();
  }
}
