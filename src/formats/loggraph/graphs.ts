import type { GraphScaling, LoggraphGraph } from './types.js';

const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const FIXED = new RegExp(`^(${NUM})\\|(${NUM})x(${NUM})\\|(${NUM})$`);

/** `A`, `N` or `XMIN|XMAXxYMIN|YMAX`; anything else is undefined (the caller warns and scales automatically). */
export function parseScaling(raw: string): GraphScaling | undefined {
  const s = raw.trim();
  if (s === 'A') return { mode: 'auto', raw };
  if (s === 'N') return { mode: 'nought', raw };
  const m = FIXED.exec(s);
  if (!m) return undefined;
  const [xmin, xmax, ymin, ymax] = m.slice(1, 5).map(Number);
  return { mode: 'fixed', raw, xmin, xmax, ymin, ymax };
}

/** A graph as declared, before its columns are checked against the table's header. */
export interface GraphSpec {
  title: string;
  scaling: string;
  /** The column list as written (`1,2,3`). */
  columns: string;
}

/**
 * The `:title:scaling:columns:` definitions of a `$GRAPHS` section (one or several, on one line or many).
 * Each field is non-empty and holds no colon; definitions follow each other, whatever lies between.
 */
export function graphSpecs(text: string): GraphSpec[] {
  const out: GraphSpec[] = [];
  for (const m of text.matchAll(/:([^:]+):([^:]+):([^:]+):/g))
    out.push({ title: m[1], scaling: m[2], columns: m[3] });
  return out;
}

/** Problems found while resolving a graph's columns, for the parser to turn into warnings. */
export interface GraphProblem {
  code: 'missing-column' | 'bad-graph' | 'bad-scaling';
  message: string;
}

/** Resolves a declared graph against the table's column count (1-based in the log, 0-based here). */
export function resolveGraph(spec: GraphSpec, ncolumns: number, problems: GraphProblem[]): LoggraphGraph {
  const title = spec.title.trim();
  let scaling = parseScaling(spec.scaling);
  if (!scaling) {
    problems.push({
      code: 'bad-scaling',
      message: `graph '${title}': scaling '${spec.scaling.trim()}' is not A, N or XMIN|XMAXxYMIN|YMAX; scaled automatically`,
    });
    scaling = { mode: 'auto', raw: spec.scaling };
  }
  const columns: number[] = [];
  for (const item of spec.columns.split(',')) {
    const s = item.trim();
    if (s === '') continue;
    if (!/^\d+$/.test(s)) {
      problems.push({ code: 'bad-graph', message: `graph '${title}': column '${s}' is not a column number` });
      continue;
    }
    const n = Number(s);
    if (n < 1 || n > ncolumns) {
      problems.push({
        code: 'missing-column',
        message: `graph '${title}' names column ${n} but the table has ${ncolumns} column${ncolumns === 1 ? '' : 's'}`,
      });
      continue;
    }
    columns.push(n - 1);
  }
  if (columns.length < 2)
    problems.push({ code: 'bad-graph', message: `graph '${title}' has no y column to draw` });
  return { title: spec.title, scaling, columns };
}
