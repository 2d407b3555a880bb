/**
 * The number a cell holds, or null for a missing value (`-`, `*`, `NaN`, empty, anything not a number).
 * Cells stay text in tables; this is for drawing and for key values.
 */
export function cellNumber(cell: string | undefined): number | null {
  if (cell === undefined || cell === '' || cell === '-' || cell === '*') return null;
  const n = Number(cell);
  return Number.isFinite(n) ? n : null;
}

/** The shape of CCP4's own parser (smartie) output and of `ccp4i2 loggraph --json`: one object per table. */
export interface LoggraphTableJson {
  title: string;
  columns: string[];
  graphs: { title: string; columns: number[]; scaling: string }[];
  rows: string[][];
  nrows: number;
  line: number;
  complete: boolean;
}

export function tableJson(t: {
  title: string;
  columns: string[];
  graphs: { title: string; columns: number[]; scaling: { raw: string } }[];
  rows: string[][];
  line: number;
  complete: boolean;
}): LoggraphTableJson {
  return {
    title: t.title,
    columns: t.columns,
    graphs: t.graphs.map((g) => ({ title: g.title, columns: g.columns, scaling: g.scaling.raw.trim() })),
    rows: t.rows,
    nrows: t.rows.length,
    line: t.line,
    complete: t.complete,
  };
}
