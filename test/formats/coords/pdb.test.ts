import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoordErrorCode, readCoordCell, writeCoordCell } from '../../../src/formats/coords/index.js';
import { requireTool } from '../../helpers/tools.js';
import { gemmiFractionalisation, gemmiReadStructure, requirePythonGemmi } from './gemmi-py.js';
import { cellOf, DATA, lines, printed, rejection, tempDir } from './helpers.js';

const GAMMA = join(DATA, 'gamma/gamma_model.pdb');
const MDM2 = join(DATA, 'mdm2/4hg7.pdb');
const RNASE = join(DATA, 'rnase/rnase_model.pdb');
const BETA = join(DATA, 'beta_blip/beta.pdb');
/** The cell of gamma/merged_intensities_native.mtz as CCP4i2 passes it on (issue 5's acceptance). */
const MTZ_CELL = [34.089, 54.816, 68.011, 90, 90, 90];

describe('reading CRYST1 and SCALEn from real PDB files', () => {
  it('gamma_model.pdb', async () => {
    const info = await readCoordCell(GAMMA);
    expect(info).toMatchObject({
      format: 'pdb',
      cell: cellOf([34.162, 54.818, 68.052, 90, 90, 90]),
      spaceGroup: 'P 21 21 21',
    });
    expect(info.z).toBeUndefined();
    expect(info.fractionalisation?.matrix[0][0]).toBe(0.029272);
    expect(info.fractionalisation?.matrix[2][2]).toBe(0.014695);
    expect(lines(GAMMA)[info.line - 1]).toMatch(/^CRYST1/);
  });

  it('4hg7.pdb: hexagonal cell, Z, ORIGX ignored, SCALE read', async () => {
    const info = await readCoordCell(MDM2);
    expect(info.cell).toEqual(cellOf([71.45, 71.45, 104.204, 90, 90, 120]));
    expect(info.spaceGroup).toBe('P 65 2 2');
    expect(info.z).toBe(12);
    expect(info.fractionalisation?.matrix[0]).toEqual([0.013996, 0.00808, 0]);
  });

  it('rnase_model.pdb: short CRYST1, no SCALE', async () => {
    const info = await readCoordCell(RNASE);
    expect(info.cell).toEqual(cellOf([64.897, 78.323, 38.792, 90, 90, 90]));
    expect(info.spaceGroup).toBe('P 21 21 21');
    expect(info.fractionalisation).toBeUndefined();
    expect(info.line).toBe(2);
  });

  it('beta.pdb has no CRYST1: coded error naming the file', async () => {
    const e = await rejection(readCoordCell(BETA));
    expect(e.code).toBe(CoordErrorCode.NO_CELL);
    expect(e.file).toBe(BETA);
    expect(e.describe()).toContain('no CRYST1');
  });
});

describe('writing a cell as pdbset does', () => {
  const haveGemmi = requireTool('gemmi') && requirePythonGemmi();

  it('gamma_model.pdb + the MTZ cell: CRYST1, SCALE1-3 as gemmi computes them, nothing else changed', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.pdb');
    const result = await writeCoordCell(GAMMA, out, { cell: cellOf(MTZ_CELL) });
    expect(result).toMatchObject({ format: 'pdb', cellInserted: false, fractionalisationRewritten: true });
    const before = lines(GAMMA);
    const after = lines(out);
    expect(after.length).toBe(before.length);
    const changed = after.flatMap((l, i) => (l === before[i] ? [] : [i]));
    expect(changed.map((i) => after[i].slice(0, 6))).toEqual(['CRYST1', 'SCALE1', 'SCALE2', 'SCALE3']);
    const cryst1 = after[changed[0]];
    expect(cryst1).toBe('CRYST1   34.089   54.816   68.011  90.00  90.00  90.00 P 21 21 21               ');
    expect(after[changed[1]]).toBe(
      'SCALE1      0.029335  0.000000  0.000000        0.00000                         ',
    );
    // diff(1) of the two files lists exactly those four lines.
    const diff = spawnSync('diff', [GAMMA, out], { encoding: 'utf8' });
    expect(diff.stdout.split('\n').filter((l) => /^[<>]/.test(l))).toHaveLength(8);
    expect(diff.stdout.split('\n').filter((l) => /^[<>]/.test(l) && !/^[<>] (CRYST1|SCALE)/.test(l))).toEqual(
      [],
    );
    if (!haveGemmi) return;
    const [frac] = gemmiFractionalisation([MTZ_CELL]);
    for (let i = 0; i < 3; i++) {
      const row = after[changed[1 + i]];
      const expected = frac[i].map((x) => printed(x, 6).padStart(10)).join('');
      expect(row.slice(10, 40)).toBe(expected);
    }
    const seen = gemmiReadStructure(out);
    expect(seen.cell).toEqual(MTZ_CELL);
    expect(seen.sg).toBe('P 21 21 21');
  });

  it.runIf(requireTool('gemmi'))(
    'gemmi CLI finds the new SCALEn consistent with the new CRYST1',
    async () => {
      // gemmi keeps SCALEn that disagree with CRYST1 as explicit matrices and then writes them to mmCIF as
      // _atom_sites.fract_transf_*; consistent ones it drops. The stale SCALEn of a CRYST1-only edit are kept.
      const dir = tempDir();
      const ours = join(dir, 'ours.pdb');
      await writeCoordCell(GAMMA, ours, { cell: cellOf(MTZ_CELL) });
      const stale = join(dir, 'stale.pdb');
      writeFileSync(
        stale,
        readFileSync(GAMMA, 'latin1').replace(
          /^CRYST1.{48}/m,
          readFileSync(ours, 'latin1').match(/^CRYST1.{48}/m)![0],
        ),
        'latin1',
      );
      const fractItems = (pdb: string) => {
        const r = spawnSync('gemmi', ['convert', '--to=mmcif', pdb, '-'], { encoding: 'utf8' });
        expect(r.status).toBe(0);
        return r.stdout.split('\n').filter((l) => l.startsWith('_atom_sites.fract_transf')).length;
      };
      expect(fractItems(ours)).toBe(0);
      expect(fractItems(stale)).toBe(12);
    },
  );

  it.each([
    ['monoclinic', [50.123, 60.456, 70.789, 90, 105.37, 90], 'P 1 21 1'],
    ['triclinic', [41.2, 52.3, 63.4, 78.5, 85.25, 101.75], 'P 1'],
    ['hexagonal', [71.478, 71.478, 104.236, 90, 90, 120], undefined],
  ])('4hg7.pdb + a %s cell: SCALE agrees with gemmi to the printed precision', async (_, cell, sg) => {
    const out = join(tempDir(), 'out.pdb');
    await writeCoordCell(MDM2, out, { cell: cellOf(cell as number[]), spaceGroup: sg as string | undefined });
    const info = await readCoordCell(out);
    expect(info.cell).toEqual(cellOf(cell as number[]));
    expect(info.spaceGroup).toBe(sg ?? 'P 65 2 2');
    expect(info.z).toBe(12); // Z kept
    const before = lines(MDM2);
    const after = lines(out);
    const changed = after.flatMap((l, i) => (l === before[i] ? [] : [after[i].slice(0, 6)]));
    expect(changed).toEqual(['CRYST1', 'SCALE1', 'SCALE2', 'SCALE3']);
    // ORIGXn are not SCALEn: they stay.
    expect(after.filter((l) => l.startsWith('ORIGX'))).toEqual(before.filter((l) => l.startsWith('ORIGX')));
    if (!haveGemmi) return;
    const [frac] = gemmiFractionalisation([cell as number[]]);
    const m = info.fractionalisation!.matrix;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(printed(m[i][j], 6)).toBe(printed(frac[i][j], 6));
    expect(info.fractionalisation!.vector).toEqual([0, 0, 0]);
    const seen = gemmiReadStructure(out);
    for (let k = 0; k < 6; k++) expect(seen.cell[k]).toBeCloseTo((cell as number[])[k], 3);
    if (sg) expect(seen.sg).toBe(sg);
  });

  it('rnase_model.pdb: only CRYST1 changes, no SCALE is added, the short line stays short', async () => {
    const out = join(tempDir(), 'out.pdb');
    const r = await writeCoordCell(RNASE, out, { cell: cellOf([64.9, 78.32, 38.79, 90, 90, 90]) });
    expect(r.fractionalisationRewritten).toBe(false);
    const before = lines(RNASE);
    const after = lines(out);
    expect(after[1]).toBe('CRYST1   64.900   78.320   38.790  90.00  90.00  90.00 P 21 21 21');
    expect(after.filter((l, i) => l !== before[i])).toEqual([after[1]]);
  });

  it('a new space group replaces columns 56-66 only', async () => {
    const out = join(tempDir(), 'out.pdb');
    await writeCoordCell(GAMMA, out, { cell: cellOf(MTZ_CELL), spaceGroup: 'P 1 21 1' });
    const cryst1 = lines(out).find((l) => l.startsWith('CRYST1'))!;
    expect(cryst1).toBe('CRYST1   34.089   54.816   68.011  90.00  90.00  90.00 P 1 21 1                 ');
    const e = await rejection(
      writeCoordCell(GAMMA, out, { cell: cellOf(MTZ_CELL), spaceGroup: 'P 21 21 21 extra' }),
    );
    expect(e.code).toBe(CoordErrorCode.BAD_SPACE_GROUP);
  });

  it('beta.pdb without CRYST1 gets one before its first ATOM; every original line is kept', async () => {
    const out = join(tempDir(), 'out.pdb');
    const r = await writeCoordCell(BETA, out, {
      cell: cellOf([75.11, 75.11, 133.31, 90, 90, 120]),
      spaceGroup: 'P 32 2 1',
    });
    expect(r.cellInserted).toBe(true);
    const after = lines(out);
    expect(after[0]).toBe('CRYST1   75.110   75.110  133.310  90.00  90.00 120.00 P 32 2 1');
    expect(after.slice(1)).toEqual(lines(BETA));
    expect((await readCoordCell(out)).spaceGroup).toBe('P 32 2 1');
  });

  it('in place (out = path) and with CRLF line ends preserved', async () => {
    const dir = tempDir();
    const crlf = join(dir, 'crlf.pdb');
    writeFileSync(crlf, readFileSync(GAMMA, 'latin1').replace(/\n/g, '\r\n'), 'latin1');
    await writeCoordCell(crlf, crlf, { cell: cellOf(MTZ_CELL) });
    const text = readFileSync(crlf, 'latin1');
    expect(text.split('\r\n').length).toBe(text.split('\n').length);
    expect(text).toContain(
      'CRYST1   34.089   54.816   68.011  90.00  90.00  90.00 P 21 21 21               \r\n',
    );
    expect(text).toContain(
      'SCALE3      0.000000  0.000000  0.014704        0.00000                         \r\n',
    );
  });
});

describe('bad PDB input gives coded errors with file and line', () => {
  const dir = tempDir();
  const gamma = readFileSync(GAMMA, 'latin1');
  const variant = (name: string, text: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const cryst1Line = gamma.split('\n').findIndex((l) => l.startsWith('CRYST1')) + 1;

  it.each([
    [
      'malformed a',
      (s: string) => s.replace('CRYST1   34.162', 'CRYST1   34.1x2'),
      CoordErrorCode.BAD_NUMBER,
    ],
    ['blank b', (s: string) => s.replace('   54.818', '         '), CoordErrorCode.BAD_NUMBER],
    ['zero c', (s: string) => s.replace('   68.052', '    0.000'), CoordErrorCode.BAD_CELL],
    [
      'NaN alpha',
      (s: string) => s.replace('  90.00  90.00  90.00', '    nan  90.00  90.00'),
      CoordErrorCode.BAD_NUMBER,
    ],
    [
      'angle 180',
      (s: string) => s.replace('  90.00  90.00  90.00', ' 180.00  90.00  90.00'),
      CoordErrorCode.BAD_CELL,
    ],
    [
      'flat cell',
      (s: string) => s.replace('  90.00  90.00  90.00', ' 120.00 120.00 120.00'),
      CoordErrorCode.BAD_CELL,
    ],
    ['bad Z', (s: string) => s.replace('P 21 21 21    ', 'P 21 21 21  x1'), CoordErrorCode.BAD_NUMBER],
    [
      'bad SCALE2',
      (s: string) => s.replace('SCALE2      0.000000  0.018242', 'SCALE2      0.000000  0.0182z2'),
      CoordErrorCode.BAD_NUMBER,
    ],
  ])('%s', async (name, mutate, code) => {
    const p = variant(`${name}.pdb`, mutate(gamma));
    const e = await rejection(readCoordCell(p));
    expect(e.code).toBe(code);
    expect(e.file).toBe(p);
    expect(e.line).toBe(name === 'bad SCALE2' ? cryst1Line + 2 : cryst1Line);
  });

  it('missing, directory, empty, binary and gzip files', async () => {
    expect((await rejection(readCoordCell(join(dir, 'nope.pdb')))).code).toBe(CoordErrorCode.IO);
    expect((await rejection(readCoordCell(dir))).code).toBe(CoordErrorCode.IO);
    expect((await rejection(readCoordCell(variant('empty.pdb', '')))).code).toBe(CoordErrorCode.FORMAT);
    const mtz = join(DATA, 'gamma/merged_intensities_native.mtz');
    expect((await rejection(readCoordCell(mtz))).code).toBe(CoordErrorCode.FORMAT);
    const gz = spawnSync('gzip', ['-c', GAMMA]).stdout;
    expect((await rejection(readCoordCell(variant('g.pdb.gz', gz)))).code).toBe(CoordErrorCode.FORMAT);
  });

  it('a bad new cell is refused before anything is written', async () => {
    const out = join(dir, 'never.pdb');
    for (const cell of [
      [0, 1, 1, 90, 90, 90],
      [Number.NaN, 1, 1, 90, 90, 90],
      [1, 1, 1, 90, 90, 0],
      [1e6, 1, 1, 90, 90, 90],
    ]) {
      const e = await rejection(writeCoordCell(GAMMA, out, { cell: cellOf(cell) }));
      expect(e.code).toBe(CoordErrorCode.BAD_CELL);
    }
    expect(spawnSync('test', ['-e', out]).status).toBe(1);
  });

  it('an unwritable output is a coded error and leaves no temporary file', async () => {
    const e = await rejection(
      writeCoordCell(GAMMA, join(dir, 'no/such/dir/out.pdb'), { cell: cellOf(MTZ_CELL) }),
    );
    expect(e.code).toBe(CoordErrorCode.IO);
    copyFileSync(GAMMA, join(dir, 'copy.pdb'));
  });
});
