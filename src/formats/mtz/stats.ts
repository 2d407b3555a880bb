import type { Mtz, MtzHeader } from './mtz.js';
import { readMtzHeader, rowBlocks } from './read.js';
import { isUnmerged, isymMapper } from './unmerged.js';

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

/** Per-column count, min, max and shifted sums, fed with blocks of row-major rows. */
class StatsAccumulator {
  private readonly count: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  // sums of (v - shift): shifting by the column's first value keeps the variance accurate
  private readonly shift: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumsq: Float64Array;
  private readonly skipValm: boolean[];
  private readonly valm: number;

  constructor(private readonly header: Pick<MtzHeader, 'columns' | 'valm' | 'nref'>) {
    const ncol = header.columns.length;
    this.count = new Float64Array(ncol);
    this.min = new Float64Array(ncol).fill(Number.POSITIVE_INFINITY);
    this.max = new Float64Array(ncol).fill(Number.NEGATIVE_INFINITY);
    this.shift = new Float64Array(ncol);
    this.sum = new Float64Array(ncol);
    this.sumsq = new Float64Array(ncol);
    this.valm = Math.fround(header.valm);
    this.skipValm = header.columns.map((c) => !Number.isNaN(header.valm) && c.type !== 'H');
  }

  /**
   * Adds whole rows. Blocks of rows small enough to stay in cache; within a block each column is a strided
   * loop whose accumulators live in locals, so the data are streamed from memory once.
   */
  add(data: Float32Array): void {
    const ncol = this.header.columns.length;
    const nrows = Math.floor(data.length / ncol);
    const BLOCK = 4096;
    for (let r0 = 0; r0 < nrows; r0 += BLOCK) {
      const end = Math.min(nrows, r0 + BLOCK) * ncol;
      for (let c = 0; c < ncol; c++) {
        const skipValm = this.skipValm[c];
        const valm = this.valm;
        let n = this.count[c];
        let lo = this.min[c];
        let hi = this.max[c];
        let k = this.shift[c];
        let s1 = this.sum[c];
        let s2 = this.sumsq[c];
        for (let i = r0 * ncol + c; i < end; i += ncol) {
          const v = data[i];
          if (Number.isNaN(v) || (skipValm && v === valm)) continue;
          if (n === 0) k = v;
          n++;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
          const d = v - k;
          s1 += d;
          s2 += d * d;
        }
        this.count[c] = n;
        this.min[c] = lo;
        this.max[c] = hi;
        this.shift[c] = k;
        this.sum[c] = s1;
        this.sumsq[c] = s2;
      }
    }
  }

  result(): ColumnStats[] {
    return this.header.columns.map((col, c) => {
      const n = this.count[c];
      const m = this.sum[c] / n;
      return {
        label: col.label,
        type: col.type,
        datasetId: col.datasetId,
        count: n,
        missing: this.header.nref - n,
        min: n > 0 ? this.min[c] : Number.NaN,
        max: n > 0 ? this.max[c] : Number.NaN,
        mean: n > 0 ? this.shift[c] + m : Number.NaN,
        stddev: n > 0 ? Math.sqrt(Math.max(0, this.sumsq[c] / n - m * m)) : Number.NaN,
      };
    });
  }
}

/** Statistics of every column in one pass over the row-major data (no de-interleaving needed). */
export function columnStats(mtz: Mtz): ColumnStats[] {
  const acc = new StatsAccumulator(mtz);
  acc.add(mtz.rows().data);
  return acc.result();
}

/**
 * Header and column statistics of a file without holding its data: the reflections are streamed in
 * blocks of about 8 MB, so memory stays flat for files of any size (what `mtz info --stats` uses).
 */
export function columnStatsFromFile(
  path: string,
  opts: { originalHkl?: boolean } = {},
): { header: MtzHeader; stats: ColumnStats[] } {
  const header = readMtzHeader(path);
  // gemmi mtz -s reports H K L of unmerged files mapped back through M/ISYM; so do we when asked
  const toOriginal = opts.originalHkl && isUnmerged(header) ? isymMapper(header) : undefined;
  const acc = new StatsAccumulator(header);
  for (const { rows, first } of rowBlocks(path, header)) {
    toOriginal?.(rows, first);
    acc.add(rows);
  }
  return { header, stats: acc.result() };
}
