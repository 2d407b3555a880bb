import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ReportTable } from '../types';

const COLORS = ['#1f6fb2', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c'];

/** A loggraph cell as a number; CCP4's missing-value marks (`-`, `*`, `NaN`...) become gaps. */
export function cellNumber(s: string | undefined): number | null {
  if (s === undefined) return null;
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : null;
}

/** One graph of a loggraph table: first column x, the others y; zoom by dragging, double-click resets. */
export function Graph({ table, graph }: { table: ReportTable; graph: ReportTable['graphs'][number] }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [xi, ...ys] = graph.columns;
  const data = [
    table.rows.map((r) => cellNumber(r[xi])),
    ...ys.map((c) => table.rows.map((r) => cellNumber(r[c]))),
  ] as uPlot.AlignedData;
  const key = `${table.title}|${graph.title}|${graph.columns.join(',')}`;

  useEffect(() => {
    if (!el.current) return;
    const width = Math.max(320, Math.min(760, el.current.clientWidth || 640));
    const scatter = table.type === 'SCATTER';
    const yRange: uPlot.Scale['range'] =
      graph.scaling.mode === 'fixed' && graph.scaling.ymin !== undefined && graph.scaling.ymax !== undefined
        ? [graph.scaling.ymin, graph.scaling.ymax]
        : graph.scaling.mode === 'nought'
          ? (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1]
          : undefined;
    const opts: uPlot.Options = {
      title: graph.title.trim(),
      width,
      height: 260,
      scales: { x: { time: false }, y: yRange ? { range: yRange } : {} },
      axes: [{ label: table.columns[xi] }, {}],
      series: [
        { label: table.columns[xi] },
        ...ys.map((c, i) => ({
          label: table.columns[c],
          stroke: COLORS[i % COLORS.length],
          width: scatter ? 0 : 1.5,
          points: { show: scatter || table.rows.length < 40, size: 5 },
          spanGaps: false,
        })),
      ],
    };
    plot.current = new uPlot(opts, data, el.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
    // A new plot only when the graph itself changes; new rows go through setData below.
  }, [key]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [table.rows.length]);

  return <div class="graph" ref={el} role="img" aria-label={`Graph: ${graph.title.trim()}`} />;
}
