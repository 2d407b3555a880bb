import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isCcp4Error } from '../../../src/errors/ccp4-error.js';
import {
  cellNumber,
  LoggraphParser,
  type LoggraphWarning,
  parseLoggraph,
  parseLoggraphFile,
} from '../../../src/formats/loggraph/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'loggraph-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const AIMLESS = join(__dirname, '../../fixtures/logs/nt5073v16_xBAZ2BAx8281_aimless.log');

const codes = (w: LoggraphWarning[]) => w.map((x) => `${x.code}@${x.line}`);

describe('loggraph: bad input gives warnings with line numbers, never a crash', () => {
  it('missing values (-, *, NaN) are kept as written and read as null', () => {
    const log = parseLoggraph(
      ['$TABLE: t:', '$GRAPHS: g:A:1,2,3:', '$$ a b c $$', '$$', '1 - 2.5', '2 * NaN', '$$'].join('\n'),
    );
    expect(log.tables[0].rows).toEqual([
      ['1', '-', '2.5'],
      ['2', '*', 'NaN'],
    ]);
    expect(log.tables[0].rows.flat().map(cellNumber)).toEqual([1, null, 2.5, 2, null, null]);
    expect(log.warnings).toEqual([]);
  });

  it('ragged rows: warning with the line, missing cells empty, extra cells dropped, the rest kept', () => {
    const log = parseLoggraph(
      [
        '',
        '$TABLE: t:',
        '$GRAPHS: g:N:1,2:',
        '$$ a b c $$',
        '$$',
        '1 2 3',
        '4 5',
        '6 7 8 9',
        '10 11 12',
        '$$',
      ].join('\n'),
    );
    expect(log.tables[0].rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', ''],
      ['6', '7', '8'],
      ['10', '11', '12'],
    ]);
    expect(codes(log.warnings)).toEqual(['ragged-row@7', 'ragged-row@8']);
    expect(log.warnings[0].message).toContain('row of 2 cells under 3 column headers');
  });

  it('a table that never closes (a program that died): warning naming its line, rows kept', () => {
    const log = parseLoggraph(
      ['x', '$TABLE: Rfactor:', '$GRAPHS: g:N:1,2:', '$$ a b $$ $$', '1 2', '3 4'].join('\n'),
    );
    expect(log.tables).toHaveLength(1);
    expect(log.tables[0].complete).toBe(false);
    expect(log.tables[0].rows).toHaveLength(2);
    expect(codes(log.warnings)).toEqual(['unterminated-table@2']);
    expect(log.warnings[0].message).toMatch(/'Rfactor' \(line 2\) is not closed.*2 rows are kept/);
  });

  it('a new $TABLE while one is open ends the first with a warning; both kept', () => {
    const log = parseLoggraph(
      [
        '$TABLE: one:',
        '$GRAPHS: g:N:1,2:',
        '$$ a b $$ $$',
        '1 2',
        '$TABLE: two:',
        '$GRAPHS: h:N:1,2:',
        '$$ c d $$ $$',
        '5 6',
        '$$',
      ].join('\n'),
    );
    expect(log.tables.map((t) => [t.title, t.complete, t.rows.length])).toEqual([
      ['one', false, 1],
      ['two', true, 1],
    ]);
    expect(codes(log.warnings)).toEqual(['unterminated-table@1']);
  });

  it('header sections and text blocks that never close, $TABLE without $GRAPHS', () => {
    const log = parseLoggraph(
      [
        '$TABLE: lonely:',
        'some text',
        '$TABLE: half:',
        '$GRAPHS: g:N:1,2:',
        '$$ a b',
        '$TEXT:Warning: $$ $$',
        'careful',
        '',
      ].join('\n'),
    );
    expect(log.tables).toEqual([]);
    expect(codes(log.warnings)).toEqual(['no-graphs@1', 'unterminated-table@3', 'unterminated-text@6']);
    expect(log.texts).toMatchObject([
      { kind: 'text', title: 'Warning', lines: ['careful'], complete: false },
    ]);
  });

  it('$GRAPHS naming columns that do not exist: warning, those columns dropped', () => {
    const log = parseLoggraph(
      [
        '$TABLE: t:',
        '$GRAPHS: good:N:1,2: :bad:N:1,5,0,x:',
        ':worse:1|2x3:1,9:',
        '$$ a b c $$',
        '$$',
        '1 2 3',
        '$$',
      ].join('\n'),
    );
    const t = log.tables[0];
    expect(t.graphs.map((g) => [g.title, g.columns])).toEqual([
      [' good', [0, 1]],
      ['bad', [0]],
      ['worse', [0]],
    ]);
    expect(codes(log.warnings)).toEqual([
      'missing-column@2',
      'missing-column@2',
      'bad-graph@2',
      'bad-graph@2',
      'bad-scaling@2',
      'missing-column@2',
      'bad-graph@2',
    ]);
    expect(log.warnings[0].message).toBe("table 't': graph 'bad' names column 5 but the table has 3 columns");
  });

  it('one-line tables, $SCATTER, a title with a colon, the HTML the log is wrapped in', () => {
    const log = parseLoggraph(
      [
        '<html><pre>',
        '$TABLE :Reflections: $SCATTER :I v sigI:0|10x-1|2.5:1,2: $$ I sigI $$ $$ 1 2 3 4 $$',
        '<B><FONT COLOR="#FF0000"><!--SUMMARY_BEGIN--> $TABLE: Stats: cycle 3:',
        '$GRAPHS: R:N:1,2:',
        '$$ <I> <I**2> $$',
        '$$',
        '1 2',
        '$$ <!--SUMMARY_END--></FONT></B>',
        '</pre></html>',
      ].join('\n'),
    );
    expect(log.tables.map((t) => [t.title, t.type, t.columns, t.rows])).toEqual([
      [
        'Reflections',
        'SCATTER',
        ['I', 'sigI'],
        [
          ['1', '2'],
          ['3', '4'],
        ],
      ],
      ['Stats: cycle 3', 'GRAPHS', ['<I>', '<I**2>'], [['1', '2']]],
    ]);
    expect(log.tables[0].graphs[0].scaling).toMatchObject({
      mode: 'fixed',
      xmin: 0,
      xmax: 10,
      ymin: -1,
      ymax: 2.5,
    });
    expect(log.warnings).toEqual([]);
  });

  it('binary garbage: no crash, no table, bounded warnings', () => {
    let seed = 42;
    const bytes = Buffer.alloc(4 << 20);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = seed >> 16;
    }
    // sprinkle loggraph markers so that the state machine is exercised
    const marks = ['$TABLE:', '$GRAPHS:', '$$', '$TEXT:', '<!--SUMMARY_BEGIN-->'];
    for (let i = 0; i < 2000; i++)
      Buffer.from(marks[i % marks.length]).copy(bytes, (i * 2029) % (bytes.length - 32));
    const file = join(tmp, 'garbage.log');
    const fd = openSync(file, 'w');
    writeSync(fd, bytes);
    closeSync(fd);
    const log = parseLoggraphFile(file);
    expect(log.lines).toBeGreaterThan(1000);
    expect(log.warnings.length).toBeLessThanOrEqual(2001);
  });

  it('a table with 10^6 rows: the first maxRows kept, one warning', () => {
    const lines = ['$TABLE: big:', '$GRAPHS: g:N:1,2:', '$$ n x $$ $$'];
    const p = new LoggraphParser({}, { maxRows: 100_000 });
    const warnings: LoggraphWarning[] = [];
    let rows = 0;
    const q = new LoggraphParser(
      { row: () => rows++, warning: (w) => warnings.push(w) },
      { maxRows: 100_000 },
    );
    for (const l of lines) q.push(l);
    for (let i = 1; i <= 1_000_000; i++) q.push(`${i} ${i * 0.5}`);
    q.push('$$');
    q.end();
    expect(rows).toBe(100_000);
    expect(codes(warnings)).toEqual(['too-many-rows@100004']);
    p.end();
  });

  it('a header of 10^4 columns: the first maxColumns kept, rows cut to match, one warning', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    const row = Array.from({ length: 10_000 }, (_, i) => String(i)).join(' ');
    const log = parseLoggraph(
      ['$TABLE: wide:', '$GRAPHS: g:N:1,2,9999:', `$$ ${names.join(' ')} $$ $$`, row, row, '$$'].join('\n'),
    );
    const t = log.tables[0];
    expect(t.columns).toHaveLength(2000);
    expect(t.rows.map((r) => r.length)).toEqual([2000, 2000]);
    expect(t.graphs[0].columns).toEqual([0, 1]);
    expect(codes(log.warnings)).toEqual(['too-many-columns@3', 'missing-column@2']);
  });

  it('a line of 300 MB worth of text with no newline is cut, with a warning', () => {
    const p = new LoggraphParser({}, { maxLineLength: 1 << 20 });
    const warnings: LoggraphWarning[] = [];
    const q = new LoggraphParser({ warning: (w) => warnings.push(w) });
    const chunk = 'x'.repeat(1 << 20);
    for (let i = 0; i < 300; i++) q.write(chunk);
    q.write('\n$TABLE: after:\n$GRAPHS: g:N:1,2:\n$$ a b $$ $$\n1 2\n$$\n');
    q.end();
    expect(codes(warnings)).toEqual(['line-too-long@1']);
    p.end();
  });

  it('a 200 MB log streams with bounded memory', () => {
    const file = join(tmp, 'big.log');
    const aimless = readFileSync(AIMLESS);
    const fd = openSync(file, 'w');
    for (let i = 0; i < Math.ceil((200 << 20) / aimless.length); i++) writeSync(fd, aimless);
    closeSync(fd);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let tables = 0;
    let rows = 0;
    parseLoggraphFile(file, {
      collect: false,
      handlers: {
        row: () => rows++,
        tableEnd: () => {
          tables++;
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        },
      },
    });
    expect(tables).toBe(10 * Math.ceil((200 << 20) / aimless.length));
    expect(rows).toBe(5520 * Math.ceil((200 << 20) / aimless.length));
    // Garbage collection is lazy: the bound is generous, but far below the 200 MB the file holds.
    expect(peak - before).toBeLessThan(150 << 20);
  });

  it('a file that cannot be read is a coded error naming it', () => {
    for (const f of [join(tmp, 'nope.log'), tmp]) {
      try {
        parseLoggraphFile(f);
        expect.unreachable();
      } catch (e) {
        expect(isCcp4Error(e)).toBe(true);
        if (isCcp4Error(e)) expect([e.className, e.file]).toEqual(['LoggraphParser', f]);
      }
    }
  });
});
