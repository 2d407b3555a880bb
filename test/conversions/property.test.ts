import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anomalousMean } from '../../src/conversions/anomalous-mean.js';
import { frenchWilsonOne } from '../../src/conversions/french-wilson.js';
import { phiFomOne } from '../../src/conversions/hl-to-phifom.js';
import { phiFomToHl } from '../../src/conversions/phifom-to-hl.js';
import { phaseDiff } from './reference.js';

const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

describe('properties of the conversions', () => {
  it('French–Wilson: finite positive moments, E[√J]² ≤ E[J], F grows with I', () => {
    fc.assert(
      fc.property(
        dbl(-1e4, 1e6),
        dbl(0.01, 1e4),
        dbl(1, 1e6),
        fc.boolean(),
        dbl(0.001, 100),
        (I, sig, S, c, dI) => {
          const r = frenchWilsonOne(I, sig, S, c);
          for (const v of [r.J, r.sigJ, r.F, r.sigF]) expect(Number.isFinite(v) && v > 0).toBe(true);
          expect(r.F * r.F).toBeLessThanOrEqual(r.J * (1 + 1e-9));
          expect(frenchWilsonOne(I + dI * sig, sig, S, c).F).toBeGreaterThanOrEqual(r.F * (1 - 1e-10));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('French–Wilson: extreme but valid inputs (float32 range) still give finite positive moments', () => {
    fc.assert(
      fc.property(dbl(-3e38, 3e38), dbl(1e-30, 3e38), dbl(1e-30, 3e38), fc.boolean(), (I, sig, S, c) => {
        const r = frenchWilsonOne(I, sig, S, c);
        for (const v of [r.J, r.sigJ, r.F, r.sigF]) expect(Number.isFinite(v) && v >= 0).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('anomalous mean lies between the two values with a sigma no larger than either', () => {
    fc.assert(
      fc.property(
        dbl(-1e5, 1e5),
        dbl(1e-3, 1e4),
        dbl(-1e5, 1e5),
        dbl(1e-3, 1e4),
        fc.boolean(),
        (a, sa, b, sb, c) => {
          const r = anomalousMean([a], [sa], [b], [sb], [c ? 1 : 0], 'once');
          const eps = 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
          expect(r.mean[0]).toBeGreaterThanOrEqual(Math.min(a, b) - eps);
          expect(r.mean[0]).toBeLessThanOrEqual(Math.max(a, b) + eps);
          expect(r.sigma[0]).toBeLessThanOrEqual(Math.min(sa, sb) * (1 + 1e-12));
        },
      ),
    );
  });

  it('HL → PHI/FOM: FOM in [0, 1]; for C = D = 0 the centroid phase is atan2(B, A)', () => {
    const o = [0, 0];
    fc.assert(
      fc.property(dbl(-300, 300), dbl(-300, 300), dbl(-50, 50), dbl(-50, 50), (a, b, c, d) => {
        phiFomOne(a, b, c, d, false, 0, o);
        expect(o[1]).toBeGreaterThanOrEqual(0);
        expect(o[1]).toBeLessThanOrEqual(1 + 1e-12);
        phiFomOne(a, b, 0, 0, false, 0, o);
        if (Math.hypot(a, b) > 1e-3)
          expect(phaseDiff(o[0], (Math.atan2(b, a) * 180) / Math.PI)).toBeLessThan(1e-7);
      }),
    );
  });

  it('centric PHI/FOM → HL → PHI/FOM is exact (atanh, tanh) on the allowed phases', () => {
    const o = [0, 0];
    fc.assert(
      fc.property(fc.constantFrom(0, 30, 60, 90, 120, 150), fc.boolean(), dbl(0, 0.999), (a, flip, fom) => {
        const phi = flip ? a + 180 : a;
        const hl = phiFomToHl([phi], [fom], [1]);
        phiFomOne(hl.hla[0], hl.hlb[0], 0, 0, true, a, o);
        expect(Math.abs(o[1] - fom)).toBeLessThan(1e-12);
        if (fom > 1e-6) expect(phaseDiff(o[0], phi)).toBeLessThan(1e-9);
      }),
    );
  });
});
