import type { LoggraphTable } from '../formats/loggraph/index.js';
import type { JobReport } from './model.js';
import { graphText, type TextGraphStyle } from './plot-text.js';

export interface TextOptions {
  graphs?: TextGraphStyle;
  /** Rows of each table to print: the first and last half (default 20; 0: all). */
  rows?: number;
  /** Characters available (default 100). */
  width?: number;
  /** Print tables (default true); false prints the summary only. */
  tables?: boolean;
}

/** A table as aligned columns; long tables show their first and last rows around a count of the rest. */
export function tableText(t: LoggraphTable, maxRows = 20): string[] {
  const rows = t.rows;
  let shown: (string[] | null)[] = rows;
  if (maxRows > 0 && rows.length > maxRows) {
    const half = Math.ceil(maxRows / 2);
    shown = [...rows.slice(0, half), null, ...rows.slice(rows.length - (maxRows - half))];
  }
  const widths = t.columns.map((c, k) =>
    Math.max(c.length, ...shown.map((r) => (r ? (r[k] ?? '').length : 0))),
  );
  const fmt = (cells: string[]) =>
    cells
      .map((c, k) => c.padStart(widths[k]))
      .join('  ')
      .trimEnd();
  const out = [fmt(t.columns), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of shown) out.push(r ? fmt(r) : `  ... ${rows.length - maxRows} more rows ...`);
  return out;
}

/** The tables of a report or a log, each with its graphs. */
export function tablesText(tables: readonly LoggraphTable[], o: TextOptions = {}): string[] {
  const out: string[] = [];
  const style = o.graphs ?? 'sparkline';
  for (const t of tables) {
    out.push(
      '',
      `== ${t.title} (${t.rows.length} row${t.rows.length === 1 ? '' : 's'}${t.complete ? '' : ', incomplete'})`,
    );
    out.push(...tableText(t, o.rows ?? 20));
    for (const g of t.graphs) {
      const lines = graphText(t, g, style, Math.min(72, (o.width ?? 100) - 12));
      if (lines.length === 0) continue;
      out.push('', `  ${g.title.trim()}`);
      out.push(...lines.map((l) => `  ${l}`));
    }
  }
  return out;
}

function elapsed(s: number | undefined): string {
  if (s === undefined) return '';
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** The summary of a report: status, timing, key values, outputs, errors and warnings; sub-jobs indented. */
export function summaryLines(r: JobReport, indent = ''): string[] {
  const out: string[] = [];
  const time = elapsed(r.elapsedSeconds);
  out.push(
    `${indent}${r.task}${r.title ? ` (${r.title})` : ''}: ${r.status}${time ? ` in ${time}` : ''}${r.final ? '' : ' (running)'}`,
  );
  const rows: [string, string][] = [
    ...r.keyValues.map((k): [string, string] => [k.label, k.text]),
    ...r.outputs.map((o): [string, string] => [
      o.name,
      `${o.path ?? '(no path)'}${o.exists ? '' : ' (missing)'}`,
    ]),
  ];
  if (r.tables.length > 0)
    rows.push(['tables', `${r.tables.length} (${r.tables.reduce((s, t) => s + t.graphs.length, 0)} graphs)`]);
  const w = Math.max(0, ...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.push(`${indent}  ${k.padEnd(w)}  ${v}`);
  const errors = r.messages.filter((m) => m.severity === 'error');
  const warnings = r.messages.filter((m) => m.severity === 'warning');
  for (const m of [...errors, ...warnings.slice(0, 5)]) {
    const where = m.file ? ` (${m.file}${m.line ? `:${m.line}` : ''})` : '';
    const code = m.code !== undefined ? ` [${m.className ?? ''} ${m.code}]` : '';
    out.push(`${indent}  ${m.severity}: ${m.text.split('\n')[0]}${code}${where}`);
  }
  if (warnings.length > 5) out.push(`${indent}  ... ${warnings.length - 5} more warnings`);
  for (const c of r.children) out.push(...summaryLines(c, `${indent}  `));
  return out;
}

/** What i2run adds to its end-of-job summary: where the report is, the key values, the tables found. */
export function reportSummaryLines(r: JobReport, file: string, skip: readonly string[] = []): string[] {
  const rows: [string, string][] = r.keyValues
    .filter((k) => !skip.includes(k.name))
    .map((k) => [k.label, k.text]);
  const all = (x: JobReport): LoggraphTable[] => [...x.tables, ...x.children.flatMap(all)];
  const tables = all(r);
  if (tables.length > 0)
    rows.push([
      'tables',
      `${tables.length} (${tables.reduce((s, t) => s + t.graphs.length, 0)} graphs): ccp4i2 report ${r.directory}`,
    ]);
  const w = Math.max(0, ...rows.map(([k]) => k.length));
  return [`report: ${file}`, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)];
}

/** The whole report for a terminal: summary, then every table (its own and its sub-jobs') with graphs. */
export function reportText(r: JobReport, o: TextOptions = {}): string {
  const out = [...summaryLines(r), `  directory  ${r.directory}`];
  if (o.tables !== false) {
    const all = (x: JobReport): LoggraphTable[] => [...x.tables, ...x.children.flatMap(all)];
    out.push(...tablesText(all(r), o));
  }
  return `${out.join('\n')}\n`;
}
