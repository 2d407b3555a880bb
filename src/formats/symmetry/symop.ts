import { Ccp4Error } from '../../errors/ccp4-error.js';

/** Translations are kept as integers over DEN (24 covers 1/2, 1/3, 1/4, 1/6, 1/8, 1/12). */
export const DEN = 24;

/**
 * A symmetry operator x' = R x + t in fractional coordinates. `rot` is the integer 3x3 matrix, row-major;
 * `tran` holds t * DEN as integers, so arithmetic on operators and phase shifts is exact.
 */
export interface SymOp {
  readonly rot: readonly number[];
  readonly tran: readonly number[];
}

export const SYMOP_ERRORS = {
  BAD_TRIPLET: 301,
} as const;

function bad(triplet: string, why: string): Ccp4Error {
  return new Ccp4Error({
    className: 'Symop',
    code: SYMOP_ERRORS.BAD_TRIPLET,
    message: `cannot parse symmetry operator '${triplet}': ${why}`,
  });
}

const AXIS: Record<string, number> = { X: 0, Y: 1, Z: 2, H: 0, K: 1, L: 2 };

/** Parses one row of a triplet, e.g. `-Y+1/3`, `X-Y`, `1/2+Z`, `0.5-x`. */
function parseRow(expr: string, triplet: string, rot: number[], row: number): number {
  const s = expr.replace(/\s+/g, '').toUpperCase();
  if (s === '') throw bad(triplet, 'empty component');
  let tran = 0;
  let i = 0;
  while (i < s.length) {
    let sign = 1;
    if (s[i] === '+' || s[i] === '-') {
      sign = s[i] === '-' ? -1 : 1;
      i++;
    }
    const c = s[i];
    if (c !== undefined && c in AXIS) {
      rot[row * 3 + AXIS[c]] += sign;
      i++;
      continue;
    }
    const m = /^(\d+(?:\.\d*)?|\.\d+)(?:\/(\d+))?(\*?([XYZHKL]))?/.exec(s.slice(i));
    if (!m) throw bad(triplet, `unexpected '${s.slice(i)}'`);
    const num = Number(m[1]);
    const den = m[2] === undefined ? 1 : Number(m[2]);
    if (den === 0) throw bad(triplet, 'division by zero');
    const value = (sign * num) / den;
    if (m[4] !== undefined) {
      // a coefficient on an axis (`2X` appears in some non-standard settings)
      if (!Number.isInteger(value)) throw bad(triplet, 'non-integer rotation coefficient');
      rot[row * 3 + AXIS[m[4]]] += value;
    } else {
      const t = value * DEN;
      if (Math.abs(t - Math.round(t)) > 1e-6)
        throw bad(triplet, `translation ${value} is not a multiple of 1/${DEN}`);
      tran += Math.round(t);
    }
    i += m[0].length;
  }
  return tran;
}

/** Parses a symmetry operator in the `X,Y,Z` / `-Y,X-Y,Z+1/3` forms used by SYMM records and CIF files. */
export function parseTriplet(triplet: string): SymOp {
  const parts = triplet.split(',');
  if (parts.length !== 3) throw bad(triplet, 'expected three comma-separated components');
  const rot = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const tran = parts.map((p, row) => parseRow(p, triplet, rot, row));
  const det = determinant(rot);
  if (det !== 1 && det !== -1) throw bad(triplet, `rotation part has determinant ${det}`);
  return { rot, tran: tran.map(wrapTran) };
}

function wrapTran(t: number): number {
  return ((t % DEN) + DEN) % DEN;
}

function determinant(r: readonly number[]): number {
  return (
    r[0] * (r[4] * r[8] - r[5] * r[7]) -
    r[1] * (r[3] * r[8] - r[5] * r[6]) +
    r[2] * (r[3] * r[7] - r[4] * r[6])
  );
}

/** The inverse operator: R⁻¹ and -R⁻¹t (R is unimodular, so R⁻¹ is an integer matrix). */
export function inverseOp(op: SymOp): SymOp {
  const r = op.rot;
  const det = determinant(r);
  const inv = [
    r[4] * r[8] - r[5] * r[7],
    r[2] * r[7] - r[1] * r[8],
    r[1] * r[5] - r[2] * r[4],
    r[5] * r[6] - r[3] * r[8],
    r[0] * r[8] - r[2] * r[6],
    r[2] * r[3] - r[0] * r[5],
    r[3] * r[7] - r[4] * r[6],
    r[1] * r[6] - r[0] * r[7],
    r[0] * r[4] - r[1] * r[3],
  ].map((v) => v / det + 0);
  const t = op.tran;
  const tran = [0, 1, 2].map((i) =>
    wrapTran(-(inv[i * 3] * t[0] + inv[i * 3 + 1] * t[1] + inv[i * 3 + 2] * t[2])),
  );
  return { rot: inv, tran };
}

const FRAC: Record<number, string> = {};
for (const d of [2, 3, 4, 6, 8, 12, 24])
  for (let n = 1; n < d; n++) {
    const key = (n * DEN) / d;
    if (Number.isInteger(key) && FRAC[key] === undefined) FRAC[key] = `${n}/${d}`;
  }

/** Formats an operator as an upper-case triplet (`-Y,X-Y,Z+1/3`), the form CCP4 and gemmi write in SYMM. */
export function formatTriplet(op: SymOp): string {
  const rows: string[] = [];
  for (let i = 0; i < 3; i++) {
    let s = '';
    for (let j = 0; j < 3; j++) {
      const c = op.rot[i * 3 + j];
      if (c === 0) continue;
      const axis = 'XYZ'[j];
      const mag = Math.abs(c) === 1 ? axis : `${Math.abs(c)}*${axis}`;
      s += c < 0 ? `-${mag}` : s === '' ? mag : `+${mag}`;
    }
    const t = op.tran[i];
    if (t !== 0) s += `+${FRAC[t] ?? `${t}/${DEN}`}`;
    rows.push(s === '' ? '0' : s);
  }
  return rows.join(',');
}

export function isIdentityRotation(op: SymOp): boolean {
  const r = op.rot;
  return (
    r[0] === 1 &&
    r[4] === 1 &&
    r[8] === 1 &&
    r[1] === 0 &&
    r[2] === 0 &&
    r[3] === 0 &&
    r[5] === 0 &&
    r[6] === 0 &&
    r[7] === 0
  );
}
