import { MTZ_ERRORS, mtzError } from './errors.js';
import { createMtz, type Mtz } from './mtz.js';

/** A column to take from an MTZ file and the label it gets. */
export interface ColumnPick {
  from: string;
  to: string;
}

/** One reflection's H K L as a number (|h|, |k|, |l| < 512 in any real file; checked). */
function hklKey(h: number, k: number, l: number): number {
  return ((h + 512) * 1024 + (k + 512)) * 1024 + (l + 512);
}

function keyOf(mtz: Mtz, r: number, hkl: Float32Array[]): number {
  const [h, k, l] = [hkl[0][r], hkl[1][r], hkl[2][r]];
  if (!(Math.abs(h) < 512 && Math.abs(k) < 512 && Math.abs(l) < 512))
    throw mtzError(MTZ_ERRORS.INVALID_MTZ, `reflection ${h} ${k} ${l}: index out of range`, mtz.file);
  return hklKey(h, k, l);
}

/**
 * Merges chosen columns of several MTZ files into one (CCP4i2's makeHklin, done with cmtzjoin there):
 * reflections are matched by H K L, the result holds every reflection of any input (sorted by H, K, L),
 * a value an input lacks is missing (NaN). Cell, symmetry and datasets come from the first input; every
 * picked column goes into the first input's first crystal dataset (after HKL_base). Labels must not repeat.
 */
export function joinMtzColumns(
  parts: readonly { mtz: Mtz; columns: readonly ColumnPick[] }[],
  title?: string,
): Mtz {
  if (parts.length === 0) throw mtzError(MTZ_ERRORS.INVALID_MTZ, 'nothing to merge: no input file');
  const labels = new Set<string>(['H', 'K', 'L']);
  for (const p of parts)
    for (const c of p.columns) {
      if (labels.has(c.to))
        throw mtzError(
          MTZ_ERRORS.INVALID_MTZ,
          `column label ${c.to} would occur twice`,
          p.mtz.file,
          `column ${c.to}`,
        );
      labels.add(c.to);
      p.mtz.column(c.from); // a coded error naming the file and its labels when absent
    }
  // Row of each reflection in the result.
  const keys = new Set<number>();
  const perPart = parts.map(({ mtz }) => {
    const hkl = ['H', 'K', 'L'].map((l) => mtz.column(l).data);
    const k = new Float64Array(mtz.nref);
    for (let r = 0; r < mtz.nref; r++) {
      k[r] = keyOf(mtz, r, hkl);
      keys.add(k[r]);
    }
    return k;
  });
  const sorted = Float64Array.from(keys).sort();
  const row = new Map<number, number>();
  sorted.forEach((k, i) => {
    row.set(k, i);
  });
  const n = sorted.length;
  const hkl = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  sorted.forEach((key, i) => {
    hkl[2][i] = (key % 1024) - 512;
    hkl[1][i] = (Math.floor(key / 1024) % 1024) - 512;
    hkl[0][i] = Math.floor(key / (1024 * 1024)) - 512;
  });
  const first = parts[0].mtz;
  const datasetId = first.datasets.find((d) => d.id > 0)?.id ?? 0;
  const columns = parts.flatMap(({ mtz, columns: picks }, p) =>
    picks.map(({ from, to }) => {
      const src = mtz.column(from);
      const data = new Float32Array(n).fill(Number.NaN);
      const k = perPart[p];
      for (let r = 0; r < mtz.nref; r++) data[row.get(k[r])!] = src.data[r];
      return { label: to, type: src.type, datasetId, data };
    }),
  );
  return createMtz({
    title: title ?? first.title,
    cell: first.cell,
    spaceGroup: first.spaceGroup,
    datasets: first.datasets,
    sortOrder: [1, 2, 3, 0, 0],
    history: [`ccp4i2-ts: merged ${parts.map((p) => p.columns.map((c) => c.from).join(',')).join(' + ')}`],
    columns: [
      ...['H', 'K', 'L'].map((label, i) => ({ label, type: 'H', datasetId: 0, data: hkl[i] })),
      ...columns,
    ],
  });
}

/** H K L and the chosen columns of one file, relabelled, every reflection kept (CCP4i2's splitHklout). */
export function selectMtzColumns(mtz: Mtz, columns: readonly ColumnPick[], title?: string): Mtz {
  const hkl = ['H', 'K', 'L'].map((l) => mtz.column(l));
  return createMtz({
    title: title ?? mtz.title,
    cell: mtz.cell,
    spaceGroup: mtz.spaceGroup,
    datasets: mtz.datasets,
    sortOrder: mtz.sortOrder,
    history: [...mtz.history, `ccp4i2-ts: selected ${columns.map((c) => `${c.from}->${c.to}`).join(',')}`],
    columns: [
      ...hkl.map((c) => ({ label: c.label, type: c.type, datasetId: c.datasetId, data: c.data })),
      ...columns.map(({ from, to }) => {
        const c = mtz.column(from);
        return { label: to, type: c.type, datasetId: c.datasetId, data: c.data };
      }),
    ],
  });
}
