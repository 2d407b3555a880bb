import { describe, expect, it } from 'vitest';
import {
  FW_NODES,
  frenchWilson,
  frenchWilsonOne,
  fwScaledMoments,
} from '../../src/conversions/french-wilson.js';
import { gaussLegendre } from '../../src/conversions/gauss-legendre.js';
import { readReferenceCsv, relDiff, worst } from './reference.js';

describe('Gauss–Legendre rule', () => {
  it('integrates polynomials of degree 2n-1 exactly', () => {
    const { nodes, weights } = gaussLegendre(FW_NODES);
    for (const k of [0, 2, 10, 40, 78]) {
      let s = 0;
      for (let i = 0; i < nodes.length; i++) s += weights[i] * nodes[i] ** k;
      expect(s).toBeCloseTo(2 / (k + 1), 13);
    }
    expect(() => gaussLegendre(0)).toThrow(RangeError);
  });
});

describe('French–Wilson posterior', () => {
  it('matches the adaptive-quadrature table (h = -4 … 10) to 1e-8 relative, acentric and centric', () => {
    const t = readReferenceCsv('fw_posterior_table.csv');
    const m = [0, 0, 0, 0];
    const cols = [
      ['ac_J', 'ac_sdJ', 'ac_F', 'ac_sdF'],
      ['c_J', 'c_sdJ', 'c_F', 'c_sdF'],
    ];
    for (const centric of [false, true]) {
      const ref = cols[centric ? 1 : 0].map((c) => t.col(c));
      for (let i = 0; i < t.n; i++) {
        fwScaledMoments(t.col('h')[i], centric, m);
        for (let k = 0; k < 4; k++) expect(relDiff(m[k], ref[k][i])).toBeLessThan(1e-8);
      }
    }
  });

  it('acentric E[x] equals the truncated-normal closed form h + φ(h)/Φ(h) for large |h|', () => {
    const m = [0, 0, 0, 0];
    // for h ≫ 0 the posterior is N(h, 1) and F → √h, sdF → 1/(2√h)
    fwScaledMoments(1e4, false, m);
    expect(relDiff(m[0], 1e4)).toBeLessThan(1e-12);
    expect(relDiff(m[1], 1)).toBeLessThan(1e-6);
    expect(relDiff(m[2], Math.sqrt(1e4) * (1 - 1 / (8 * 1e8)))).toBeLessThan(1e-10);
    expect(relDiff(m[3], 1 / (2 * Math.sqrt(1e4)))).toBeLessThan(1e-6);
    // beyond double precision of u² - h: the Gaussian limit, continuous with the quadrature below it
    const below = [0, 0, 0, 0];
    fwScaledMoments(1e12, true, below);
    for (const h of [1e12 * (1 + 1e-12), 1e20, 1e300]) {
      fwScaledMoments(h, true, m);
      expect(relDiff(m[0], h)).toBeLessThan(1e-12);
      expect(relDiff(m[2], Math.sqrt(h))).toBeLessThan(1e-12);
      expect(relDiff(m[3], 0.5 / Math.sqrt(h))).toBeLessThan(1e-9);
    }
    fwScaledMoments(1e12 * (1 + 1e-12), true, m);
    for (let k = 0; k < 4; k++) expect(relDiff(m[k], below[k])).toBeLessThan(1e-6);
    // for h ≪ 0 the acentric posterior tends to an exponential with mean 1/|h|
    fwScaledMoments(-1e4, false, m);
    expect(relDiff(m[0], 1e-4)).toBeLessThan(1e-6);
    expect(relDiff(m[1], 1e-4)).toBeLessThan(1e-6);
  });

  it('is converged: the default rules (24–40 nodes) agree with a 400-node rule from h = -1e8 to 1e8', () => {
    const fine = gaussLegendre(400);
    const a = [0, 0, 0, 0];
    const b = [0, 0, 0, 0];
    const hs: number[] = [];
    for (let h = -1e8; h < -10; h *= 0.8) hs.push(h);
    for (let h = -10; h < 30; h += 0.037) hs.push(h);
    for (let h = 30; h < 1e8; h *= 1.2) hs.push(h);
    for (const h of hs)
      for (const c of [false, true]) {
        fwScaledMoments(h, c, a);
        fwScaledMoments(h, c, b, fine, 60);
        for (let k = 0; k < 4; k++) expect(relDiff(a[k], b[k])).toBeLessThan(1e-9);
      }
  });

  it('gamma native: J, SIGJ, F, SIGF of Imean within 1e-5 relative of the reference', () => {
    const t = readReferenceCsv('fw_gamma_native.csv');
    const r = frenchWilson(t.col('Imean'), t.col('SIGImean'), t.col('Sigma'), t.col('centric'));
    for (const [ours, ref] of [
      [r.J, 'J'],
      [r.sigJ, 'SIGJ'],
      [r.F, 'F'],
      [r.sigF, 'SIGF'],
    ] as const) {
      const col = t.col(ref);
      const w = worst(t.n, (i) => relDiff(ours[i], col[i]));
      expect(w.value, `${ref} row ${w.index}`).toBeLessThan(1e-5);
    }
    // the sample includes every weak reflection (I/σ < 1, many negative) and NaN rows
    let negative = 0;
    let missing = 0;
    for (let i = 0; i < t.n; i++) {
      if (t.col('Imean')[i] < 0) negative++;
      if (Number.isNaN(t.col('Imean')[i])) missing++;
    }
    expect(negative).toBeGreaterThan(100);
    expect(missing).toBeGreaterThan(10);
  });

  it('gamma native: F(+) and F(-) from I(+) and I(-) with the same prior, within 1e-5 relative', () => {
    const t = readReferenceCsv('fw_gamma_native.csv');
    const cen = t.col('centric');
    const p = frenchWilson(t.col('Iplus'), t.col('SIGIplus'), t.col('Sigma'), cen);
    const m = frenchWilson(t.col('Iminus'), t.col('SIGIminus'), t.col('Sigma'), cen);
    for (const [ours, ref] of [
      [p.F, 'Fplus'],
      [p.sigF, 'SIGFplus'],
      [m.F, 'Fminus'],
      [m.sigF, 'SIGFminus'],
    ] as const) {
      const col = t.col(ref);
      const w = worst(t.n, (i) =>
        Number.isNaN(col[i]) && !Number.isNaN(ours[i]) ? 0 : relDiff(ours[i], col[i]),
      );
      expect(w.value, `${ref} row ${w.index}`).toBeLessThan(1e-5);
    }
  });

  it('bad input: NaN, zero or negative sigma and a non-positive prior give missing values, never a throw', () => {
    const r = frenchWilson(
      [100, 100, 100, 100, Number.NaN, 100, -5],
      [Number.NaN, 0, -3, 10, 10, 10, 10],
      [1000, 1000, 1000, 1000, 1000, 0, 1000],
      [0, 0, 1, 1, 0, 0, 0],
    );
    for (const i of [0, 1, 2, 4, 5])
      expect([r.J[i], r.sigJ[i], r.F[i], r.sigF[i]].every(Number.isNaN)).toBe(true);
    expect(r.F[3]).toBeGreaterThan(0);
    expect(r.F[6]).toBeGreaterThan(0); // negative intensities give small positive amplitudes
    expect(r.J[6]).toBeGreaterThan(0);
    expect(Number.isNaN(frenchWilsonOne(1, 1, Number.NaN, false).F)).toBe(true);
    expect(() => frenchWilson([1], [1], [1, 2], [0])).toThrow(RangeError);
  });
});
