import type { CData } from '../../data/index.js';
import { isCcp4Error } from '../../errors/ccp4-error.js';
import type { CPluginScript } from '../plugin-script.js';

/**
 * processOutputFiles of the cell readers (mtzdump, gemmi_cell): parses the job's log.txt, puts the cell
 * into outputData.CELL and returns the parsed header; a log the parser cannot read is recorded in the
 * job's error report (the parser's coded error) and gives undefined.
 */
export function cellFromLog<H extends { cell: object }>(
  plugin: CPluginScript,
  parse: (text: string, opts: { file?: string }) => H,
): H | undefined {
  let header: H;
  try {
    header = parse(plugin.logFileText(), { file: plugin.makeFileName('LOG') });
  } catch (e) {
    if (!isCcp4Error(e)) throw e;
    plugin.errorReport.appendError(e);
    return undefined;
  }
  (plugin.outputData.find('CELL') as CData).set({ ...header.cell });
  return header;
}
