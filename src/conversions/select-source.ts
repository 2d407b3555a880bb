import {
  CONTENT_FLAG_NAMES,
  type ContentFileClass,
  contentFlagFromLabels,
  getColumnGroups,
  type Mtz,
  type MtzColumn,
} from '../formats/mtz/index.js';
import { CONVERSION_ERRORS, conversionError } from './errors.js';
import { type DataType, dataTypeOfColumnTypes, isPhaseType, OUTPUT_COLUMNS } from './representations.js';

/** The input columns a conversion reads, in CCP4i2's signature order, and what they hold. */
export interface Source {
  type: DataType;
  columns: MtzColumn[];
}

/**
 * Chooses the input columns. With `labels` the caller names them (their types must spell one
 * representation, e.g. K M K M). Otherwise CCP4i2's rules for the target's file class (CObsDataFile or
 * CPhsDataFile) decide: first the label rule (the first CONTENT_SIGNATURE whose labels are all present), then
 * the column-type rule (the first column group of that class, as getColumnGroups finds them), and last any
 * adjacent columns of one dataset whose types spell a representation (a merged file from aimless holds
 * IMEAN J Q then I(+) K M K M in one dataset, which no single group type matches).
 */
export function selectSource(mtz: Mtz, to: DataType, labels?: readonly string[]): Source {
  const phases = isPhaseType(to);
  if (labels !== undefined && labels.length > 0) {
    const have = new Set(mtz.columns.map((c) => c.label));
    const missing = labels.filter((l) => !have.has(l));
    if (missing.length > 0)
      throw conversionError(
        phases,
        CONVERSION_ERRORS.BAD_COLUMNS,
        `no column ${missing.map((l) => `'${l}'`).join(', ')} (columns: ${[...have].join(' ')})`,
        mtz.file,
        `columns ${labels.join(',')}`,
      );
    const columns = labels.map((l) => mtz.column(l));
    const types = columns.map((c) => c.type).join('');
    const type = dataTypeOfColumnTypes(types);
    if (type === undefined)
      throw conversionError(
        phases,
        CONVERSION_ERRORS.BAD_COLUMNS,
        `columns ${labels.join(',')} have types ${types}, which is none of KMKM (IPAIR), GLGL (FPAIR), ` +
          'JQ (IMEAN), FQ (FMEAN), AAAA (HL), PW (PHIFOM)',
        mtz.file,
        `columns ${labels.join(',')}`,
      );
    return { type, columns };
  }
  const fileClass: ContentFileClass = phases ? 'CPhsDataFile' : 'CObsDataFile';
  const flag = contentFlagFromLabels(
    fileClass,
    mtz.columns.map((c) => c.label),
  );
  if (flag !== undefined) {
    const type = CONTENT_FLAG_NAMES[fileClass][flag - 1] as DataType;
    return { type, columns: OUTPUT_COLUMNS[type].map(([label]) => mtz.column(label)) };
  }
  const group = getColumnGroups(mtz).find((g) => g.fileClass === fileClass);
  if (group !== undefined) {
    const type = group.contentName as DataType;
    return { type, columns: group.columns.map((c) => mtz.column(c.label)) };
  }
  const adjacent = adjacentRun(mtz, fileClass);
  if (adjacent !== undefined) return adjacent;
  throw conversionError(
    phases,
    CONVERSION_ERRORS.NO_CONTENT,
    `no ${phases ? 'phase (HL A A A A or PHI/FOM P W)' : 'observation (I+/I- K M K M, F+/F- G L G L, I J Q or F F Q)'} ` +
      `columns to convert to ${to} (columns: ${mtz.columns.map((c) => `${c.label}:${c.type}`).join(' ')})`,
    mtz.file,
  );
}

/** First representation of the class (in CCP4i2's flag order) spelt by adjacent columns of one dataset. */
function adjacentRun(mtz: Mtz, fileClass: ContentFileClass): Source | undefined {
  const cols = mtz.columns;
  for (const name of CONTENT_FLAG_NAMES[fileClass]) {
    const type = name as DataType;
    const sig = OUTPUT_COLUMNS[type].map(([, t]) => t);
    for (let i = 0; i + sig.length <= cols.length; i++) {
      const run = cols.slice(i, i + sig.length);
      if (run.every((c, j) => c.type === sig[j] && c.datasetId === run[0].datasetId))
        return { type, columns: run };
    }
  }
  return undefined;
}
