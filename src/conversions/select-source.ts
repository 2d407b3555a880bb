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
  const groups = getColumnGroups(mtz).filter((g) => g.fileClass === fileClass);
  if (groups.length > 0) {
    const candidates = groups.map((g) => ({
      type: g.contentName as DataType,
      columns: g.columns.map((c) => mtz.column(c.label)),
    }));
    return onlyOne(mtz, phases, candidates);
  }
  const adjacent = adjacentRuns(mtz, fileClass);
  if (adjacent.length > 0) return onlyOne(mtz, phases, adjacent);
  throw conversionError(
    phases,
    CONVERSION_ERRORS.NO_CONTENT,
    `no ${phases ? 'phase (HL A A A A or PHI/FOM P W)' : 'observation (I+/I- K M K M, F+/F- G L G L, I J Q or F F Q)'} ` +
      `columns to convert to ${to} (columns: ${mtz.columns.map((c) => `${c.label}:${c.type}`).join(' ')})`,
    mtz.file,
  );
}

/**
 * The source when the candidates all lie in one dataset (the first of them); candidates in several
 * datasets (a native and derivatives, several wavelengths) are never chosen silently: AMBIGUOUS, listing
 * each as the `columns` that select it.
 */
function onlyOne(mtz: Mtz, phases: boolean, candidates: Source[]): Source {
  const datasets = new Set(candidates.map((s) => s.columns[0].datasetId));
  if (datasets.size <= 1) return candidates[0];
  const name = (id: number) => mtz.datasets.find((d) => d.id === id)?.dataset ?? `dataset ${id}`;
  const list = candidates.map(
    (s) =>
      `${s.columns.map((c) => c.label).join(',')} (${s.type}, dataset ${s.columns[0].datasetId} ${name(s.columns[0].datasetId)})`,
  );
  throw conversionError(
    phases,
    CONVERSION_ERRORS.AMBIGUOUS,
    `${datasets.size} datasets hold ${phases ? 'phases' : 'observations'}; choose one with columns (--columns): ${list.join('; ')}`,
    mtz.file,
  );
}

/**
 * Runs of adjacent columns of one dataset that spell a representation of the class: those of the first
 * representation (in CCP4i2's flag order) that any run spells.
 */
function adjacentRuns(mtz: Mtz, fileClass: ContentFileClass): Source[] {
  const cols = mtz.columns;
  for (const name of CONTENT_FLAG_NAMES[fileClass]) {
    const type = name as DataType;
    const sig = OUTPUT_COLUMNS[type].map(([, t]) => t);
    const found: Source[] = [];
    for (let i = 0; i + sig.length <= cols.length; i++) {
      const run = cols.slice(i, i + sig.length);
      if (run.every((c, j) => c.type === sig[j] && c.datasetId === run[0].datasetId))
        found.push({ type, columns: run });
    }
    if (found.length > 0) return found;
  }
  return [];
}
