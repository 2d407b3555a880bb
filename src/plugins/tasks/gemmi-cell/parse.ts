import { Ccp4Error } from '../../../errors/ccp4-error.js';
import { type UnitCell, validateCell } from '../../../formats/coords/index.js';

/** Error table of the gemmi cell reader task. */
export const GEMMI_CELL_ERROR_CODES = {
  101: { description: 'Error reading cell from gemmi mtz output' },
} as const;

export interface GemmiMtzDataset {
  id: number;
  project: string;
  crystal: string;
  dataset: string;
  cell: UnitCell;
  wavelength: number;
}

export interface GemmiMtzColumn {
  label: string;
  type: string;
  dataset: number;
  min: number;
  max: number;
}

/** What `gemmi mtz FILE` (gemmi 0.5.x, no options) prints about an MTZ file. */
export interface GemmiMtzHeader {
  title: string;
  /** The cell to report, chosen as mtzdump's reader does: the first dataset after 0, else the global cell. */
  cell: UnitCell;
  cellSource: 'dataset' | 'global';
  globalCell: UnitCell;
  spaceGroup: { name: string; number: number };
  /** Every dataset, the base dataset 0 included. */
  datasets: GemmiMtzDataset[];
  columns: GemmiMtzColumn[];
  /** Resolution in Å as gemmi prints it (2 decimals). */
  resolution: { low: number; high: number };
  nref: number;
  nbatches: number;
}

const NUM = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?(?:nan|inf)$/i;

/**
 * Parses the header summary `gemmi mtz FILE` prints. Throws Ccp4Error gemmi_cell 101 naming the file
 * and line when the output does not hold a readable header (gemmi failed, other version, truncated).
 */
export function parseGemmiMtzHeader(text: string, options: { file?: string } = {}): GemmiMtzHeader {
  const lines = text.split(/\r?\n/);
  const fail = (message: string, index?: number) =>
    new Ccp4Error({
      className: 'gemmi_cell',
      code: 101,
      message: `${GEMMI_CELL_ERROR_CODES[101].description}: ${message}`,
      file: options.file,
      ...(index !== undefined ? { line: index + 1 } : {}),
    });
  const find = (re: RegExp, from = 0) => {
    for (let i = from; i < lines.length; i++) if (re.test(lines[i])) return i;
    return -1;
  };
  const value = (re: RegExp, what: string): { m: RegExpExecArray; i: number } => {
    const i = find(re);
    if (i < 0) throw fail(`no '${what}' line`);
    return { m: re.exec(lines[i])!, i };
  };
  const cellOf = (s: string, i: number): UnitCell => {
    const w = s.trim().split(/\s+/);
    if (w.length !== 6 || !w.every((x) => NUM.test(x))) throw fail(`'${s.trim()}' is not six numbers`, i);
    const [a, b, c, alpha, beta, gamma] = w.map(Number);
    const cell = { a, b, c, alpha, beta, gamma };
    try {
      validateCell(cell);
    } catch (e) {
      throw fail(e instanceof Error ? e.message : String(e), i);
    }
    return cell;
  };

  const datasets: GemmiMtzDataset[] = [];
  for (let i = find(/^Dataset\s+\d+\s/); i >= 0; i = find(/^Dataset\s+\d+\s/, i + 1)) {
    const m = /^Dataset\s+(\d+)\s+(.*?) > (.*?) > (.*):\s*$/.exec(lines[i]);
    const cm = /^\s+cell\s+(.*)$/.exec(lines[i + 1] ?? '');
    const wm = /^\s+wavelength\s+(\S+)\s*$/.exec(lines[i + 2] ?? '');
    if (!m || !cm || !wm || !NUM.test(wm[1]))
      throw fail('a dataset is not followed by its cell and wavelength', i);
    datasets.push({
      id: Number(m[1]),
      project: m[2].trim(),
      crystal: m[3].trim(),
      dataset: m[4].trim(),
      cell: cellOf(cm[1], i + 1),
      wavelength: Number(wm[1]),
    });
  }
  const ndatasets = value(/^Total Number of Datasets = (\d+)\s*$/, 'Total Number of Datasets');
  if (datasets.length !== Number(ndatasets.m[1]))
    throw fail(`${ndatasets.m[1]} datasets announced, ${datasets.length} listed`, ndatasets.i);

  const global = value(/^Global Cell \(obsolete\):\s+(.*)$/, 'Global Cell');
  const globalCell = cellOf(global.m[1], global.i);
  const sgName = value(/^Space Group: (.*)$/, 'Space Group');
  const sgNumber = value(/^Space Group Number: (\d+)\s*$/, 'Space Group Number');
  if (sgName.m[1].trim() === '') throw fail('empty space group', sgName.i);
  const reso = value(/^Resolution: (\S+) - (\S+) A\s*$/, 'Resolution');
  const ncol = Number(value(/^Number of Columns = (\d+)\s*$/, 'Number of Columns').m[1]);

  const head = find(/^Column\s+Type\s+Dataset\s+Min\s+Max\s*$/);
  if (head < 0) throw fail("no 'Column Type Dataset Min Max' table");
  const columns: GemmiMtzColumn[] = [];
  for (let i = head + 1; i < lines.length && lines[i].trim() !== ''; i++) {
    const w = lines[i].trim().split(/\s+/);
    if (w.length !== 5 || !/^\d+$/.test(w[2]) || !NUM.test(w[3]) || !NUM.test(w[4]))
      throw fail(`column line '${lines[i].trim()}' cannot be read`, i);
    columns.push({ label: w[0], type: w[1], dataset: Number(w[2]), min: Number(w[3]), max: Number(w[4]) });
  }
  if (columns.length !== ncol) throw fail(`${ncol} columns announced, ${columns.length} listed`, head);

  const first = datasets.find((d) => d.id > 0);
  const title = /^Title: ?(.*)$/.exec(lines[find(/^Title:/)] ?? '');
  return {
    title: title ? title[1].trim() : '',
    cell: first ? first.cell : globalCell,
    cellSource: first ? 'dataset' : 'global',
    globalCell,
    spaceGroup: { name: sgName.m[1].trim(), number: Number(sgNumber.m[1]) },
    datasets,
    columns,
    resolution: { low: Number(reso.m[2]), high: Number(reso.m[1]) },
    nref: Number(value(/^Number of Reflections = (\d+)\s*$/, 'Number of Reflections').m[1]),
    nbatches: Number(value(/^Number of Batches = (\d+)\s*$/, 'Number of Batches').m[1]),
  };
}
