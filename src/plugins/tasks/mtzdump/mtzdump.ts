import type { CData } from '../../../data/index.js';
import { isCcp4Error } from '../../../errors/ccp4-error.js';
import { assetPath } from '../../assets.js';
import { CPluginScript } from '../../plugin-script.js';
import { MTZDUMP_ERROR_CODES, type MtzdumpHeader, parseMtzdumpLog } from './log-parser.js';

/**
 * CCP4i2's mtzdump wrapper: runs CCP4's `mtzdump HKLIN file` with `HEADER / NREF -1 / END` on stdin
 * (CCP4i2's own templates) and reads the cell, space group, columns and resolution from its log as
 * CCP4i2 does. outputData.CELL gets the cell; the whole header is kept in `header`. A log that cannot be
 * read fails the job with mtzdump 101.
 */
export class mtzdump extends CPluginScript {
  static override TASKNAME = 'mtzdump';
  static override TASKTITLE = 'MTZDump';
  static override TASKMODULE = 'test';
  static override TASKVERSION = 0.0;
  static override TASKCOMMAND = 'mtzdump';
  static override COMTEMPLATEFILE = assetPath('ccp4i2/templates/mtzdump.comtemplate.txt');
  static override COMLINETEMPLATEFILE = assetPath('ccp4i2/templates/mtzdump.comlinetemplate.txt');
  static override DEF_FILE = assetPath('ccp4i2/wrappers/mtzdump/script/mtzdump.def.xml');
  static override ERROR_CODES = MTZDUMP_ERROR_CODES;

  /** Everything the log said about the file, once the job has succeeded. */
  header: MtzdumpHeader | undefined;

  override processOutputFiles(): number {
    try {
      this.header = parseMtzdumpLog(this.logFileText(), { file: this.makeFileName('LOG') });
    } catch (e) {
      if (!isCcp4Error(e)) throw e;
      this.errorReport.appendError(e);
      return CPluginScript.FAILED;
    }
    (this.outputData.find('CELL') as CData).set({ ...this.header.cell });
    return CPluginScript.SUCCEEDED;
  }
}
