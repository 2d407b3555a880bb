import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { type LoggraphTable, parseLoggraph, parseLoggraphFile } from '../../src/formats/loggraph/index.js';
import {
  braillePlot,
  graphData,
  graphFileName,
  graphSvg,
  sparklines,
  tableText,
  tickLabel,
  ticks,
} from '../../src/reports/index.js';

const AIMLESS = join(__dirname, '../fixtures/logs/nt5073v16_xBAZ2BAx8281_aimless.log');

/** The elements of an SVG document, parsed by a real XML parser (a malformed document throws). */
function elements(svg: string): { name: string; attributes: Record<string, string>; text: string }[] {
  const out: { name: string; attributes: Record<string, string>; text: string }[] = [];
  const stack: (typeof out)[number][] = [];
  const p = new SaxesParser();
  p.on('opentag', (t) => {
    const e = { name: t.name, attributes: t.attributes as Record<string, string>, text: '' };
    out.push(e);
    stack.push(e);
  });
  p.on('text', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  p.on('closetag', () => stack.pop());
  p.on('error', (e) => {
    throw e;
  });
  p.write(svg).close();
  return out;
}

function table(text: string): LoggraphTable {
  const log = parseLoggraph(text);
  expect(log.tables).toHaveLength(1);
  return log.tables[0]!;
}

const SMALL = `$TABLE: Rfactor v cycle:
$GRAPHS: R and Rfree:A:1,2,3:
: Rfree from nought:N:1,3:
: fixed:0|10x0|1:1,2:
$$ Ncyc Rfact Rfree $$
$$
0 0.30 0.35
5 0.25 0.31
10 0.20 0.28
$$
`;

describe('SVG graphs', () => {
  it('a standalone, well-formed SVG: title, axes with ticks and labels, one line and legend entry per y column', () => {
    const t = table(SMALL);
    const svg = graphSvg(t, t.graphs[0]!);
    const els = elements(svg);
    expect(els[0]).toMatchObject({ name: 'svg', attributes: { xmlns: 'http://www.w3.org/2000/svg' } });
    const texts = els.filter((e) => e.name === 'text').map((e) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining(['R and Rfree', 'Rfactor v cycle', 'Ncyc', 'Rfact', 'Rfree']),
    );
    // x ticks over 0..10, y ticks over the data range 0.2..0.35 (scaling A)
    expect(texts).toEqual(expect.arrayContaining(['0', '2', '4', '6', '8', '10']));
    expect(texts).toEqual(expect.arrayContaining(['0.2', '0.25', '0.3', '0.35']));
    expect(texts).not.toContain('0.1');
    expect(els.filter((e) => e.name === 'path')).toHaveLength(2);
    expect(els.filter((e) => e.name === 'circle')).toHaveLength(6);
  });

  it('the points are where the numbers say: x left to right, y bottom to top', () => {
    const t = table(SMALL);
    const els = elements(graphSvg(t, t.graphs[0]!));
    const frame = els.find((e) => e.name === 'rect' && e.attributes.fill === 'none')!.attributes;
    const [left, top, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(frame[k]));
    // The first series (Rfact) is drawn first: its circles are the first three.
    const rfact = els
      .filter((e) => e.name === 'circle')
      .slice(0, 3)
      .map((e) => [Number(e.attributes.cx), Number(e.attributes.cy)]);
    const toData = ([cx, cy]: number[]) => [((cx! - left!) / w!) * 10, 0.35 - ((cy! - top!) / h!) * 0.15];
    const back = rfact.map(toData);
    expect(back.map(([x]) => x)).toEqual([0, 5, 10].map((v) => expect.closeTo(v, 2)));
    expect(back.map(([, y]) => y)).toEqual([0.3, 0.25, 0.2].map((v) => expect.closeTo(v, 3)));
  });

  it("the log's scaling: N puts y from 0, fixed limits are used as given", () => {
    const t = table(SMALL);
    expect(graphData(t, t.graphs[0]!).y).toEqual([0.2, 0.35]);
    expect(graphData(t, t.graphs[1]!).y).toEqual([0, 0.35]);
    const fixed = graphData(t, t.graphs[2]!);
    expect(fixed.x).toEqual([0, 10]);
    expect(fixed.y).toEqual([0, 1]);
    const texts = elements(graphSvg(t, t.graphs[2]!))
      .filter((e) => e.name === 'text')
      .map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['0', '0.2', '0.4', '0.6', '0.8', '1']));
  });

  it('a fixed range stretches to a rounded cell just beyond it (2%), and clips data further out', () => {
    const t = (y: string) =>
      table(`$TABLE: t:\n$GRAPHS: g:0|1x0|0.7625:1,2:\n$$ x y $$\n$$\n0 0.1\n1 ${y}\n$$\n`);
    const near = t('0.763');
    expect(graphData(near, near.graphs[0]!).y).toEqual([0, 0.763]);
    const far = t('0.9');
    expect(graphData(far, far.graphs[0]!).y).toEqual([0, 0.7625]);
  });

  it('missing values (-, *, NaN) break the line instead of drawing zeros', () => {
    const t = table(`$TABLE: gaps:\n$GRAPHS: g:A:1,2:\n$$ x y $$\n$$\n1 1\n2 -\n3 *\n4 NaN\n5 2\n6 3\n$$\n`);
    const d = graphData(t, t.graphs[0]!);
    expect(d.series[0]!.points).toEqual([[1, 1], null, null, null, [5, 2], [6, 3]]);
    const path = elements(graphSvg(t, t.graphs[0]!)).find((e) => e.name === 'path')!.attributes.d!;
    expect(path.match(/M/g)).toHaveLength(2);
  });

  it('every text from the log is escaped: no markup or script injection through a title or a column name', () => {
    const evil = `$TABLE: <script>alert(1)</script> & "quotes":
$GRAPHS:<svg onload=alert(2)>:A:1,2:
$$ x <img/src=x> $$
$$
1 2
2 3
$$
`;
    const t = table(evil);
    const svg = graphSvg(t, t.graphs[0]!);
    const els = elements(svg);
    expect(els.map((e) => e.name)).not.toContain('script');
    expect(els.map((e) => e.name)).not.toContain('img');
    expect(els.filter((e) => e.name === 'svg')).toHaveLength(1);
    expect(els.flatMap((e) => Object.keys(e.attributes))).not.toContain('onload');
    const texts = els.filter((e) => e.name === 'text' || e.name === 'title').map((e) => e.text);
    expect(texts).toContain('<script>alert(1)</script> & "quotes"');
    expect(texts).toContain('<svg onload=alert(2)>');
    expect(texts).toContain('<img/src=x>');
  });

  it('file names are numbered and safe whatever the title', () => {
    const t = table(SMALL);
    expect(graphFileName(0, 1, t.graphs[1]!)).toBe('01-02-rfree-from-nought.svg');
    expect(graphFileName(2, 0, { ...t.graphs[0]!, title: '../../etc/passwd' })).toBe('03-01-etc-passwd.svg');
    expect(graphFileName(0, 0, { ...t.graphs[0]!, title: '<>' })).toBe('01-01.svg');
  });

  it('every graph of the real aimless log is a well-formed SVG', () => {
    const log = parseLoggraphFile(AIMLESS);
    let n = 0;
    for (const t of log.tables)
      for (const g of t.graphs) {
        expect(elements(graphSvg(t, g))[0]!.name).toBe('svg');
        n++;
      }
    expect(n).toBe(26);
  });
});

describe('ticks', () => {
  it('round values covering the range, no float noise', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1].map((v) => expect.closeTo(v, 12)));
    expect(ticks(0, 1).map(tickLabel)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(ticks(5, 5)).toEqual([5]);
    expect(tickLabel(123456)).toBe('1.2e5');
    expect(tickLabel(0.0001)).toBe('1.0e-4');
  });
});

describe('text rendering', () => {
  it('tables as aligned columns; long tables elided in the middle with a count', () => {
    const t = table(SMALL);
    expect(tableText(t)).toEqual([
      'Ncyc  Rfact  Rfree',
      '----  -----  -----',
      '   0   0.30   0.35',
      '   5   0.25   0.31',
      '  10   0.20   0.28',
    ]);
    const log = parseLoggraphFile(AIMLESS);
    const long = log.tables[0]!;
    const lines = tableText(long, 4);
    expect(lines).toHaveLength(2 + 4 + 1);
    expect(lines[4]).toBe(`  ... ${long.rows.length - 4} more rows ...`);
    expect(lines.at(-1)!.trim().split(/\s+/)).toEqual(long.rows.at(-1));
  });

  it('sparklines rise and fall with the data; ASCII levels without Unicode', () => {
    const t = table(SMALL);
    // N scaling: 0.35, 0.31, 0.28 of 0..0.35
    expect(sparklines(t, t.graphs[1]!, 10)).toEqual(['Rfree  █▇▇  0..0.35']);
    // A scaling: 0.2..0.35
    expect(sparklines(t, t.graphs[0]!, 10, true)).toEqual(['Rfact  +-_  0.2..0.35', 'Rfree  #+=  0.2..0.35']);
  });

  it('a braille plot of a rising line has its dots rising left to right', () => {
    const t = table(`$TABLE: up:\n$GRAPHS: g:A:1,2:\n$$ x y $$\n$$\n0 0\n1 1\n2 2\n3 3\n$$\n`);
    const lines = braillePlot(t, t.graphs[0]!, 8, 4);
    expect(lines).toHaveLength(4 + 3);
    const rows = lines.slice(0, 4).map((l) => l.split('┤')[1]!);
    // bottom-left and top-right cells have dots, top-left and bottom-right are blank
    expect(rows[3]![0]).not.toBe('\u2800');
    expect(rows[0]![7]).not.toBe('\u2800');
    expect(rows[0]![0]).toBe('\u2800');
    expect(rows[3]![7]).toBe('\u2800');
    expect(lines[0]!.startsWith('3 ┤')).toBe(true);
    expect(lines.at(-1)).toBe('   x: x; y: y');
  });
});
