export { type Cell, inverseDSquared, isValidCell } from './cell.js';
export { type ReflectionClass, ReflectionClassifier } from './reflection.js';
export {
  DEN,
  formatTriplet,
  inverseOp,
  isIdentityRotation,
  parseTriplet,
  SYMOP_ERRORS,
  type SymOp,
} from './symop.js';
