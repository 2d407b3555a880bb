import type { ErrorLocation } from '../../errors/ccp4-error.js';
import { CoordErrorCode, coordError } from './errors.js';

/** Unit cell: lengths in Å, angles in degrees. */
export interface UnitCell {
  a: number;
  b: number;
  c: number;
  alpha: number;
  beta: number;
  gamma: number;
}

export type Mat33 = [[number, number, number], [number, number, number], [number, number, number]];
export type Vec3 = [number, number, number];

/** A fractionalisation (or orthogonalisation) transform x' = M x + v, as SCALEn / fract_transf hold it. */
export interface Transform {
  matrix: Mat33;
  vector: Vec3;
}

export const CELL_KEYS = ['a', 'b', 'c', 'alpha', 'beta', 'gamma'] as const;

/** cos of an angle in degrees, exact for right angles so that 90° cells give exact zeros (as gemmi does). */
function cosDeg(deg: number): number {
  return deg === 90 ? 0 : Math.cos((deg * Math.PI) / 180);
}

function sinDeg(deg: number): number {
  return deg === 90 ? 1 : Math.sin((deg * Math.PI) / 180);
}

/** Throws BAD_CELL unless every length is positive and finite and the angles make a real cell. */
export function validateCell(cell: UnitCell, where: ErrorLocation = {}): void {
  for (const k of CELL_KEYS) {
    const v = cell[k];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw coordError(CoordErrorCode.BAD_CELL, `cell ${k} is not a finite number (${v})`, where);
  }
  for (const k of ['a', 'b', 'c'] as const)
    if (!(cell[k] > 0))
      throw coordError(CoordErrorCode.BAD_CELL, `cell ${k} must be > 0 (${cell[k]})`, where);
  for (const k of ['alpha', 'beta', 'gamma'] as const)
    if (!(cell[k] > 0 && cell[k] < 180))
      throw coordError(CoordErrorCode.BAD_CELL, `cell ${k} must lie in (0, 180) degrees (${cell[k]})`, where);
  const ca = cosDeg(cell.alpha);
  const cb = cosDeg(cell.beta);
  const cg = cosDeg(cell.gamma);
  // V² / (abc)²; zero or negative when the three angles cannot close a parallelepiped.
  if (!(1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg > 1e-12))
    throw coordError(
      CoordErrorCode.BAD_CELL,
      `cell angles ${cell.alpha} ${cell.beta} ${cell.gamma} enclose no volume`,
      where,
    );
}

/**
 * Orthogonalisation matrix of the PDB convention (CCP4 NCODE 1): a along x, b in the xy plane,
 * c* along z. Columns are a, b, c in Å.
 */
export function orthogonalisationMatrix(cell: UnitCell): Mat33 {
  const ca = cosDeg(cell.alpha);
  const cb = cosDeg(cell.beta);
  const cg = cosDeg(cell.gamma);
  const sb = sinDeg(cell.beta);
  const sg = sinDeg(cell.gamma);
  const cosAlphaStar = (cb * cg - ca) / (sb * sg);
  const sinAlphaStar = Math.sqrt(1 - cosAlphaStar * cosAlphaStar);
  return [
    [cell.a, cell.b * cg, cell.c * cb],
    [0, cell.b * sg, -cell.c * sb * cosAlphaStar],
    [0, 0, cell.c * sb * sinAlphaStar],
  ];
}

/** Fractionalisation matrix (the SCALEn rows): the inverse of the upper-triangular orthogonalisation. */
export function fractionalisationMatrix(cell: UnitCell): Mat33 {
  const [[o11, o12, o13], [, o22, o23], [, , o33]] = orthogonalisationMatrix(cell);
  return [
    [1 / o11, -o12 / (o11 * o22), (o12 * o23 - o13 * o22) / (o11 * o22 * o33)],
    [0, 1 / o22, -o23 / (o22 * o33)],
    [0, 0, 1 / o33],
  ];
}

/** The standard fractionalisation of a cell: its matrix and a zero origin shift. */
export function fractionalisation(cell: UnitCell): Transform {
  return { matrix: fractionalisationMatrix(cell), vector: [0, 0, 0] };
}

/**
 * The cell as CRYST1 (and our mmCIF items) print it: lengths to 0.001 Å, angles to 0.01°. SCALEn are
 * computed from this cell, so that the file agrees with itself for any reader that recomputes them.
 */
export function printedCell(cell: UnitCell): UnitCell {
  const r = (x: number, d: number) => Number(x.toFixed(d));
  return {
    a: r(cell.a, 3),
    b: r(cell.b, 3),
    c: r(cell.c, 3),
    alpha: r(cell.alpha, 2),
    beta: r(cell.beta, 2),
    gamma: r(cell.gamma, 2),
  };
}

/** printf("%.Nf") without "-0.000": a value that rounds to zero prints unsigned, as the PDB writes it. */
export function fixed(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** Right-justify `s` in `width` columns (printf "%Ns"); longer strings are returned whole. */
export function rjust(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}
