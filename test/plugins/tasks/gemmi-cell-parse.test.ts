import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGemmiMtzHeader } from '../../../src/plugins/tasks/gemmi-cell/parse.js';
import { parseMtzdumpLog } from '../../../src/plugins/tasks/mtzdump/log-parser.js';
import { errorOf } from '../../helpers/errors.js';
import { requireTool } from '../../helpers/tools.js';
import { cellArray, closeTo, expectedCell, FACTS, FIXTURES, LISTINGS } from './facts.js';

/** gemmi prints numbers with %g (6 significant digits). */
function sameG(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 5e-6 * Math.abs(expected) + 1e-9;
}

function gemmiMtz(path: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('gemmi', ['mtz', path], { encoding: 'utf8' });
}

describe.runIf(requireTool('gemmi'))('gemmi mtz header parser on real gemmi runs', () => {
  it.each(FACTS.map((f) => f.file))('%s', (file) => {
    const facts = FACTS.find((f) => f.file === file)!;
    const run = gemmiMtz(join(FIXTURES, 'data', file));
    expect(run.status).toBe(0);
    const h = parseGemmiMtzHeader(run.stdout, { file });
    const cell = cellArray(h.cell);
    expectedCell(facts).forEach((x, k) => {
      expect(sameG(cell[k], x), `cell[${k}] ${cell[k]} vs ${x}`).toBe(true);
    });
    // The header's own name ('P3221' in beta_blip), as written; the inventory normalises it.
    expect(h.spaceGroup.number).toBe(facts.sg_number);
    expect(h.spaceGroup.name.replace(/ /g, '')).toBe(facts.spacegroup.replace(/ /g, ''));
    expect(h.nref).toBe(facts.nreflections);
    expect(h.columns.map((c) => [c.label, c.type, c.dataset])).toEqual(facts.columns);
    // gemmi lists no base dataset for a file without DATASET records (beta_blip); compare the others.
    expect(h.datasets.filter((d) => d.id > 0).map((d) => [d.id, d.project, d.crystal, d.dataset])).toEqual(
      facts.datasets.filter((d) => d[0] > 0).map((d) => d.slice(0, 4)),
    );
    expect(closeTo(h.resolution.low, facts.resolution[0], 2)).toBe(true);
    expect(closeTo(h.resolution.high, facts.resolution[1], 2)).toBe(true);
    // The same cell (to the listing's precision) as the mtzdump wrapper reads from CCP4's listing.
    const listing = join(LISTINGS, `${basename(file, '.mtz')}.txt`);
    const m = parseMtzdumpLog(readFileSync(listing, 'latin1'));
    expect(m.cellSource).toBe(h.cellSource);
    cellArray(m.cell).forEach((x, k) => {
      expect(closeTo(x, cell[k], 4)).toBe(true);
    });
  });

  it('gemmi failing on a PDB file prints nothing to parse: error 101', () => {
    const run = gemmiMtz(join(FIXTURES, 'data/gamma/gamma_model.pdb'));
    expect(run.status).not.toBe(0);
    const e = errorOf(() => parseGemmiMtzHeader(run.stdout, { file: 'stdout.txt' }));
    expect(e).toMatchObject({ className: 'gemmi_cell', code: 101, file: 'stdout.txt' });
  });
});

describe('bad gemmi output: error 101 with the line', () => {
  const good = gemmiText();
  const lineOf = (needle: string) => good.slice(0, good.indexOf(needle)).split('\n').length;

  it.each([
    ['truncated before the columns', good.slice(0, good.indexOf('Header info')), lineOf('Header info')],
    ['a dataset without wavelength', good.replace('  wavelength  1.5418\n', ''), lineOf('Dataset    1')],
    [
      'zero cell',
      good.replace('Global Cell (obsolete):  34.0887', 'Global Cell (obsolete):  0'),
      lineOf('Global Cell'),
    ],
    ['garbled column', good.replace('Iplus        K  1', 'Iplus        K  x'), lineOf('Iplus        K')],
    ['missing column', good.replace(/SIGIminus .*\n/, ''), lineOf('Column    Type')],
  ])('%s', (_, text, line) => {
    const e = errorOf(() => parseGemmiMtzHeader(text, { file: 'out.txt' }));
    expect(e.code).toBe(101);
    expect(e.line ?? lineOf('Header info')).toBe(line);
  });
});

/** A real `gemmi mtz` output, recorded so that these cases run without gemmi too. */
function gemmiText(): string {
  return readFileSync(join(FIXTURES, 'tasks/gemmi-mtz-merged_intensities_native.txt'), 'utf8');
}
