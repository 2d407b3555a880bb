import type { MtzColumnInfo } from './types.js';

/**
 * CCP4i2's content flags, as pure functions of a file's columns (conversions.md §2). Two rules exist in
 * CCP4i2 and both are kept: the label rule (CONTENT_SIGNATURE_LIST, what `setContentFlag()` uses on a
 * mini-MTZ) and the column-type rule (`correctColumns`, what `CMtzData.getColumnGroups()` uses).
 */
export type ContentFileClass = 'CObsDataFile' | 'CPhsDataFile' | 'CMapCoeffsDataFile' | 'CFreeRDataFile';

export const CONTENT_FILE_CLASSES: readonly ContentFileClass[] = [
  'CObsDataFile',
  'CPhsDataFile',
  'CMapCoeffsDataFile',
  'CFreeRDataFile',
];

/** CONTENT_SIGNATURE_LIST: flag n is entry n-1. */
export const CONTENT_SIGNATURES: Record<ContentFileClass, readonly (readonly string[])[]> = {
  CObsDataFile: [
    ['Iplus', 'SIGIplus', 'Iminus', 'SIGIminus'],
    ['Fplus', 'SIGFplus', 'Fminus', 'SIGFminus'],
    ['I', 'SIGI'],
    ['F', 'SIGF'],
  ],
  CPhsDataFile: [
    ['HLA', 'HLB', 'HLC', 'HLD'],
    ['PHI', 'FOM'],
  ],
  CMapCoeffsDataFile: [['F', 'PHI']],
  CFreeRDataFile: [['FREER']],
};

/** correctColumns: concatenated column types; flag n is entry n-1 (FQP is a second FPHI form). */
export const CONTENT_COLUMN_TYPES: Record<ContentFileClass, readonly string[]> = {
  CObsDataFile: ['KMKM', 'GLGL', 'JQ', 'FQ'],
  CPhsDataFile: ['AAAA', 'PW'],
  CMapCoeffsDataFile: ['FP', 'FQP'],
  CFreeRDataFile: ['I'],
};

/** Flag names in CCP4i2 (contentFlag n -> name). */
export const CONTENT_FLAG_NAMES: Record<ContentFileClass, readonly string[]> = {
  CObsDataFile: ['IPAIR', 'FPAIR', 'IMEAN', 'FMEAN'],
  CPhsDataFile: ['HL', 'PHIFOM'],
  CMapCoeffsDataFile: ['FPHI'],
  CFreeRDataFile: ['FREER'],
};

/**
 * Label rule: the first signature (in list order) whose labels are all present, exact and case-sensitive;
 * extra columns are ignored. Undefined when none matches (CCP4i2 then leaves the flag unchanged).
 */
export function contentFlagFromLabels(
  fileClass: ContentFileClass,
  labels: readonly string[],
): number | undefined {
  const have = new Set(labels);
  const i = CONTENT_SIGNATURES[fileClass].findIndex((sig) => sig.every((l) => have.has(l)));
  return i < 0 ? undefined : i + 1;
}

/** Type rule for one group of columns (H columns skipped): its flag for `fileClass`, if the types match. */
export function contentFlagFromTypes(
  fileClass: ContentFileClass,
  columns: readonly Pick<MtzColumnInfo, 'type' | 'label'>[],
): number | undefined {
  const cols = columns.filter((c) => c.type !== 'H');
  const types = cols.map((c) => c.type).join('');
  if (fileClass === 'CFreeRDataFile' && !(cols.length === 1 && /free/i.test(cols[0].label))) return undefined;
  const i = CONTENT_COLUMN_TYPES[fileClass].indexOf(types);
  if (i < 0) return undefined;
  // CMapCoeffsDataFile has one flag (FPHI); FQP is FPHI with a sigma in between
  return fileClass === 'CMapCoeffsDataFile' ? 1 : i + 1;
}

/** A group of columns that together make one CCP4i2 data object (CColumnGroup). */
export interface ColumnGroup {
  fileClass: ContentFileClass;
  contentFlag: number;
  /** CCP4i2's name of the flag: IPAIR, FPAIR, IMEAN, FMEAN, HL, PHIFOM, FPHI, FREER. */
  contentName: string;
  datasetId: number;
  columns: Array<Pick<MtzColumnInfo, 'label' | 'type'>>;
}

function group(
  fileClass: ContentFileClass,
  flag: number,
  datasetId: number,
  columns: ColumnGroup['columns'],
): ColumnGroup {
  return {
    fileClass,
    contentFlag: flag,
    contentName: CONTENT_FLAG_NAMES[fileClass][flag - 1],
    datasetId,
    columns: columns.map((c) => ({ label: c.label, type: c.type })),
  };
}

/**
 * CMtzData.getColumnGroups(): columns are grouped by their group index (here: consecutive columns of the
 * same dataset, the grouping CCP4's library gives), H columns skipped, the concatenated types matched
 * against each class's correctColumns in the order Obs, Phs, MapCoeffs, FreeR (FreeR only for one column
 * whose label contains "free"). Specials: FPW and PWF give Phs PHIFOM (the F dropped), FQDQ gives Obs
 * FMEAN (D, Q dropped). Every adjacent F-then-P pair also yields a MapCoeffs FPHI group.
 */
export function getColumnGroups(mtz: { columns: readonly MtzColumnInfo[] }): ColumnGroup[] {
  const runs: MtzColumnInfo[][] = [];
  for (const c of mtz.columns) {
    if (c.type === 'H') continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0].datasetId === c.datasetId) last.push(c);
    else runs.push([c]);
  }
  const out: ColumnGroup[] = [];
  for (const run of runs) {
    const ds = run[0].datasetId;
    const types = run.map((c) => c.type).join('');
    let matched = false;
    for (const cls of CONTENT_FILE_CLASSES) {
      const flag = contentFlagFromTypes(cls, run);
      if (flag !== undefined) {
        out.push(group(cls, flag, ds, run));
        matched = true;
        break;
      }
    }
    if (!matched) {
      if (types === 'FPW') out.push(group('CPhsDataFile', 2, ds, run.slice(1)));
      else if (types === 'PWF') out.push(group('CPhsDataFile', 2, ds, run.slice(0, 2)));
      else if (types === 'FQDQ') out.push(group('CObsDataFile', 4, ds, run.slice(0, 2)));
    }
    for (let i = 0; i + 1 < run.length; i++)
      if (run[i].type === 'F' && run[i + 1].type === 'P' && !(types === 'FP' && matched))
        out.push(group('CMapCoeffsDataFile', 1, ds, [run[i], run[i + 1]]));
  }
  return out;
}

/** Content flags a file's columns give each class, by both rules (used when a file path is set). */
export function contentFlags(
  columns: readonly MtzColumnInfo[],
): Record<ContentFileClass, { byLabels?: number; byTypes?: number }> {
  const labels = columns.map((c) => c.label);
  const groups = getColumnGroups({ columns });
  const result = {} as Record<ContentFileClass, { byLabels?: number; byTypes?: number }>;
  for (const cls of CONTENT_FILE_CLASSES) {
    const byLabels = contentFlagFromLabels(cls, labels);
    const byTypes = groups.find((g) => g.fileClass === cls)?.contentFlag;
    result[cls] = {
      ...(byLabels === undefined ? {} : { byLabels }),
      ...(byTypes === undefined ? {} : { byTypes }),
    };
  }
  return result;
}

/**
 * The sequential scan of the current CCP4i2 Python (CMtzData.getColumnGroups there): walk the columns in
 * file order and, at each unused position, take the longest correctColumns signature of any class that the
 * next column types spell (ties in the order Obs, Phs, MapCoeffs, FreeR); Obs groups must lie in one
 * dataset, FreeR needs "free" in the label. Unlike `getColumnGroups` it splits a dataset into several
 * groups (FNAT SIGFNAT FreeR_flag gives FMEAN and FREER) and makes no extra FPHI pairs.
 */
export function scanColumnGroups(mtz: { columns: readonly MtzColumnInfo[] }): ColumnGroup[] {
  const patterns: Array<{ sig: string; cls: ContentFileClass; flag: number }> = [];
  for (const cls of CONTENT_FILE_CLASSES)
    CONTENT_COLUMN_TYPES[cls].forEach((sig, i) => {
      patterns.push({ sig, cls, flag: cls === 'CMapCoeffsDataFile' ? 1 : i + 1 });
    });
  // stable sort: longest first, CCP4i2's class order among equals
  patterns.sort((a, b) => b.sig.length - a.sig.length);
  const cols = mtz.columns;
  const types = cols.map((c) => c.type).join('');
  const out: ColumnGroup[] = [];
  let i = 0;
  while (i < cols.length) {
    const hit = patterns.find(({ sig, cls }) => {
      if (types.slice(i, i + sig.length) !== sig) return false;
      if (cls === 'CFreeRDataFile' && !/free/i.test(cols[i].label)) return false;
      if (
        cls === 'CObsDataFile' &&
        cols.slice(i, i + sig.length).some((c) => c.datasetId !== cols[i].datasetId)
      )
        return false;
      return true;
    });
    if (hit === undefined) {
      i++;
      continue;
    }
    out.push(group(hit.cls, hit.flag, cols[i].datasetId, cols.slice(i, i + hit.sig.length)));
    i += hit.sig.length;
  }
  return out;
}
