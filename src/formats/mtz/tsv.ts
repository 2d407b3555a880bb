import { columnIndex, type Mtz, type MtzHeader } from './mtz.js';
import { formatG } from './printf.js';
import { readMtzHeader, rowBlocks } from './read.js';
import { isUnmerged, isymMapper } from './unmerged.js';

export interface TsvOptions {
  /** Labels to print after H K L (default: every column). Unknown labels are a coded error. */
  columns?: string[];
  /** Keep the stored (asymmetric-unit) indices of an unmerged file instead of the original ones. */
  noIsym?: boolean;
  /** Rows per yielded chunk. */
  chunkRows?: number;
}

/** Row-major reflection data in pieces; `first` numbers the first row (for error messages). */
type RowBlocks = Iterable<{ rows: Float32Array; first: number; count: number }>;

/**
 * The reflection data as tab-separated text, exactly as `gemmi mtz --tsv` prints it (header line of labels,
 * values with %g, NaN as `nan`, original indices of unmerged files). Yields chunks so that big files stream.
 */
export function* mtzTsv(mtz: Mtz, opts: TsvOptions = {}): Generator<string> {
  const { data, missing } = mtz.rows();
  const ncol = mtz.columns.length;
  const step = Math.max(1, opts.chunkRows ?? 4096);
  // copies: mapping unmerged indices rewrites a block in place, and `data` may be the file's own buffer
  function* blocks(): RowBlocks {
    for (let r = 0; r < mtz.nref; r += step) {
      const count = Math.min(step, mtz.nref - r);
      yield { rows: data.slice(r * ncol, (r + count) * ncol), first: r, count };
    }
  }
  yield* tsvOfBlocks({ ...mtz, valm: missing }, blocks(), opts);
}

/**
 * `mtzTsv` of a file without holding its data: the header, then the reflections in blocks of about 8 MB
 * (what `ccp4i2 mtz dump` prints; memory stays flat for files of any size).
 */
export function* mtzTsvFromFile(path: string, opts: TsvOptions = {}): Generator<string> {
  const header = readMtzHeader(path);
  yield* tsvOfBlocks(header, rowBlocks(path, header), opts);
}

function* tsvOfBlocks(header: MtzHeader, blocks: RowBlocks, opts: TsvOptions): Generator<string> {
  const labels = header.columns.map((c) => c.label);
  // H K L always come first; a requested H, K or L is not repeated
  const extra = (opts.columns ?? labels.slice(3)).map((l) => columnIndex(header, l)).filter((i) => i >= 3);
  const picked = [0, 1, 2, ...extra].filter((i) => i < labels.length);
  yield `${picked.map((i) => labels[i]).join('\t')}\n`;
  const toOriginal = !opts.noIsym && isUnmerged(header) ? isymMapper(header) : undefined;
  const valm = Number.isNaN(header.valm) ? undefined : Math.fround(header.valm);
  const isH = picked.map((i) => header.columns[i].type === 'H');
  const ncol = header.columns.length;
  const npick = picked.length;
  const chunk = Math.max(1, opts.chunkRows ?? 4096);
  for (const { rows, first, count } of blocks) {
    toOriginal?.(rows, first);
    const bits = new Uint32Array(rows.buffer, rows.byteOffset, rows.length);
    for (let r0 = 0; r0 < count; r0 += chunk) {
      const lines: string[] = [];
      for (let r = r0; r < Math.min(count, r0 + chunk); r++) {
        const cells = new Array<string>(npick);
        for (let j = 0; j < npick; j++) {
          const at = r * ncol + picked[j];
          const v = rows[at];
          // mapped indices are integers; -0 prints as 0, as gemmi's int indices do
          if (j < 3 && toOriginal) cells[j] = String(v | 0);
          else if (v === valm && !isH[j]) cells[j] = 'nan';
          else cells[j] = formatG(v, 6, bits[at] >= 0x80000000);
        }
        lines.push(cells.join('\t'));
      }
      yield `${lines.join('\n')}\n`;
    }
  }
}
