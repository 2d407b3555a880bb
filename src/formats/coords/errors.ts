import { Ccp4Error, type ErrorLocation } from '../../errors/ccp4-error.js';

/** Class name under which coordinate-file cell errors are reported (codes below are ours). */
export const COORD_ERROR_CLASS = 'CoordinateCell';

/** Error codes of the coordinate-cell layer; docs/coords.md lists them. */
export const CoordErrorCode = {
  /** The file cannot be read or written, or is too large. */
  IO: 101,
  /** Not a PDB or mmCIF text file (binary, compressed, empty). */
  FORMAT: 102,
  /** No cell record: no CRYST1, or no `_cell.length_a` ... items. */
  NO_CELL: 103,
  /** A number that does not parse (CRYST1 columns, CIF value, SCALE). */
  BAD_NUMBER: 104,
  /** A cell that is not a cell: zero, negative, NaN, angles outside (0, 180) or no volume. */
  BAD_CELL: 105,
  /** mmCIF syntax: unterminated quote or text field, tag without value, ragged loop. */
  CIF_SYNTAX: 106,
  /** A space group name that cannot be written (too long for CRYST1, unquotable in CIF). */
  BAD_SPACE_GROUP: 107,
} as const;

export function coordError(code: number, message: string, where: ErrorLocation = {}): Ccp4Error {
  return new Ccp4Error({ className: COORD_ERROR_CLASS, code, message, ...where });
}
