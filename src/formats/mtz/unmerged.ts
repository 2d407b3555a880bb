import { inverseOp } from '../symmetry/symop.js';
import { MTZ_ERRORS, mtzError } from './errors.js';
import type { Mtz, MtzHeader } from './mtz.js';

/** Whether the file is unmerged: it has an M/ISYM column of type Y (after H K L). */
export function isUnmerged(mtz: { columns: readonly { label: string; type: string }[] }): boolean {
  const i = mtz.columns.findIndex((c) => c.label === 'M/ISYM');
  return i >= 3 && mtz.columns[i].type === 'Y';
}

/**
 * Original (pre-ASU) Miller indices of an unmerged file, from M/ISYM: ISYM = M/ISYM & 0xFF indexes the
 * file's SYMM operators, odd for I+ and even for I- (Friedel mate). h_orig = ±h·R⁻¹, as gemmi and libccp4
 * do. Returns undefined for merged files.
 */
export function originalHkl(mtz: Mtz): { h: Int32Array; k: Int32Array; l: Int32Array } | undefined {
  if (!isUnmerged(mtz)) return undefined;
  const inv = mtz.spaceGroup.symops.map(inverseOp);
  const H = mtz.columns[0].data;
  const K = mtz.columns[1].data;
  const L = mtz.columns[2].data;
  const M = mtz.column('M/ISYM').data;
  const n = mtz.nref;
  const h = new Int32Array(n);
  const k = new Int32Array(n);
  const l = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const isym = (M[i] | 0) & 0xff;
    const op = inv[(isym - 1) >> 1];
    if (isym === 0 || op === undefined)
      throw mtzError(
        MTZ_ERRORS.BAD_RECORD,
        `reflection ${i + 1}: ISYM ${isym} does not name one of the ${inv.length} symmetry operators`,
        mtz.file,
        'column M/ISYM',
      );
    const r = op.rot;
    const sign = isym & 1 ? 1 : -1;
    const a = H[i];
    const b = K[i];
    const c = L[i];
    h[i] = sign * (a * r[0] + b * r[3] + c * r[6]);
    k[i] = sign * (a * r[1] + b * r[4] + c * r[7]);
    l[i] = sign * (a * r[2] + b * r[5] + c * r[8]);
  }
  return { h, k, l };
}

/**
 * For streamed row-major blocks: returns a function that rewrites H K L of each row in place to the
 * original indices (the same rule as `originalHkl`). `firstRow` numbers rows for error messages.
 */
export function isymMapper(header: MtzHeader): (rows: Float32Array, firstRow: number) => void {
  const inv = header.spaceGroup.symops.map(inverseOp);
  const ncol = header.columns.length;
  const m = header.columns.findIndex((c) => c.label === 'M/ISYM');
  return (rows, firstRow) => {
    for (let i = 0, row = firstRow; i + ncol <= rows.length; i += ncol, row++) {
      const isym = (rows[i + m] | 0) & 0xff;
      const op = inv[(isym - 1) >> 1];
      if (isym === 0 || op === undefined)
        throw mtzError(
          MTZ_ERRORS.BAD_RECORD,
          `reflection ${row + 1}: ISYM ${isym} does not name one of the ${inv.length} symmetry operators`,
          header.file,
          'column M/ISYM',
        );
      const r = op.rot;
      const sign = isym & 1 ? 1 : -1;
      const a = rows[i];
      const b = rows[i + 1];
      const c = rows[i + 2];
      rows[i] = sign * (a * r[0] + b * r[3] + c * r[6]);
      rows[i + 1] = sign * (a * r[1] + b * r[4] + c * r[7]);
      rows[i + 2] = sign * (a * r[2] + b * r[5] + c * r[8]);
    }
  };
}
