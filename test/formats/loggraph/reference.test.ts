import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  collector,
  LoggraphParser,
  type LoggraphTable,
  parseLoggraph,
  parseLoggraphFile,
} from '../../../src/formats/loggraph/index.js';

const DIR = join(__dirname, '../../fixtures/logs');
interface RefTable {
  title: string;
  columns: string[];
  nrows: number;
  graphs: { title: string; columns: number[] }[];
  rows: (string | number)[][];
}
const reference = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as Record<string, RefTable[]>;

/**
 * smartie stores a cell that Python's int() accepts as an int; we keep every cell as the text written
 * (docs/reports.md). A cell matches when it is the same text, or an integer literal of the same value.
 */
function sameCell(ours: string, ref: string | number): boolean {
  if (typeof ref === 'number') return /^[-+]?\d+$/.test(ours) && Number(ours) === ref;
  return ours === ref;
}

function asReference(t: LoggraphTable) {
  return {
    title: t.title,
    columns: t.columns,
    nrows: t.rows.length,
    graphs: t.graphs.map((g) => ({ title: g.title, columns: g.columns })),
  };
}

describe('loggraph parser on real CCP4 logs (reference.json from smartie)', () => {
  for (const [name, tables] of Object.entries(reference)) {
    it(`${name}: ${tables.length} tables as smartie reads them`, () => {
      const log = parseLoggraphFile(join(DIR, name));
      expect(log.tables.map(asReference)).toEqual(
        tables.map(({ title, columns, nrows, graphs }) => ({ title, columns, nrows, graphs })),
      );
      let cells = 0;
      const mismatches: string[] = [];
      tables.forEach((ref, i) => {
        ref.rows.forEach((row, r) => {
          expect(log.tables[i].rows[r]).toHaveLength(row.length);
          row.forEach((c, k) => {
            cells++;
            const ours = log.tables[i].rows[r][k];
            if (!sameCell(ours, c)) mismatches.push(`${ref.title} row ${r} col ${k}: ${ours} vs ${c}`);
          });
        });
      });
      expect(mismatches).toEqual([]);
      expect(cells).toBeGreaterThan(0);
      expect(log.tables.every((t) => t.complete)).toBe(true);
      expect(log.warnings).toEqual([]);
    });
  }

  it('counts: 21 tables, 46 graphs, 5,520 aimless rows', () => {
    const logs = Object.keys(reference).map((n) => parseLoggraphFile(join(DIR, n)));
    expect(logs.reduce((s, l) => s + l.tables.length, 0)).toBe(21);
    expect(logs.reduce((s, l) => s + l.tables.reduce((g, t) => g + t.graphs.length, 0), 0)).toBe(46);
    const aimless = parseLoggraphFile(join(DIR, 'nt5073v16_xBAZ2BAx8281_aimless.log'));
    expect(aimless.tables.reduce((s, t) => s + t.rows.length, 0)).toBe(5520);
  });

  it('keeps the text written: -0 stays -0 (smartie makes it 0), 0.00 stays 0.00', () => {
    const log = parseLoggraphFile(join(DIR, 'nt5073v16_xBAZ2BAx8281_pointless.log'));
    const axial = log.tables[1];
    expect(axial.rows.find((r) => r[0] === '23')).toEqual(['23', '-0', '3', '-0.18', '0.00']);
  });

  it('reads the graphs scaling as the log asks', () => {
    const log = parseLoggraphFile(join(DIR, 'nt5073v16_xBAZ2BAx8281_aimless.log'));
    const res = log.tables.find((t) => t.title === 'Analysis against resolution, SAD') as LoggraphTable;
    expect(res.graphs[0].scaling).toEqual({
      mode: 'fixed',
      raw: '0|0.277005x0|54.996',
      xmin: 0,
      xmax: 0.277005,
      ymin: 0,
      ymax: 54.996,
    });
    const scales = log.tables[0];
    expect(scales.graphs.map((g) => g.scaling.mode)).toEqual(['nought', 'auto']);
  });

  it('$TEXT blocks and summaries, with the HTML markup removed', () => {
    const log = parseLoggraphFile(join(DIR, 'nt5073v16_xBAZ2BAx8281_pointless.log'));
    const titles = log.texts.map((t) => `${t.kind}:${t.title}`);
    expect(titles).toEqual(['text:Warning', 'text:Warning', 'summary:', 'text:Result', 'text:Reference']);
    expect(log.texts[2].lines[0]).toMatch(/^\s+Zone\s+Number PeakHeight/);
    const result = log.texts[3];
    expect(result.lines[0]).toBe('Best Solution:    space group C 2 2 21');
    const ref = log.texts[4].lines.join('\n');
    expect(ref).not.toMatch(/<a |<b>|<\/a>/);
    const truncate = parseLoggraphFile(join(DIR, 'nt5073v16_xBAZ2BAx8281_SAD_truncate.log'));
    const summaries = truncate.texts.filter((t) => t.kind === 'summary');
    expect(summaries.length).toBeGreaterThan(3);
    expect(summaries.every((s) => s.lines.every((l) => !/<\/?(font|b|html|pre|hr)\b|<!--/i.test(l)))).toBe(
      true,
    );
  });

  for (const name of Object.keys(reference)) {
    it(`${name}: line by line, and in chunks of any size, gives what whole-file parsing gives`, () => {
      const text = readFileSync(join(DIR, name), 'utf8');
      const whole = parseLoggraph(text);
      const byLine = collector();
      const p = new LoggraphParser(byLine.handlers);
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      for (const l of lines) p.push(l);
      p.end();
      byLine.log.lines = p.lineNumber;
      expect(byLine.log).toEqual(whole);
      for (const size of [1, 7, 4096]) {
        const c = collector();
        const q = new LoggraphParser(c.handlers);
        for (let i = 0; i < text.length; i += size) q.write(text.slice(i, i + size));
        q.end();
        c.log.lines = q.lineNumber;
        expect(c.log).toEqual(whole);
      }
    });
  }

  it('emits a table when its header is read and each row as it arrives', () => {
    const events: string[] = [];
    const p = new LoggraphParser({
      table: (t) => events.push(`table ${t.title} ${t.columns.length} rows=${t.rows.length}`),
      row: (t, r) => events.push(`row ${t.rows.length} ${r[0]}`),
      tableEnd: (t) => events.push(`end ${t.complete}`),
    });
    const lines = ['$TABLE: Rfactor v cycle:', '$GRAPHS:R:N:1,2:', '$$ Cycle R $$', '$$'];
    for (const l of lines) p.push(l);
    expect(events).toEqual(['table Rfactor v cycle 2 rows=0']);
    p.push('1 0.30');
    expect(events.at(-1)).toBe('row 1 1');
    p.push('2 0.25');
    p.push('$$');
    expect(events).toEqual(['table Rfactor v cycle 2 rows=0', 'row 1 1', 'row 2 2', 'end true']);
  });
});
