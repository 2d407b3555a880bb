import { Ccp4Error } from '../errors/ccp4-error.js';

/**
 * Error table of the conversions. As in CCP4i2, observation conversions report under ObsDataConverter and
 * phase conversions under PhaseDataConverter; the numbering is shared (CCP4i2's code 3 = unsupported).
 */
export const CONVERSION_ERRORS = {
  /** The input has no columns of the kind the conversion needs (no content flag). */
  NO_CONTENT: 2,
  /** The conversion is impossible (FMEAN → IPAIR, FPAIR → IMEAN, …). */
  UNSUPPORTED: 3,
  /** Columns requested with `columns` do not exist or do not have the expected count or types. */
  BAD_COLUMNS: 4,
  /** No reflection has a usable observation (all missing, or every sigma NaN or ≤ 0). */
  NO_USABLE_DATA: 5,
  /** Unmerged data (M/ISYM column): merge it first. */
  UNMERGED: 6,
  /** Unknown target type. */
  BAD_TARGET: 7,
  /** Several datasets hold data of the kind needed (e.g. three anomalous derivatives): `columns` must choose. */
  AMBIGUOUS: 8,
} as const;

export type ConversionErrorCode = (typeof CONVERSION_ERRORS)[keyof typeof CONVERSION_ERRORS];

export function conversionError(
  phases: boolean,
  code: ConversionErrorCode,
  message: string,
  file?: string,
  objectPath?: string,
): Ccp4Error {
  return new Ccp4Error({
    className: phases ? 'PhaseDataConverter' : 'ObsDataConverter',
    code,
    message,
    file,
    objectPath,
  });
}
