/**
 * The data representations CCP4i2 converts between (CObsDataFile and CPhsDataFile content flags), with the
 * labels and column types CCP4i2 writes for each (`<stem>_as<TYPE>.mtz`).
 */
export type ObsType = 'IPAIR' | 'FPAIR' | 'IMEAN' | 'FMEAN';
export type PhsType = 'HL' | 'PHIFOM';
export type DataType = ObsType | PhsType;

export const DATA_TYPES: readonly DataType[] = ['IPAIR', 'FPAIR', 'IMEAN', 'FMEAN', 'HL', 'PHIFOM'];

export const OUTPUT_COLUMNS: Record<DataType, ReadonlyArray<readonly [label: string, type: string]>> = {
  IPAIR: [
    ['Iplus', 'K'],
    ['SIGIplus', 'M'],
    ['Iminus', 'K'],
    ['SIGIminus', 'M'],
  ],
  FPAIR: [
    ['Fplus', 'G'],
    ['SIGFplus', 'L'],
    ['Fminus', 'G'],
    ['SIGFminus', 'L'],
  ],
  IMEAN: [
    ['I', 'J'],
    ['SIGI', 'Q'],
  ],
  FMEAN: [
    ['F', 'F'],
    ['SIGF', 'Q'],
  ],
  HL: [
    ['HLA', 'A'],
    ['HLB', 'A'],
    ['HLC', 'A'],
    ['HLD', 'A'],
  ],
  PHIFOM: [
    ['PHI', 'P'],
    ['FOM', 'W'],
  ],
};

export function isPhaseType(t: DataType): t is PhsType {
  return t === 'HL' || t === 'PHIFOM';
}

/** Column types of each representation as CCP4i2's correctColumns spell them. */
export function typeSignature(t: DataType): string {
  return OUTPUT_COLUMNS[t].map(([, type]) => type).join('');
}

/** Which representation a run of column types is (KMKM → IPAIR, …), if any. */
export function dataTypeOfColumnTypes(types: string): DataType | undefined {
  return DATA_TYPES.find((t) => typeSignature(t) === types);
}

/**
 * Possible conversions (from → to): French–Wilson takes intensities to amplitudes, inverse-variance means
 * take pairs to means, HL ↔ PHI/FOM both ways, and any type to itself (a relabelled copy). Nothing can make
 * anomalous pairs from means or intensities from amplitudes.
 */
const POSSIBLE: Record<DataType, readonly DataType[]> = {
  IPAIR: ['IPAIR', 'FPAIR', 'IMEAN', 'FMEAN'],
  FPAIR: ['FPAIR', 'FMEAN'],
  IMEAN: ['IMEAN', 'FMEAN'],
  FMEAN: ['FMEAN'],
  HL: ['HL', 'PHIFOM'],
  PHIFOM: ['PHIFOM', 'HL'],
};

export function isPossible(from: DataType, to: DataType): boolean {
  return POSSIBLE[from].includes(to);
}
