// Cell and space group of PDB and mmCIF coordinate files (leaf layer: imports only errors).
export type { Mat33, Transform, UnitCell, Vec3 } from './cell.js';
export {
  fractionalisation,
  fractionalisationMatrix,
  orthogonalisationMatrix,
  printedCell,
  validateCell,
} from './cell.js';
export { COORD_ERROR_CLASS, CoordErrorCode } from './errors.js';
export {
  detectCoordFormat,
  MAX_COORD_FILE_BYTES,
  parseCoordCell,
  planCoordCell,
  readCoordCell,
  replaceCoordCell,
  writeCoordCell,
} from './io.js';
export type {
  CellEditPlan,
  CellEditResult,
  CellEditSummary,
  CellUpdate,
  CoordCellInfo,
  CoordFormat,
} from './types.js';
