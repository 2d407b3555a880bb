import type { Mtz } from './mtz.js';

export interface ColumnStats {
  label: string;
  type: string;
  datasetId: number;
  /** Number of values present (not NaN / VALM). */
  count: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (what `gemmi mtz -s` prints). */
  stddev: number;
}

/** Statistics of every column in one pass over the row-major data (no de-interleaving needed). */
export function columnStats(mtz: Mtz): ColumnStats[] {
  const { data, missing } = mtz.rows();
  const ncol = mtz.columns.length;
  const count = new Float64Array(ncol);
  const min = new Float64Array(ncol).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(ncol).fill(Number.NEGATIVE_INFINITY);
  // sums of (v - shift): shifting by the column's first value keeps the variance accurate
  const shift = new Float64Array(ncol).fill(Number.NaN);
  const sum = new Float64Array(ncol);
  const sumsq = new Float64Array(ncol);
  const checkValm = !Number.isNaN(missing);
  const valm = Math.fround(missing);
  const isIndex = mtz.columns.map((c) => c.type === 'H');
  for (let i = 0; i < data.length; ) {
    for (let c = 0; c < ncol; c++, i++) {
      const v = data[i];
      if (Number.isNaN(v) || (checkValm && v === valm && !isIndex[c])) continue;
      if (v < min[c]) min[c] = v;
      if (v > max[c]) max[c] = v;
      if (count[c]++ === 0) shift[c] = v;
      const d = v - shift[c];
      sum[c] += d;
      sumsq[c] += d * d;
    }
  }
  return mtz.columns.map((col, c) => {
    const n = count[c];
    const m = sum[c] / n;
    return {
      label: col.label,
      type: col.type,
      datasetId: col.datasetId,
      count: count[c],
      missing: mtz.nref - count[c],
      min: count[c] > 0 ? min[c] : Number.NaN,
      max: count[c] > 0 ? max[c] : Number.NaN,
      mean: n > 0 ? shift[c] + m : Number.NaN,
      stddev: n > 0 ? Math.sqrt(Math.max(0, sumsq[c] / n - m * m)) : Number.NaN,
    };
  });
}
