import { describe, expect, it } from 'vitest';
import { isCcp4Error } from '../../../src/errors/ccp4-error.js';
import { DEN, formatTriplet, inverseOp, parseTriplet } from '../../../src/formats/symmetry/index.js';

describe('symmetry operator triplets', () => {
  it('parses the forms found in SYMM records', () => {
    expect(parseTriplet('X,  Y,  Z')).toEqual({ rot: [1, 0, 0, 0, 1, 0, 0, 0, 1], tran: [0, 0, 0] });
    const op = parseTriplet('-Y,X-Y,Z+1/3');
    expect(op.rot).toEqual([0, -1, 0, 1, -1, 0, 0, 0, 1]);
    expect(op.tran).toEqual([0, 0, DEN / 3]);
    expect(parseTriplet('1/2+x, -y+1/2, -z').tran).toEqual([12, 12, 0]);
    expect(parseTriplet('-X+0.5,Y,Z-1/6').tran).toEqual([12, 0, 20]);
  });

  it('formats upper-case triplets that parse back to the same operator', () => {
    for (const t of ['-Y,X-Y,Z+1/3', 'X+1/2,-Y+1/2,-Z', '-X,-X+Y,-Z+5/6', 'Y,X,-Z+2/3', 'X,Y,Z'])
      expect(parseTriplet(formatTriplet(parseTriplet(t)))).toEqual(parseTriplet(t));
    expect(formatTriplet(parseTriplet('-x+y, y, -z+1/2'))).toBe('-X+Y,Y,-Z+1/2');
  });

  it('inverts operators: op followed by its inverse is the identity', () => {
    for (const t of ['-Y,X-Y,Z+1/3', 'X-Y,X,Z+1/6', 'X+1/2,-Y+1/2,-Z', 'Z,X,Y']) {
      const op = parseTriplet(t);
      const inv = inverseOp(op);
      // (R⁻¹)(R x + t) + t' = x
      const r = op.rot;
      const q = inv.rot;
      const prod = [0, 1, 2].flatMap((i) =>
        [0, 1, 2].map((j) => q[i * 3] * r[j] + q[i * 3 + 1] * r[3 + j] + q[i * 3 + 2] * r[6 + j]),
      );
      expect(prod).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
      const t2 = [0, 1, 2].map(
        (i) =>
          (((q[i * 3] * op.tran[0] + q[i * 3 + 1] * op.tran[1] + q[i * 3 + 2] * op.tran[2] + inv.tran[i]) %
            DEN) +
            DEN) %
          DEN,
      );
      expect(t2).toEqual([0, 0, 0]);
    }
  });

  it('rejects malformed triplets with a coded error', () => {
    for (const bad of ['X,Y', 'X,Y,Q', 'X,Y,Z+1/0', 'X,X,Z', 'X,Y,Z+1/7', '', ',,']) {
      let err: unknown;
      try {
        parseTriplet(bad);
      } catch (e) {
        err = e;
      }
      expect(isCcp4Error(err), bad).toBe(true);
      expect((err as { className: string }).className).toBe('Symop');
    }
  });
});
