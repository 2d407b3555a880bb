import { assetPath } from '../../assets.js';
import { CPluginScript } from '../../plugin-script.js';
import { cellFromLog } from '../cell-from-log.js';
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
    this.header = cellFromLog(this, parseMtzdumpLog);
    return this.header ? CPluginScript.SUCCEEDED : CPluginScript.FAILED;
  }
}
