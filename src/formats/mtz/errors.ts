import { Ccp4Error } from '../../errors/ccp4-error.js';

/** Error table of the MTZ reader (className `MtzReader`) and writer (`MtzWriter`). */
export const MTZ_ERRORS = {
  CANNOT_READ: 101,
  TRUNCATED: 102,
  NOT_MTZ: 103,
  BAD_HEADER_OFFSET: 104,
  DATA_SIZE_MISMATCH: 105,
  BAD_RECORD: 106,
  BAD_CELL: 107,
  NO_SYMMETRY: 108,
  BAD_BATCHES: 109,
  NO_REFLECTIONS: 110,
  NO_SUCH_COLUMN: 111,
  COLUMN_COUNT_MISMATCH: 112,
  NO_END: 113,
  BAD_DATASET: 114,
  BAD_HISTORY: 115,
  INVALID_MTZ: 201,
  CANNOT_WRITE: 202,
} as const;

export type MtzErrorCode = (typeof MTZ_ERRORS)[keyof typeof MTZ_ERRORS];

export function mtzError(code: MtzErrorCode, message: string, file?: string, objectPath?: string): Ccp4Error {
  return new Ccp4Error({
    className: code >= 200 ? 'MtzWriter' : 'MtzReader',
    code,
    message,
    file,
    objectPath,
  });
}
