import { useState } from 'preact/hooks';
import type { JobReport, ReportTable } from '../types';
import { Graph } from './Graph';

/** The job report: text blocks, then each loggraph table with its graphs (interactive) and its rows. */
export function ReportView({ report }: { report: JobReport | undefined }) {
  if (!report) return <p class="muted">No report yet.</p>;
  const empty =
    report.tables.length === 0 && report.texts.length === 0 && (report.keyValues ?? []).length === 0;
  return (
    <div class="report" data-final={report.final}>
      {(report.keyValues ?? []).length > 0 ? (
        <table class="list key-values" aria-label="Key values">
          <tbody>
            {report.keyValues.map((k) => (
              <tr key={k.name}>
                <th>{k.label}</th>
                <td>
                  {k.text}
                  {k.unit ? ` ${k.unit}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {(report.messages ?? []).length > 0 ? (
        <ul class="messages">
          {report.messages.map((m, i) => (
            <li key={i} class={m.severity === 'error' ? 'error' : m.severity === 'warning' ? 'warning' : ''}>
              {m.text}
              {m.className ? (
                <span class="muted">
                  {' '}
                  [{m.className} {m.code}]
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {empty ? <p class="muted">The log has no tables or summaries (yet).</p> : null}
      {report.tables.map((t, i) => (
        <TableView key={`${i}-${t.title}`} table={t} />
      ))}
      {report.texts.map((t, i) => (
        // With tables, text blocks start folded so that the graphs stay in view (a click or Enter unfolds).
        <details key={`t${i}`} class="report-text" open={report.tables.length === 0 && t.lines.length <= 40}>
          <summary>
            {t.title ||
              t.lines
                .find((l) => /[A-Za-z]{3}/.test(l))
                ?.replace(/[#*=-]{3,}/g, '')
                .trim() ||
              'Text'}{' '}
            <span class="muted">({t.lines.length} lines)</span>
          </summary>
          <pre>{t.lines.join('\n')}</pre>
        </details>
      ))}
      {(report.outputs ?? []).length > 0 ? (
        <section>
          <h3>Outputs</h3>
          <ul>
            {report.outputs.map((o) => (
              <li key={o.name}>
                <strong>{o.name}</strong> <span class="muted">{o.className}</span>{' '}
                <span class="path">{o.path ?? '(not produced)'}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function TableView({ table }: { table: ReportTable }) {
  const [graphIndex, setGraphIndex] = useState(0);
  const [showRows, setShowRows] = useState(false);
  const g = table.graphs[Math.min(graphIndex, table.graphs.length - 1)];
  return (
    <section class="report-table" data-table={table.title}>
      <h3>
        {table.title} {table.complete ? null : <span class="badge">growing</span>}
      </h3>
      {table.graphs.length > 1 ? (
        <label>
          Graph{' '}
          <select
            value={graphIndex}
            onChange={(e) => setGraphIndex(Number((e.target as HTMLSelectElement).value))}
          >
            {table.graphs.map((gr, i) => (
              <option key={i} value={i}>
                {gr.title}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {g && table.rows.length > 0 ? <Graph table={table} graph={g} /> : null}
      <button type="button" class="link" aria-expanded={showRows} onClick={() => setShowRows(!showRows)}>
        {showRows ? 'Hide' : 'Show'} {table.rows.length} rows
      </button>
      {showRows ? (
        <div class="scroll">
          <table class="list num">
            <thead>
              <tr>
                {table.columns.map((c, i) => (
                  <th key={i}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((c, j) => (
                    <td key={j}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
