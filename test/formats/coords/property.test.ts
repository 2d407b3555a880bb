import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ccp4Error } from '../../../src/errors/ccp4-error.js';
import {
  fractionalisationMatrix,
  orthogonalisationMatrix,
  parseCoordCell,
  printedCell,
  replaceCoordCell,
  type UnitCell,
} from '../../../src/formats/coords/index.js';
import { COORDS, DATA } from './helpers.js';

const GAMMA = readFileSync(join(DATA, 'gamma/gamma_model.pdb'), 'latin1');
const SMALL = readFileSync(join(COORDS, '4hg7_small.cif'), 'latin1');

/** Cells that exist: angles drawn so that the volume is clearly positive. */
const cellArb: fc.Arbitrary<UnitCell> = fc
  .record({
    a: fc.double({ min: 2, max: 999, noNaN: true }),
    b: fc.double({ min: 2, max: 999, noNaN: true }),
    c: fc.double({ min: 2, max: 999, noNaN: true }),
    alpha: fc.double({ min: 60, max: 120, noNaN: true }),
    beta: fc.double({ min: 60, max: 120, noNaN: true }),
    gamma: fc.double({ min: 60, max: 120, noNaN: true }),
  })
  .filter((c) => {
    const [x, y, z] = [c.alpha, c.beta, c.gamma].map((d) => Math.cos((d * Math.PI) / 180));
    return 1 - x * x - y * y - z * z + 2 * x * y * z > 0.05;
  });

describe('properties', () => {
  it('fractionalisation is the inverse of orthogonalisation', () => {
    fc.assert(
      fc.property(cellArb, (cell) => {
        const f = fractionalisationMatrix(cell);
        const o = orthogonalisationMatrix(cell);
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) {
            const s = f[i][0] * o[0][j] + f[i][1] * o[1][j] + f[i][2] * o[2][j];
            expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
          }
      }),
    );
  });

  it('PDB and mmCIF: the cell written is the cell read back, and only the cell lines change', () => {
    fc.assert(
      fc.property(cellArb, (cell) => {
        for (const text of [GAMMA, SMALL]) {
          const out = replaceCoordCell(text, { cell }).text;
          const info = parseCoordCell(out);
          expect(info.cell).toEqual(printedCell(cell));
          const before = text.split('\n');
          const after = out.split('\n');
          expect(after.length).toBe(before.length);
          const n = after.filter((l, i) => l !== before[i]).length;
          expect(n).toBeLessThanOrEqual(text === GAMMA ? 4 : 18);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('mutated files never escape as anything but a Ccp4Error', () => {
    const cryst1 = GAMMA.indexOf('CRYST1');
    const cellAt = SMALL.indexOf('_cell.length_a');
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1),
        fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(SMALL.length),
        (which, muts, cut) => {
          let text = which === 0 ? GAMMA : SMALL;
          const base = which === 0 ? cryst1 : cellAt;
          for (const [off, byte] of muts) {
            const at = Math.min(base + off, text.length - 1);
            text = text.slice(0, at) + String.fromCharCode(byte) + text.slice(at + 1);
          }
          if (which === 1 && cut % 3 === 0) text = text.slice(0, cut);
          for (const f of [
            () => parseCoordCell(text),
            () =>
              replaceCoordCell(text, {
                cell: printedCell({ a: 10, b: 20, c: 30, alpha: 90, beta: 95, gamma: 90 }),
              }),
          ]) {
            try {
              f();
            } catch (e) {
              if (!(e instanceof Ccp4Error)) throw e;
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
