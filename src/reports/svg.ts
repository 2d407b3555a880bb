import type { LoggraphGraph, LoggraphTable } from '../formats/loggraph/index.js';
import { graphData, tickLabel, ticks } from './axes.js';

/** Escapes text for SVG/XML content and attribute values: nothing from a log can become markup. */
export function escapeXml(s: string): string {
  return s
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

/** Colour-blind-safe palette (Okabe–Ito). */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

const DASHES = ['', '7 4', '2 3', '10 3 2 3'];

const W = 720;
const H = 440;
const M = { left: 78, right: 170, top: 52, bottom: 58 };
const CLIP = 4;

/**
 * A graph of a loggraph table as a standalone SVG document: axes with ticks and labels, the scaling the
 * log asked for, one line (GRAPHS) or set of points (SCATTER) per y column, a legend. Every text that
 * came from the log is escaped.
 */
export function graphSvg(table: LoggraphTable, graph: LoggraphGraph): string {
  const d = graphData(table, graph);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => M.left + ((x - d.x[0]) / (d.x[1] - d.x[0])) * pw;
  const sy = (y: number) => M.top + ph - ((y - d.y[0]) / (d.y[1] - d.y[0])) * ph;
  const f = (v: number) => v.toFixed(2);
  const out: string[] = [];
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(`${graph.title.trim()} — ${table.title}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(graph.title.trim())}</text>`,
    `<text x="${W / 2}" y="38" text-anchor="middle" fill="#555555">${escapeXml(table.title)}</text>`,
    // Clipped a few pixels outside the frame: points on the edge stay whole, data beyond it is cut.
    `<defs><clipPath id="plot"><rect x="${M.left - CLIP}" y="${M.top - CLIP}" width="${pw + 2 * CLIP}" height="${ph + 2 * CLIP}"/></clipPath></defs>`,
  );
  // grid, ticks and tick labels
  for (const t of ticks(d.x[0], d.x[1])) {
    const x = f(sx(t));
    out.push(
      `<line x1="${x}" y1="${M.top}" x2="${x}" y2="${M.top + ph}" stroke="#e5e5e5"/>`,
      `<line x1="${x}" y1="${M.top + ph}" x2="${x}" y2="${M.top + ph + 5}" stroke="#000000"/>`,
      `<text x="${x}" y="${M.top + ph + 18}" text-anchor="middle">${escapeXml(tickLabel(t))}</text>`,
    );
  }
  for (const t of ticks(d.y[0], d.y[1])) {
    const y = f(sy(t));
    out.push(
      `<line x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}" stroke="#e5e5e5"/>`,
      `<line x1="${M.left - 5}" y1="${y}" x2="${M.left}" y2="${y}" stroke="#000000"/>`,
      `<text x="${M.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(tickLabel(t))}</text>`,
    );
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#000000"/>`);
  // axis labels
  out.push(
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle" font-weight="bold">${escapeXml(d.xName)}</text>`,
  );
  if (d.series.length === 1)
    out.push(
      `<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-weight="bold">${escapeXml(d.series[0].name)}</text>`,
    );
  // data
  out.push('<g clip-path="url(#plot)">');
  // Later series are drawn over earlier ones, dashed, so that one identical to another (Rmerge and Rfull,
  // often) shows both colours. Dense series (per batch) are thin solid lines, the first on top: it is the
  // one the log graphs against the noisy rest (aimless's smoothed SmRmerge over Rmerge).
  const dense = table.rows.length > 200;
  const order = d.series.map((_, i) => i);
  if (dense) order.reverse();
  for (const i of order) {
    const s = d.series[i];
    const colour = COLOURS[i % COLOURS.length];
    if (table.type !== 'SCATTER') {
      let path = '';
      let pen = false;
      for (const p of s.points) {
        if (!p) {
          pen = false;
          continue;
        }
        path += `${pen ? 'L' : 'M'}${f(sx(p[0]))} ${f(sy(p[1]))}`;
        pen = true;
      }
      const dash = dense ? '' : DASHES[i % DASHES.length];
      if (path)
        out.push(
          `<path d="${path}" fill="none" stroke="${colour}" stroke-width="${dense ? 1 : 1.6}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
        );
    }
    // Each later series' points are a little smaller: an identical earlier point stays visible as a ring.
    const r = dense ? 1.5 : Math.max(1.4, 3.2 - 0.5 * i);
    if (table.type === 'SCATTER' || !dense)
      for (const p of s.points)
        if (p) out.push(`<circle cx="${f(sx(p[0]))}" cy="${f(sy(p[1]))}" r="${r}" fill="${colour}"/>`);
  }
  out.push('</g>');
  // legend
  d.series.forEach((s, i) => {
    const y = M.top + 10 + i * 20;
    const x = M.left + pw + 14;
    const colour = COLOURS[i % COLOURS.length];
    out.push(
      `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${colour}" stroke-width="2.5"${DASHES[i % DASHES.length] && table.type !== 'SCATTER' && !dense ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : ''}/>`,
      `<text x="${x + 28}" y="${y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}

/** A file name for graph `g` of table `t` (both zero-based): `03-02-rmerge-v-resolution.svg`. */
export function graphFileName(t: number, g: number, graph: LoggraphGraph): string {
  const slug = graph.title
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  const n = (k: number) => String(k + 1).padStart(2, '0');
  return `${n(t)}-${n(g)}${slug ? `-${slug}` : ''}.svg`;
}
