import { formatTriplet } from '../symmetry/symop.js';
import type { MtzHeader } from './mtz.js';
import type { ColumnStats } from './stats.js';

/** What `ccp4i2 mtz info --json` prints (NaN becomes null in JSON). */
export interface MtzInfo {
  file?: string;
  title: string;
  cell: number[];
  /** `symops`: the SYMM operators as upper-case triplets, in file order. */
  spaceGroup: { name: string; number: number; symops: string[]; lattice: string; pointGroup: string };
  nref: number;
  columns: Array<{
    label: string;
    type: string;
    min: number | null;
    max: number | null;
    dataset: number;
    missing?: number;
    mean?: number | null;
    stddev?: number | null;
  }>;
  datasets: Array<{
    id: number;
    project: string;
    crystal: string;
    dataset: string;
    cell: number[];
    wavelength: number;
  }>;
  nbatches: number;
  batchNumbers?: [number, number];
  history: string[];
  resolution: { low: number; high: number };
  sortOrder: number[];
  missingValue: number | null;
  byteOrder: 'little-endian' | 'big-endian';
  appendedTextBytes: number;
}

const num = (v: number) => (Number.isFinite(v) ? v : null);

/** Summary of a header, with per-column statistics when given (their min/max then replace the header's). */
export function mtzInfo(h: MtzHeader, stats?: ColumnStats[]): MtzInfo {
  const reso = h.reso;
  const resolution =
    reso !== undefined
      ? { low: 1 / Math.sqrt(reso[0]), high: 1 / Math.sqrt(reso[1]) }
      : { low: Number.NaN, high: Number.NaN };
  const batchNumbers = h.batches.map((b) => b.number);
  return {
    ...(h.file === undefined ? {} : { file: h.file }),
    title: h.title,
    cell: [...h.cell],
    spaceGroup: {
      name: h.spaceGroup.name,
      number: h.spaceGroup.number,
      symops: h.spaceGroup.symops.map(formatTriplet),
      lattice: h.spaceGroup.lattice,
      pointGroup: h.spaceGroup.pointGroup,
    },
    nref: h.nref,
    columns: h.columns.map((c, i) => {
      const s = stats?.[i];
      return {
        label: c.label,
        type: c.type,
        min: num(s ? s.min : c.min),
        max: num(s ? s.max : c.max),
        dataset: c.datasetId,
        ...(s ? { missing: s.missing, mean: num(s.mean), stddev: num(s.stddev) } : {}),
      };
    }),
    datasets: h.datasets.map((d) => ({
      id: d.id,
      project: d.project,
      crystal: d.crystal,
      dataset: d.dataset,
      cell: [...d.cell],
      wavelength: d.wavelength,
    })),
    nbatches: h.batches.length,
    ...(batchNumbers.length > 0
      ? { batchNumbers: [Math.min(...batchNumbers), Math.max(...batchNumbers)] as [number, number] }
      : {}),
    history: h.history,
    resolution,
    sortOrder: h.sortOrder,
    missingValue: num(h.valm),
    byteOrder: h.littleEndian ? 'little-endian' : 'big-endian',
    appendedTextBytes: h.appendedText.length,
  };
}

/** Human-readable form of `mtzInfo`, laid out like `gemmi mtz`. */
export function formatMtzInfo(info: MtzInfo): string {
  const f = (v: number | null | undefined, d = 4) =>
    v === null || v === undefined ? 'nan' : Number(v.toFixed(d)).toString();
  const out: string[] = [];
  if (info.file !== undefined) out.push(`File: ${info.file}`);
  out.push(`Title: ${info.title}`);
  out.push(`Cell: ${info.cell.map((x) => f(x)).join(' ')}`);
  out.push(
    `Space group: ${info.spaceGroup.name} (number ${info.spaceGroup.number}, ${info.spaceGroup.symops.length} operators)`,
  );
  out.push(`Reflections: ${info.nref}`);
  out.push(`Resolution: ${f(info.resolution.low, 2)} - ${f(info.resolution.high, 2)} A`);
  out.push(
    `Batches: ${info.nbatches}${info.batchNumbers ? ` (${info.batchNumbers[0]}-${info.batchNumbers[1]})` : ''}`,
  );
  out.push('', `Datasets (${info.datasets.length}):`);
  for (const d of info.datasets)
    out.push(
      `  ${d.id}  ${d.project} > ${d.crystal} > ${d.dataset}  cell ${d.cell.map((x) => f(x)).join(' ')}  wavelength ${f(d.wavelength, 5)}`,
    );
  const w = Math.max(12, ...info.columns.map((c) => c.label.length));
  const stats = info.columns.some((c) => c.missing !== undefined);
  out.push('', `Columns (${info.columns.length}):`);
  out.push(
    `  ${'label'.padEnd(w)} type dataset ${'min'.padStart(12)} ${'max'.padStart(12)}${stats ? `  missing ${'mean'.padStart(12)}` : ''}`,
  );
  for (const c of info.columns)
    out.push(
      `  ${c.label.padEnd(w)}    ${c.type} ${String(c.dataset).padStart(7)} ${f(c.min, 6).padStart(12)} ${f(c.max, 6).padStart(12)}` +
        (stats ? `  ${String(c.missing).padStart(7)} ${f(c.mean, 6).padStart(12)}` : ''),
    );
  out.push('', info.history.length === 0 ? 'No history.' : `History (${info.history.length} lines):`);
  for (const h of info.history) out.push(`  ${h}`);
  return `${out.join('\n')}\n`;
}
