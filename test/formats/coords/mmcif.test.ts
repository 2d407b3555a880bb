import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CoordErrorCode,
  parseCoordCell,
  readCoordCell,
  replaceCoordCell,
  writeCoordCell,
} from '../../../src/formats/coords/index.js';
import { requireTool } from '../../helpers/tools.js';
import { gemmiFractionalisation, gemmiReadStructure, requirePythonGemmi } from './gemmi-py.js';
import { COORDS, cellOf, lines, printed, rejection, tempDir, thrown } from './helpers.js';

const SMALL = join(COORDS, '4hg7_small.cif');
const LOOP = join(COORDS, '4hg7_loop.cif');
const MTZ_CELL = [34.089, 54.816, 68.011, 90, 90, 90];
const MONO = [50.123, 60.456, 70.789, 90, 105.37, 90];

function changed(before: string[], after: string[]): string[] {
  expect(after.length).toBe(before.length);
  return after.filter((l, i) => l !== before[i]);
}

describe('reading mmCIF cells', () => {
  it('key-value items written by gemmi, with fract_transf', async () => {
    const info = await readCoordCell(SMALL);
    expect(info).toMatchObject({
      format: 'mmcif',
      cell: cellOf([71.45, 71.45, 104.204, 90, 90, 120]),
      spaceGroup: 'P 65 2 2',
      spaceGroupNumber: 179,
      z: 12,
    });
    expect(info.fractionalisation?.matrix[0]).toEqual([0.0139958013, 0.00808047962, -0]);
    expect(lines(SMALL)[info.line - 1]).toBe('_cell.length_a 71.45');
  });

  it('a _cell loop with a standard uncertainty, _space_group items, a lookalike in a text field', async () => {
    const info = await readCoordCell(LOOP);
    expect(info.cell).toEqual(cellOf([71.45, 71.45, 104.204, 90, 90, 120]));
    expect(info.spaceGroup).toBe('P 65 2 2');
    expect(info.spaceGroupNumber).toBe(179);
    expect(info.z).toBe(12);
  });

  it('agrees with gemmi on the real file', async () => {
    if (!(requireTool('gemmi') && requirePythonGemmi())) return;
    const info = await readCoordCell(SMALL);
    const g = gemmiReadStructure(SMALL);
    expect(Object.values(info.cell)).toEqual(g.cell);
    expect(info.spaceGroup).toBe(g.sg);
  });
});

describe('writing mmCIF cells', () => {
  const haveGemmi = requireTool('gemmi') && requirePythonGemmi();

  it.each([
    ['orthorhombic (the MTZ cell)', MTZ_CELL],
    ['monoclinic', MONO],
  ])('4hg7_small.cif + %s: _cell and fract_transf rewritten, every other line unchanged', async (_, cell) => {
    const out = join(tempDir(), 'out.cif');
    const r = await writeCoordCell(SMALL, out, { cell: cellOf(cell) });
    expect(r).toMatchObject({ format: 'mmcif', cellInserted: false, fractionalisationRewritten: true });
    const diff = changed(lines(SMALL), lines(out));
    expect(diff.slice(0, 6)).toEqual([
      `_cell.length_a ${cell[0].toFixed(3)}`,
      `_cell.length_b ${cell[1].toFixed(3)}`,
      `_cell.length_c ${cell[2].toFixed(3)}`,
      `_cell.angle_alpha ${cell[3].toFixed(2)}`,
      `_cell.angle_beta ${cell[4].toFixed(2)}`,
      `_cell.angle_gamma ${cell[5].toFixed(2)}`,
    ]);
    // The 9 matrix items, and the three vector items that were "0" and are now "0.00000".
    expect(diff.slice(6).map((l) => l.split(' ')[0])).toEqual([
      '_atom_sites.fract_transf_matrix[1][1]',
      '_atom_sites.fract_transf_matrix[1][2]',
      '_atom_sites.fract_transf_matrix[1][3]',
      '_atom_sites.fract_transf_vector[1]',
      '_atom_sites.fract_transf_matrix[2][1]',
      '_atom_sites.fract_transf_matrix[2][2]',
      '_atom_sites.fract_transf_matrix[2][3]',
      '_atom_sites.fract_transf_vector[2]',
      '_atom_sites.fract_transf_matrix[3][1]',
      '_atom_sites.fract_transf_matrix[3][2]',
      '_atom_sites.fract_transf_matrix[3][3]',
      '_atom_sites.fract_transf_vector[3]',
    ]);
    const info = await readCoordCell(out);
    expect(info.cell).toEqual(cellOf(cell));
    expect(info.spaceGroup).toBe('P 65 2 2');
    if (!haveGemmi) return;
    const [frac] = gemmiFractionalisation([cell]);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        expect(printed(info.fractionalisation!.matrix[i][j], 6)).toBe(printed(frac[i][j], 6));
    const seen = gemmiReadStructure(out);
    for (let k = 0; k < 6; k++) expect(seen.cell[k]).toBeCloseTo(cell[k], 3);
  });

  it('the loop variant: values replaced in place on the loop row, _space_group name and number', async () => {
    const out = join(tempDir(), 'out.cif');
    await writeCoordCell(LOOP, out, { cell: cellOf(MONO), spaceGroup: 'P 1 21 1', spaceGroupNumber: 4 });
    const diff = changed(lines(LOOP), lines(out));
    expect(diff.slice(0, 5)).toEqual([
      '4HG7 50.123 60.456 70.789 90.00 105.37 90.00 12 ?',
      "_space_group.name_H-M_alt 'P 1 21 1'",
      '_space_group.IT_number 4',
      '_space_group.name_Hall ?',
      // the text field's lookalike is untouched; the next change is fract_transf
      '_atom_sites.fract_transf_matrix[1][1] 0.019951',
    ]);
    const info = await readCoordCell(out);
    expect(info).toMatchObject({ cell: cellOf(MONO), spaceGroup: 'P 1 21 1', spaceGroupNumber: 4, z: 12 });
  });

  it('the same space group name is no change; a new one without a number makes the number unknown', () => {
    const text = readFileSync(SMALL, 'latin1');
    const same = replaceCoordCell(text, {
      cell: cellOf([71.45, 71.45, 104.204, 90, 90, 120]),
      spaceGroup: 'p 65  2 2',
    });
    expect(same.text).toContain(
      "_symmetry.space_group_name_H-M 'P 65 2 2'\n_symmetry.Int_Tables_number 179\n",
    );
    const other = replaceCoordCell(text, { cell: cellOf(MTZ_CELL), spaceGroup: 'P 21 21 21' });
    expect(other.text).toContain(
      "_symmetry.space_group_name_H-M 'P 21 21 21'\n_symmetry.Int_Tables_number ?\n",
    );
  });

  it('a file without _cell gets the items after its data_ line', () => {
    const text = 'data_x\n#\nloop_\n_atom_type.symbol\nC\nN\n';
    const r = replaceCoordCell(text, { cell: cellOf(MONO), spaceGroup: 'P 1 21 1', spaceGroupNumber: 4 });
    expect(r.cellInserted).toBe(true);
    expect(r.text.split('\n').slice(0, 10)).toEqual([
      'data_x',
      '_cell.length_a 50.123',
      '_cell.length_b 60.456',
      '_cell.length_c 70.789',
      '_cell.angle_alpha 90.00',
      '_cell.angle_beta 105.37',
      '_cell.angle_gamma 90.00',
      "_symmetry.space_group_name_H-M 'P 1 21 1'",
      '_symmetry.Int_Tables_number 4',
      '#',
    ]);
    expect(parseCoordCell(r.text).cell).toEqual(cellOf(MONO));
  });

  it('CRLF files keep their line ends, added lines included', () => {
    const text = readFileSync(SMALL, 'latin1').replace(/\n/g, '\r\n');
    const r = replaceCoordCell(text, { cell: cellOf(MTZ_CELL) });
    expect(r.text.split('\r\n').length).toBe(r.text.split('\n').length);
    expect(r.text).toContain('_cell.length_a 34.089\r\n');
    const ins = replaceCoordCell('data_x\r\n_atom_type.symbol C\r\n', { cell: cellOf(MTZ_CELL) });
    expect(ins.text.split('\r\n').length).toBe(ins.text.split('\n').length);
  });
});

describe('bad mmCIF input: coded errors with file and line', () => {
  const text = readFileSync(SMALL, 'latin1');
  const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

  it.each([
    [
      'truncated inside a quoted string',
      text.slice(0, text.indexOf("'P 65 2 2'") + 4),
      106,
      lineOf("'P 65 2 2'"),
    ],
    [
      'truncated after a tag',
      text.slice(0, text.indexOf('_cell.length_c') + 15),
      106,
      lineOf('_cell.length_c'),
    ],
    ['truncated in the atom loop', text.slice(0, text.indexOf('\n20 C') + 12), 106, lineOf('_atom_site.id')],
    ['no cell', text.replace(/_cell\.[^\n]*\n/g, ''), 103, undefined],
    [
      'cell length unknown',
      text.replace('_cell.length_b 71.45', '_cell.length_b ?'),
      103,
      lineOf('_cell.length_b'),
    ],
    ['incomplete cell', text.replace('_cell.angle_beta 90\n', ''), 103, lineOf('_cell.length_a')],
    [
      'malformed number',
      text.replace('_cell.length_b 71.45', '_cell.length_b 71.4.5'),
      104,
      lineOf('_cell.length_b'),
    ],
    ['NaN cell', text.replace('_cell.length_b 71.45', '_cell.length_b NaN'), 104, lineOf('_cell.length_b')],
    ['zero cell', text.replace('_cell.length_b 71.45', '_cell.length_b 0'), 105, lineOf('_cell.length_a')],
    ['value without tag', text.replace('_cell.Z_PDB 12', '_cell.Z_PDB 12 13'), 106, lineOf('_cell.Z_PDB')],
  ])('%s', (_, bad, code, line) => {
    const e = thrown(() => parseCoordCell(bad, { file: 'bad.cif' }));
    expect(e.code).toBe(code);
    expect(e.file).toBe('bad.cif');
    expect(e.line).toBe(line);
  });

  it('an unterminated text field names its opening line', () => {
    const e = thrown(() =>
      parseCoordCell('data_x\n_cell.length_a 1\n_struct.title\n;never closed\n', { file: 'f' }),
    );
    expect(e).toMatchObject({ code: 106, line: 4 });
  });

  it('a truncated file on disk', async () => {
    const p = join(tempDir(), 'trunc.cif');
    writeFileSync(p, text.slice(0, text.indexOf('\n3 C 0.2542') + 9));
    const e = await rejection(readCoordCell(p));
    expect(e.code).toBe(CoordErrorCode.CIF_SYNTAX);
    expect(e.file).toBe(p);
    expect(e.line).toBeGreaterThan(0);
    expect((await rejection(writeCoordCell(p, `${p}.out`, { cell: cellOf(MTZ_CELL) }))).code).toBe(106);
  });
});
