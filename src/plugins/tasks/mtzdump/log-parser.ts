import { Ccp4Error } from '../../../errors/ccp4-error.js';
import { type UnitCell, validateCell } from '../../../formats/coords/index.js';

/** The mtzdump task's error table, as CCP4i2's mtzdump wrapper defines it. */
export const MTZDUMP_ERROR_CODES = {
  101: { description: 'Error reading cell from log file' },
} as const;

/** The line CCP4i2 looks for; the first dataset's cell is on the 5th line after it. */
export const DATASET_HEADING = '* Dataset ID, project/crystal/dataset names, cell dimensions, wavelength:';

export interface MtzdumpDataset {
  id: number;
  project: string;
  crystal: string;
  dataset: string;
  cell: UnitCell;
  wavelength: number;
}

export interface MtzdumpColumn {
  label: string;
  type: string;
  /** Associated dataset id. */
  dataset: number;
}

/** What mtzdump's header listing (libccp4's ccp4_lhprt) says about an MTZ file. */
export interface MtzdumpHeader {
  title: string;
  /** The cell CCP4i2 reports as outputData.CELL: the first dataset's, else the global (obsolete) cell. */
  cell: UnitCell;
  /** `dataset`: read where CCP4i2 reads it; `global`: the file has no datasets, so the header cell. */
  cellSource: 'dataset' | 'global';
  /** The header's (obsolete) global cell. */
  globalCell: UnitCell;
  spaceGroup: { name: string; number: number };
  columns: MtzdumpColumn[];
  /** Resolution range in Å (low = largest d). */
  resolution: { low: number; high: number };
  nref: number;
  nbatches: number;
  /** Datasets other than the base dataset 0, in listing order. */
  datasets: MtzdumpDataset[];
}

class LogReader {
  constructor(
    readonly lines: string[],
    readonly file: string | undefined,
  ) {}

  fail(message: string, index?: number): Ccp4Error {
    return new Ccp4Error({
      className: 'mtzdump',
      code: 101,
      message: `${MTZDUMP_ERROR_CODES[101].description}: ${message}`,
      file: this.file,
      ...(index !== undefined ? { line: index + 1 } : {}),
    });
  }

  /** Index of the first line matching `re`, or -1. */
  find(re: RegExp, from = 0): number {
    for (let i = from; i < this.lines.length; i++) if (re.test(this.lines[i])) return i;
    return -1;
  }

  require(re: RegExp, what: string): number {
    const i = this.find(re);
    if (i < 0) throw this.fail(`no '${what}' in the log`);
    return i;
  }

  /** Index of the first non-blank line after `i`. */
  nextNonBlank(i: number, what: string): number {
    for (let k = i + 1; k < this.lines.length; k++) {
      if (/^\s*\*/.test(this.lines[k])) break;
      if (this.lines[k].trim() !== '') return k;
    }
    throw this.fail(`nothing listed under '${what}'`, i);
  }

  /** Six numbers, a cell, or undefined when the line is not one. */
  cellAt(i: number): UnitCell | undefined {
    const w = (this.lines[i] ?? '').trim().split(/\s+/);
    if (w.length !== 6 || !w.every((x) => /^[-+]?(\d+\.?\d*|\.\d+)$/.test(x))) return undefined;
    const [a, b, c, alpha, beta, gamma] = w.map(Number);
    const cell = { a, b, c, alpha, beta, gamma };
    try {
      validateCell(cell);
    } catch (e) {
      throw this.fail(e instanceof Error ? e.message : String(e), i);
    }
    return cell;
  }

  int(re: RegExp, what: string, optional = false): number {
    const i = this.find(re);
    if (i < 0) {
      if (optional) return 0;
      throw this.fail(`no '${what}' in the log`);
    }
    return Number(re.exec(this.lines[i])![1]);
  }
}

/** The datasets block: `id project`, `crystal`, `dataset`, a cell line, a wavelength line, repeated. */
function readDatasets(r: LogReader, heading: number): MtzdumpDataset[] {
  const out: MtzdumpDataset[] = [];
  let i = heading + 1;
  while (i < r.lines.length && !/^\s*\*/.test(r.lines[i])) {
    const m = /^\s+(\d+)\s+(\S.*?)\s*$/.exec(r.lines[i]);
    if (!m) {
      i++;
      continue;
    }
    const cell = r.cellAt(i + 3);
    const wavelength = Number((r.lines[i + 4] ?? '').trim());
    if (!cell || !Number.isFinite(wavelength) || (r.lines[i + 4] ?? '').trim() === '')
      throw r.fail(`dataset ${m[1]} is not followed by its crystal, dataset, cell and wavelength`, i);
    out.push({
      id: Number(m[1]),
      project: m[2],
      crystal: (r.lines[i + 1] ?? '').trim(),
      dataset: (r.lines[i + 2] ?? '').trim(),
      cell,
      wavelength,
    });
    i += 5;
  }
  return out;
}

function words(r: LogReader, heading: RegExp, what: string): { words: string[]; line: number } {
  const i = r.nextNonBlank(r.require(heading, what), what);
  return { words: r.lines[i].trim().split(/\s+/), line: i };
}

/**
 * Reads mtzdump's log as CCP4i2's mtzdump wrapper does (the cell from the 5th line after
 * DATASET_HEADING), and also the space group, columns, resolution range and datasets. A file without
 * datasets has no cell on that line (CCP4i2 then fails); we take the header's global cell instead.
 * Throws Ccp4Error mtzdump 101 when the log does not hold a readable header listing.
 */
export function parseMtzdumpLog(text: string, options: { file?: string } = {}): MtzdumpHeader {
  // The listing ends with the space group line; reflections may follow (NREF), and need not be split.
  let end = Math.min(text.length, 1 << 24);
  const sgAt = text.search(/\*\s*Space group\s*=/);
  if (sgAt >= 0) {
    const nl = text.indexOf('\n', sgAt);
    end = nl < 0 ? text.length : nl;
  }
  const r = new LogReader(text.slice(0, end).split(/\r?\n/), options.file);

  const heading = r.find(/\*\s*Dataset ID, project\/crystal\/dataset names, cell dimensions, wavelength:/);
  if (heading < 0) throw r.fail(`no '${DATASET_HEADING}' in the log`);
  const globalAt = r.nextNonBlank(
    r.require(/\*\s*Cell Dimensions\s*:/, 'Cell Dimensions'),
    'Cell Dimensions',
  );
  const globalCell = r.cellAt(globalAt);
  if (!globalCell) throw r.fail('the global cell line does not hold six numbers', globalAt);
  const datasetCell = r.cellAt(heading + 5);
  const datasets = readDatasets(r, heading);

  const sgLine = r.require(/\*\s*Space group\s*=/, 'Space group');
  const sg = /Space group\s*=\s*'([^']*)'\s*\(\s*number\s+(\d+)\s*\)/.exec(r.lines[sgLine]);
  if (!sg || sg[1].trim() === '') throw r.fail('the space group line cannot be read', sgLine);

  const labels = words(r, /\*\s*Column Labels\s*:/, 'Column Labels');
  const types = words(r, /\*\s*Column Types\s*:/, 'Column Types');
  const assoc = words(r, /\*\s*Associated datasets\s*:/, 'Associated datasets');
  const ncol = r.int(/\*\s*Number of Columns\s*=\s*(\d+)/, 'Number of Columns');
  if (labels.words.length !== ncol || types.words.length !== ncol || assoc.words.length !== ncol)
    throw r.fail(
      `${ncol} columns announced but ${labels.words.length} labels, ${types.words.length} types and ${assoc.words.length} dataset ids listed`,
      labels.line,
    );
  if (!assoc.words.every((x) => /^\d+$/.test(x)))
    throw r.fail('associated datasets are not integers', assoc.line);

  const resAt = r.nextNonBlank(
    r.require(/\*\s*Resolution Range\s*:/, 'Resolution Range'),
    'Resolution Range',
  );
  const res = /\(\s*(\d+\.?\d*)\s*-\s*(\d+\.?\d*)\s*A\s*\)/.exec(r.lines[resAt]);
  if (!res) throw r.fail('the resolution range cannot be read', resAt);

  const titleAt = r.find(/\*\s*Title:/);
  return {
    title: titleAt < 0 ? '' : (r.lines[titleAt + 2] ?? '').trim(),
    cell: datasetCell ?? globalCell,
    cellSource: datasetCell ? 'dataset' : 'global',
    globalCell,
    spaceGroup: { name: sg[1].trim(), number: Number(sg[2]) },
    columns: labels.words.map((label, k) => ({
      label,
      type: types.words[k],
      dataset: Number(assoc.words[k]),
    })),
    resolution: { low: Number(res[1]), high: Number(res[2]) },
    nref: r.int(/\*\s*Number of Reflections\s*=\s*(\d+)/, 'Number of Reflections'),
    nbatches: r.int(/\*\s*Number of Batches\s*=\s*(\d+)/, 'Number of Batches', true),
    datasets,
  };
}
