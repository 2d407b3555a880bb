import { describe, expect, it } from 'vitest';
import { hlToPhiFom } from '../../src/conversions/hl-to-phifom.js';
import { invsim, phiFomToHl } from '../../src/conversions/phifom-to-hl.js';
import { readReferenceCsv, worst } from './reference.js';

/** Relative difference with a floor so near-zero coefficients compare absolutely. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-3);

describe('PHI/FOM → HL (clipper invsim, as chltofom and cctbx)', () => {
  for (const [file, phiCol] of [
    ['phifom_to_hl_gamma.csv', 'PHI'],
    ['phifom_to_hl_mdm2.csv', 'PHIC'],
  ] as const) {
    it(`${file}: HLA, HLB within 1e-6 relative, HLC = HLD = 0`, () => {
      const t = readReferenceCsv(file);
      const hl = phiFomToHl(t.col(phiCol), t.col('FOM'), t.col('centric'));
      const a = t.col('HLA_clipper');
      const b = t.col('HLB_clipper');
      expect(worst(t.n, (i) => rel(hl.hla[i], a[i])).value).toBeLessThan(1e-6);
      expect(worst(t.n, (i) => rel(hl.hlb[i], b[i])).value).toBeLessThan(1e-6);
      for (let i = 0; i < t.n; i++) {
        if (Number.isNaN(a[i])) continue;
        expect(hl.hlc[i]).toBe(0);
        expect(hl.hld[i]).toBe(0);
      }
      expect(t.col('centric').filter((c) => c === 1).length).toBeGreaterThan(500);
    });
  }

  it('round trip PHI/FOM → HL → PHI/FOM recovers centric values exactly and acentric ones to invsim accuracy', () => {
    const t = readReferenceCsv('phifom_to_hl_mdm2.csv');
    const cen = t.col('centric');
    const hl = phiFomToHl(t.col('PHIC'), t.col('FOM'), cen);
    const back = hlToPhiFom(hl.hla, hl.hlb, hl.hlc, hl.hld, cen, t.col('allowed_deg'));
    const fom = t.col('FOM');
    for (let i = 0; i < t.n; i++) {
      if (!(fom[i] > 0.05 && fom[i] < 0.999)) continue;
      // invsim is an approximation (≤ 0.5 % in X for FOM < 0.999), so acentric FOM comes back to ~1e-3
      expect(Math.abs(back.fom[i] - fom[i])).toBeLessThan(cen[i] === 1 ? 1e-12 : 3e-3);
    }
  });

  it('invsim approximates the inverse of I1/I0 and is odd', () => {
    // I1(X)/I0(X) at X = 2 is 0.697774657964008 (A&S 9.8)
    expect(Math.abs(invsim(0.697774657964008) - 2) / 2).toBeLessThan(5e-3);
    expect(invsim(-0.5)).toBe(-invsim(0.5));
    expect(invsim(0)).toBeCloseTo(0, 12);
  });

  it('caps FOM at 0.9999 and propagates missing values', () => {
    const hl = phiFomToHl([0, 0, Number.NaN, 10], [1, 0.9999, 0.5, Number.NaN], [1, 1, 0, 0]);
    expect(hl.hla[0]).toBe(hl.hla[1]);
    expect(hl.hla[0]).toBeCloseTo(Math.atanh(0.9999), 12);
    expect(Number.isNaN(hl.hla[2]) && Number.isNaN(hl.hlb[3]) && Number.isNaN(hl.hlc[3])).toBe(true);
  });
});
