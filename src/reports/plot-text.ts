import type { LoggraphGraph, LoggraphTable } from '../formats/loggraph/index.js';
import { graphData, tickLabel } from './axes.js';

export type TextGraphStyle = 'braille' | 'sparkline' | 'ascii' | 'none';

const BARS = '▁▂▃▄▅▆▇█';
const ASCII = '_.-:=+*#';

/** The y values resampled to `width` buckets (mean of each bucket; null where a bucket has none). */
function resample(values: (number | null)[], width: number): (number | null)[] {
  const n = values.length;
  if (n <= width) return values;
  const out: (number | null)[] = [];
  for (let b = 0; b < width; b++) {
    let sum = 0;
    let k = 0;
    for (let i = Math.floor((b * n) / width); i < Math.floor(((b + 1) * n) / width); i++) {
      const v = values[i];
      if (v !== null) {
        sum += v;
        k++;
      }
    }
    out.push(k ? sum / k : null);
  }
  return out;
}

/** One line per y column: `name  ▁▂▄▆█  min..max` (ASCII levels when the terminal has no Unicode). */
export function sparklines(table: LoggraphTable, graph: LoggraphGraph, width = 40, ascii = false): string[] {
  const d = graphData(table, graph);
  const levels = ascii ? ASCII : BARS;
  const nameW = Math.min(16, Math.max(...d.series.map((s) => s.name.length)));
  return d.series.map((s) => {
    const ys = resample(
      s.points.map((p) => (p ? p[1] : null)),
      width,
    );
    const [lo, hi] = d.y;
    const line = ys
      .map((y) => {
        if (y === null) return ' ';
        const k = Math.round(((Math.min(hi, Math.max(lo, y)) - lo) / (hi - lo)) * (levels.length - 1));
        return levels[k];
      })
      .join('');
    return `${s.name.slice(0, nameW).padEnd(nameW)}  ${line}  ${tickLabel(lo)}..${tickLabel(hi)}`;
  });
}

// Braille cells are 2 dots wide and 4 high; bit of each dot, by [row][column].
const DOT = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

/**
 * All y columns in one braille plot of `width` x `height` characters, with the y range on the left,
 * the x range below and the series named after it (a terminal cannot colour every dot usefully, so each
 * series is marked by its own plot when more than one: the first two share this one, the caller decides).
 */
export function braillePlot(table: LoggraphTable, graph: LoggraphGraph, width = 60, height = 10): string[] {
  const d = graphData(table, graph);
  const W = width * 2;
  const Hd = height * 4;
  const cells = Array.from({ length: height }, () => new Array<number>(width).fill(0));
  const toDots = (p: [number, number]): [number, number] => [
    ((p[0] - d.x[0]) / (d.x[1] - d.x[0])) * (W - 1),
    (1 - (p[1] - d.y[0]) / (d.y[1] - d.y[0])) * (Hd - 1),
  ];
  const dot = (fx: number, fy: number) => {
    const px = Math.round(fx);
    const py = Math.round(fy);
    if (px < 0 || px >= W || py < 0 || py >= Hd) return;
    cells[py >> 2][px >> 1] |= DOT[py & 3][px & 1];
  };
  for (const s of d.series) {
    let prev: [number, number] | null = null;
    for (const p of s.points) {
      const q = p ? toDots(p) : null;
      if (q && prev) {
        // join consecutive points dot by dot so that lines stay lines
        const dist = Math.max(Math.abs(q[0] - prev[0]), Math.abs(q[1] - prev[1]));
        const steps = Math.min(4 * (W + Hd), Math.ceil(dist));
        for (let k = 1; k <= steps; k++)
          dot(prev[0] + ((q[0] - prev[0]) * k) / steps, prev[1] + ((q[1] - prev[1]) * k) / steps);
      } else if (q) dot(q[0], q[1]);
      prev = q;
    }
  }
  const yHi = tickLabel(d.y[1]);
  const yLo = tickLabel(d.y[0]);
  const lw = Math.max(yHi.length, yLo.length);
  const lines = cells.map((row, i) => {
    const label = i === 0 ? yHi : i === height - 1 ? yLo : '';
    return `${label.padStart(lw)} ┤${row.map((b) => String.fromCharCode(0x2800 + b)).join('')}`;
  });
  const xLo = tickLabel(d.x[0]);
  const xHi = tickLabel(d.x[1]);
  lines.push(`${' '.repeat(lw)} └${'─'.repeat(width)}`);
  lines.push(`${' '.repeat(lw + 2)}${xLo}${xHi.padStart(width - xLo.length)}`);
  lines.push(`${' '.repeat(lw + 2)}x: ${d.xName}; y: ${d.series.map((s) => s.name).join(', ')}`);
  return lines;
}

/** A graph for a terminal in the given style. */
export function graphText(
  table: LoggraphTable,
  graph: LoggraphGraph,
  style: TextGraphStyle,
  width = 60,
): string[] {
  if (style === 'none' || graph.columns.length < 2) return [];
  if (style === 'braille') return braillePlot(table, graph, width);
  return sparklines(table, graph, Math.min(width, 48), style === 'ascii');
}
