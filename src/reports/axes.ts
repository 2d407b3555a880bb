import { cellNumber, type LoggraphGraph, type LoggraphTable } from '../formats/loggraph/index.js';

/** One y column of a graph, as points (null where a value is missing: the line breaks there). */
export interface Series {
  name: string;
  points: ([number, number] | null)[];
}

export interface GraphData {
  xName: string;
  series: Series[];
  /** The axis ranges to draw, after the log's scaling. */
  x: [number, number];
  y: [number, number];
}

/** The points of a graph and the ranges its scaling asks for (A: data; N: y from 0; fixed: as given). */
export function graphData(table: LoggraphTable, graph: LoggraphGraph): GraphData {
  const [xc, ...ycs] = graph.columns;
  const xs = table.rows.map((r) => cellNumber(r[xc]));
  const series = ycs.map((c) => ({
    name: table.columns[c] ?? `column ${c + 1}`,
    points: table.rows.map((r, i): [number, number] | null => {
      const x = xs[i];
      const y = cellNumber(r[c]);
      return x === null || y === null ? null : [x, y];
    }),
  }));
  const all = series.flatMap((s) => s.points.filter((p): p is [number, number] => p !== null));
  let x = extent(all.map((p) => p[0]));
  let y = extent(all.map((p) => p[1]));
  const s = graph.scaling;
  if (s.mode === 'nought') y = [Math.min(0, y[0]), Math.max(0, y[1])];
  if (s.mode === 'fixed') {
    // A degenerate range (aimless writes `0|0` for an all-zero column) falls back to the data.
    if (s.xmin !== undefined && s.xmax !== undefined && s.xmax > s.xmin) x = fixedRange([s.xmin, s.xmax], x);
    if (s.ymin !== undefined && s.ymax !== undefined && s.ymax > s.ymin) y = fixedRange([s.ymin, s.ymax], y);
  }
  return { xName: table.columns[xc] ?? `column ${xc + 1}`, series, x: widen(x), y: widen(y) };
}

/**
 * The log's fixed range, stretched to data just beyond it: programs compute the limits from unrounded
 * values and print rounded cells (aimless: ymax 0.762504, last Rmeas 0.763), which must not be cut off.
 * Data further out (more than 2% of the range) is clipped: the log asked for a zoom.
 */
function fixedRange(fixed: [number, number], data: [number, number]): [number, number] {
  const slack = (fixed[1] - fixed[0]) * 0.02;
  return [
    data[0] < fixed[0] && data[0] >= fixed[0] - slack ? data[0] : fixed[0],
    data[1] > fixed[1] && data[1] <= fixed[1] + slack ? data[1] : fixed[1],
  ];
}

function extent(v: number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function widen([lo, hi]: [number, number]): [number, number] {
  if (hi > lo) return [lo, hi];
  const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
  return [lo - d, hi + d];
}

/** About `n` round tick values (1, 2 or 5 times a power of ten) covering [lo, hi]. */
export function ticks(lo: number, hi: number, n = 6): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / Math.max(1, n - 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  // The round step whose number of intervals is closest to n - 1 (0..0.277: 0.05, not 0.1).
  const step = [1, 2, 5, 10]
    .map((m) => m * p)
    .reduce((best, s) => (Math.abs(span / s - (n - 1)) < Math.abs(span / best - (n - 1)) ? s : best));
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A tick label: short, no float noise (0.30000000000000004 → 0.3). */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}
