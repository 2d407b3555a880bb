import { type Cell, inverseDSquared } from '../symmetry/cell.js';
import { MTZ_ERRORS, mtzError } from './errors.js';
import type { MtzBatch, MtzColumnGroup, MtzColumnInfo, MtzDataset, MtzSpaceGroup } from './types.js';

/** Everything an MTZ file says apart from the reflection data; what `readMtzHeader` returns. */
export interface MtzHeader {
  /** Where the file came from, for error messages. */
  file?: string;
  version: string;
  title: string;
  /** Global cell (CELL record). */
  cell: Cell;
  spaceGroup: MtzSpaceGroup;
  nref: number;
  columns: MtzColumnInfo[];
  /** Datasets in file order; dataset 0 is HKL_base (added when the file declares none). */
  datasets: MtzDataset[];
  batches: MtzBatch[];
  history: string[];
  sortOrder: number[];
  /** VALM as read: NaN for `VALM NAN` (or absent); a number is converted to NaN in the column data. */
  valm: number;
  /** RESO record as [min, max] 1/d² (Å⁻²), if present. */
  reso?: [number, number];
  /** Text after MTZENDOFHEADERS, kept verbatim (latin1). */
  appendedText: string;
  /** Byte order of the file read (the writer's default is little-endian). */
  littleEndian: boolean;
  /** Header records the reader did not recognise, kept for diagnostics. */
  unknownRecords: string[];
}

/** A column with its values as a Float32Array (missing values are NaN); data may be loaded lazily. */
export class MtzColumn implements MtzColumnInfo {
  label: string;
  type: string;
  datasetId: number;
  min: number;
  max: number;
  source?: string;
  group?: MtzColumnGroup;
  private values?: Float32Array;
  private readonly load?: () => void;

  constructor(info: MtzColumnInfo, data?: Float32Array, load?: () => void) {
    this.label = info.label;
    this.type = info.type;
    this.datasetId = info.datasetId;
    this.min = info.min;
    this.max = info.max;
    if (info.source !== undefined) this.source = info.source;
    if (info.group !== undefined) this.group = info.group;
    this.values = data;
    this.load = load;
  }

  get data(): Float32Array {
    if (this.values === undefined) this.load?.();
    if (this.values === undefined) throw new Error(`MTZ column ${this.label} has no data`);
    return this.values;
  }

  set data(values: Float32Array) {
    this.values = values;
  }

  /** Whether the values are already de-interleaved (the reader loads all columns on first access). */
  get loaded(): boolean {
    return this.values !== undefined;
  }
}

export interface MtzParts extends Omit<MtzHeader, 'columns'> {
  columns: MtzColumn[];
}

/** An MTZ file in memory. Build one with `readMtz` or `createMtz`; write it with `writeMtz`. */
export class Mtz implements MtzHeader {
  file?: string;
  version: string;
  title: string;
  cell: Cell;
  spaceGroup: MtzSpaceGroup;
  nref: number;
  columns: MtzColumn[];
  datasets: MtzDataset[];
  batches: MtzBatch[];
  history: string[];
  sortOrder: number[];
  valm: number;
  reso?: [number, number];
  appendedText: string;
  littleEndian: boolean;
  unknownRecords: string[];
  /** Row-major reflection data as stored in the file (VALM not yet converted), until de-interleaved. */
  private rowMajor?: Float32Array;

  constructor(parts: MtzParts, rowMajor?: Float32Array) {
    this.file = parts.file;
    this.version = parts.version;
    this.title = parts.title;
    this.cell = parts.cell;
    this.spaceGroup = parts.spaceGroup;
    this.nref = parts.nref;
    this.columns = parts.columns;
    this.datasets = parts.datasets;
    this.batches = parts.batches;
    this.history = parts.history;
    this.sortOrder = parts.sortOrder;
    this.valm = parts.valm;
    this.reso = parts.reso;
    this.appendedText = parts.appendedText;
    this.littleEndian = parts.littleEndian;
    this.unknownRecords = parts.unknownRecords;
    this.rowMajor = rowMajor;
  }

  /** Column by exact label; a coded error (MtzReader 111) names the file and the labels it has. */
  column(label: string): MtzColumn {
    return this.columns[columnIndex(this, label)];
  }

  hasColumn(label: string): boolean {
    return this.columns.some((col) => col.label === label);
  }

  /** Row-major data (H K L first), VALM converted to NaN: the file's own buffer when not yet de-interleaved. */
  rows(): { data: Float32Array; missing: number } {
    if (this.rowMajor !== undefined) return { data: this.rowMajor, missing: this.valm };
    const ncol = this.columns.length;
    const out = new Float32Array(this.nref * ncol);
    const bits = new Uint32Array(out.buffer);
    this.columns.forEach((col, c) => {
      const d = new Uint32Array(col.data.buffer, col.data.byteOffset, this.nref);
      for (let r = 0, i = c; r < this.nref; r++, i += ncol) bits[i] = d[r];
    });
    return { data: out, missing: Number.NaN };
  }

  /** De-interleaves every column in one pass over the file's row-major data (called on first `data` access). */
  loadColumns(): void {
    const raw = this.rowMajor;
    if (raw === undefined) return;
    const ncol = this.columns.length;
    const nref = this.nref;
    const arrays = this.columns.map(() => new Float32Array(nref));
    // copy as integers: bit-exact, so NaN payloads and signs survive (gemmi prints -nan)
    const src = new Uint32Array(raw.buffer, raw.byteOffset, raw.length);
    const dst = arrays.map((a) => new Uint32Array(a.buffer));
    for (let r = 0, i = 0; r < nref; r++) for (let c = 0; c < ncol; c++, i++) dst[c][r] = src[i];
    if (!Number.isNaN(this.valm)) {
      const valm = Math.fround(this.valm);
      this.columns.forEach((col, c) => {
        if (col.type === 'H') return;
        const a = arrays[c];
        for (let r = 0; r < nref; r++) if (a[r] === valm) a[r] = Number.NaN;
      });
    }
    // a column whose data was replaced before the first load keeps its new data
    this.columns.forEach((col, c) => {
      if (!col.loaded) col.data = arrays[c];
    });
    this.rowMajor = undefined;
  }

  /** Resolution range in Å computed from the reflections and the global cell. */
  resolution(): { low: number; high: number } {
    const [min, max] = this.inverseDSquaredRange();
    return { low: 1 / Math.sqrt(min), high: 1 / Math.sqrt(max) };
  }

  /** Min and max 1/d² over the reflections (Å⁻²), from the global cell. */
  inverseDSquaredRange(): [number, number] {
    const s = inverseDSquared(this.cell);
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    const add = (h: number, k: number, l: number) => {
      const v = s(h, k, l);
      if (v < min) min = v;
      if (v > max) max = v;
    };
    if (this.rowMajor !== undefined) {
      const data = this.rowMajor;
      const ncol = this.columns.length;
      for (let i = 0; i < data.length; i += ncol) add(data[i], data[i + 1], data[i + 2]);
    } else {
      const [H, K, L] = [0, 1, 2].map((i) => this.columns[i].data);
      for (let r = 0; r < this.nref; r++) add(H[r], K[r], L[r]);
    }
    return [min === Number.POSITIVE_INFINITY ? 0 : min, max];
  }

  /** Resolution range in Å from the RESO record (what `gemmi mtz` and mtzdump print), else from the data. */
  headerResolution(): { low: number; high: number } {
    if (this.reso === undefined) return this.resolution();
    return { low: 1 / Math.sqrt(this.reso[0]), high: 1 / Math.sqrt(this.reso[1]) };
  }

  dataset(id: number): MtzDataset | undefined {
    return this.datasets.find((d) => d.id === id);
  }
}

/** What `createMtz` needs: header facts and one Float32Array per column (H, K, L first). */
export interface MtzInit {
  title?: string;
  cell: Cell;
  spaceGroup: MtzSpaceGroup;
  columns: Array<Omit<MtzColumnInfo, 'min' | 'max'> & { data: Float32Array }>;
  datasets?: MtzDataset[];
  batches?: MtzBatch[];
  history?: string[];
  sortOrder?: number[];
  appendedText?: string;
}

/** Builds an in-memory MTZ from columns; min/max are computed from the data (NaN ignored). */
export function createMtz(init: MtzInit): Mtz {
  const nref = init.columns[0]?.data.length ?? 0;
  for (const c of init.columns)
    if (c.data.length !== nref)
      throw mtzError(
        MTZ_ERRORS.INVALID_MTZ,
        `column ${c.label} has ${c.data.length} values, expected ${nref}`,
        undefined,
        `column ${c.label}`,
      );
  const columns = init.columns.map((c) => {
    const [min, max] = minMax(c.data);
    return new MtzColumn({ ...c, min, max }, c.data);
  });
  return new Mtz({
    version: 'MTZ:V1.1',
    title: init.title ?? '',
    cell: init.cell,
    spaceGroup: init.spaceGroup,
    nref,
    columns,
    datasets: init.datasets ?? [
      {
        id: 0,
        project: 'HKL_base',
        crystal: 'HKL_base',
        dataset: 'HKL_base',
        cell: init.cell,
        wavelength: 0,
      },
    ],
    batches: init.batches ?? [],
    history: init.history ?? [],
    sortOrder: init.sortOrder ?? [0, 0, 0, 0, 0],
    valm: Number.NaN,
    appendedText: init.appendedText ?? '',
    littleEndian: true,
    unknownRecords: [],
  });
}

/** Min and max of the non-NaN values; NaN, NaN when there are none. */
export function minMax(data: Float32Array): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min > max ? [Number.NaN, Number.NaN] : [min, max];
}

/** Index of the column labelled `label`; MtzReader NO_SUCH_COLUMN (listing the labels) when there is none. */
export function columnIndex(mtz: Pick<MtzHeader, 'columns' | 'file'>, label: string): number {
  const i = mtz.columns.findIndex((c) => c.label === label);
  if (i < 0)
    throw mtzError(
      MTZ_ERRORS.NO_SUCH_COLUMN,
      `no column '${label}' (columns: ${mtz.columns.map((c) => c.label).join(' ')})`,
      mtz.file,
      `column ${label}`,
    );
  return i;
}
