import { Ccp4Error } from '../../errors/ccp4-error.js';

/** Unit cell a, b, c (Å), alpha, beta, gamma (degrees). */
export type Cell = readonly [number, number, number, number, number, number];

/** Whether six numbers make a physically possible cell (positive edges, angles that close a cell). */
export function isValidCell(cell: readonly number[]): boolean {
  if (cell.length !== 6 || !cell.every(Number.isFinite)) return false;
  const [a, b, c, al, be, ga] = cell;
  if (a <= 0 || b <= 0 || c <= 0) return false;
  if (![al, be, ga].every((x) => x > 0 && x < 180)) return false;
  return volumeFactor(al, be, ga) > 1e-9;
}

function volumeFactor(al: number, be: number, ga: number): number {
  const r = Math.PI / 180;
  const ca = Math.cos(al * r);
  const cb = Math.cos(be * r);
  const cg = Math.cos(ga * r);
  return 1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg;
}

/** Returns a function giving 1/d² (Å⁻²) of a reflection, from the reciprocal metric of `cell`. */
export function inverseDSquared(cell: Cell): (h: number, k: number, l: number) => number {
  if (!isValidCell(cell))
    throw new Ccp4Error({ className: 'Cell', code: 401, message: `invalid unit cell ${cell.join(' ')}` });
  const [a, b, c, al, be, ga] = cell;
  const r = Math.PI / 180;
  const ca = Math.cos(al * r);
  const cb = Math.cos(be * r);
  const cg = Math.cos(ga * r);
  const sa = Math.sin(al * r);
  const sb = Math.sin(be * r);
  const sg = Math.sin(ga * r);
  const v = a * b * c * Math.sqrt(volumeFactor(al, be, ga));
  // reciprocal cell
  const as = (b * c * sa) / v;
  const bs = (a * c * sb) / v;
  const cs = (a * b * sg) / v;
  const cas = (cb * cg - ca) / (sb * sg);
  const cbs = (ca * cg - cb) / (sa * sg);
  const cgs = (ca * cb - cg) / (sa * sb);
  const g11 = as * as;
  const g22 = bs * bs;
  const g33 = cs * cs;
  const g12 = 2 * as * bs * cgs;
  const g13 = 2 * as * cs * cbs;
  const g23 = 2 * bs * cs * cas;
  return (h, k, l) => h * h * g11 + k * k * g22 + l * l * g33 + h * k * g12 + h * l * g13 + k * l * g23;
}
