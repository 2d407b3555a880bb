import type { Mtz } from './mtz.js';
import { formatG } from './printf.js';
import { originalHkl } from './unmerged.js';

export interface TsvOptions {
  /** Labels to print after H K L (default: every column). Unknown labels are a coded error. */
  columns?: string[];
  /** Keep the stored (asymmetric-unit) indices of an unmerged file instead of the original ones. */
  noIsym?: boolean;
  /** Rows per yielded chunk. */
  chunkRows?: number;
}

/**
 * The reflection data as tab-separated text, exactly as `gemmi mtz --tsv` prints it (header line of labels,
 * values with %g, NaN as `nan`, original indices of unmerged files). Yields chunks so that big files stream.
 */
export function* mtzTsv(mtz: Mtz, opts: TsvOptions = {}): Generator<string> {
  const all = mtz.columns.map((c, i) => ({ c, i }));
  // H K L always come first; a requested H, K or L is not repeated
  const extra = (opts.columns ?? mtz.columns.slice(3).map((c) => c.label)).filter(
    (l) => !isIndexLabel(mtz, l),
  );
  const picked = [
    ...all.slice(0, 3),
    ...extra.map((l) => {
      const col = mtz.column(l);
      return { c: col, i: mtz.columns.indexOf(col) };
    }),
  ];
  yield `${picked.map((p) => p.c.label).join('\t')}\n`;
  const hkl = opts.noIsym ? undefined : originalHkl(mtz);
  const data = picked.map((p) => p.c.data);
  const bits = data.map((d) => new Uint32Array(d.buffer, d.byteOffset, d.length));
  const isHkl = picked.map((p) => (hkl !== undefined && p.i < 3 ? [hkl.h, hkl.k, hkl.l][p.i] : undefined));
  const chunk = opts.chunkRows ?? 4096;
  const ncol = picked.length;
  let lines: string[] = [];
  for (let r = 0; r < mtz.nref; r++) {
    const cells = new Array<string>(ncol);
    for (let j = 0; j < ncol; j++) {
      const idx = isHkl[j];
      cells[j] = idx !== undefined ? String(idx[r]) : formatG(data[j][r], 6, bits[j][r] >= 0x80000000);
    }
    lines.push(cells.join('\t'));
    if (lines.length === chunk) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

function isIndexLabel(mtz: Mtz, label: string): boolean {
  const i = mtz.columns.findIndex((c) => c.label === label);
  return i >= 0 && i < 3;
}
