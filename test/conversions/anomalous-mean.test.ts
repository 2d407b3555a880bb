import { describe, expect, it } from 'vitest';
import { anomalousMean } from '../../src/conversions/anomalous-mean.js';
import { readReferenceCsv, relDiff, worst } from './reference.js';

const CASES = [
  ['anom_mean_gamma_Xe.csv', ['Iplus', 'SIGIplus', 'Iminus', 'SIGIminus']],
  ['anom_mean_rnase25_FHG.csv', ['FHG(+)', 'SIGFHG(+)', 'FHG(-)', 'SIGFHG(-)']],
] as const;

describe('anomalous pair → mean (inverse variance)', () => {
  for (const [file, [xp, sp, xm, sm]] of CASES) {
    const t = readReferenceCsv(file);
    const args = [t.col(xp), t.col(sp), t.col(xm), t.col(sm), t.col('centric')] as const;
    for (const [mode, val, sig] of [
      ['average', 'W', 'SIGW'],
      ['once', 'Wc', 'SIGWc'],
    ] as const) {
      it(`${file}: ${mode} equals ${val}/${sig} within 1e-9 relative`, () => {
        const r = anomalousMean(...args, mode);
        const v = t.col(val);
        const s = t.col(sig);
        // The CSV's 10-digit inputs carry 5e-10 relative rounding, which a mean of values of opposite sign
        // amplifies; so the mean is compared relative to the larger input magnitude.
        const [p, m] = [args[0], args[2]];
        const scale = (i: number) => Math.max(Math.abs(v[i]), Math.abs(p[i]) || 0, Math.abs(m[i]) || 0);
        const meanErr = (i: number) =>
          Number.isNaN(v[i]) ? relDiff(r.mean[i], v[i]) : Math.abs(r.mean[i] - v[i]) / scale(i);
        expect(worst(t.n, meanErr).value).toBeLessThan(1e-9);
        expect(worst(t.n, (i) => relDiff(r.sigma[i], s[i])).value).toBeLessThan(1e-9);
      });
    }
  }

  it('the samples contain the edge cases: σ ≤ 0, one side missing, centric duplicates, differing centrics', () => {
    const xe = readReferenceCsv('anom_mean_gamma_Xe.csv');
    let badSigma = 0;
    for (let i = 0; i < xe.n; i++) if (xe.col('SIGIplus')[i] <= 0 || xe.col('SIGIminus')[i] <= 0) badSigma++;
    expect(badSigma).toBeGreaterThan(500);
    const rn = readReferenceCsv('anom_mean_rnase25_FHG.csv');
    let oneSided = 0;
    let differing = 0;
    for (let i = 0; i < rn.n; i++) {
      if (Number.isNaN(rn.col('FHG(+)')[i]) !== Number.isNaN(rn.col('FHG(-)')[i])) oneSided++;
      if (rn.col('centric')[i] === 1 && rn.col('FHG(+)')[i] !== rn.col('FHG(-)')[i]) differing++;
    }
    expect(oneSided).toBeGreaterThan(100);
    expect(differing).toBeGreaterThan(100);
  });

  it("a centric duplicate keeps its sigma with 'once' and shrinks by √2 with 'average'", () => {
    const once = anomalousMean([5], [2], [5], [2], [1], 'once');
    const avg = anomalousMean([5], [2], [5], [2], [1], 'average');
    expect([once.mean[0], once.sigma[0]]).toEqual([5, 2]);
    expect(avg.sigma[0]).toBeCloseTo(2 / Math.SQRT2, 14);
    // acentric pairs are always averaged
    expect(anomalousMean([5], [2], [5], [2], [0], 'once').sigma[0]).toBeCloseTo(2 / Math.SQRT2, 14);
  });

  it('bad sigmas are missing observations; nothing usable gives NaN', () => {
    const r = anomalousMean(
      [1, 1, Number.NaN, 1],
      [0, Number.NaN, 1, -1],
      [3, Number.NaN, Number.NaN, 2],
      [1, 1, 1, 0],
      [0, 0, 0, 0],
    );
    expect([r.mean[0], r.sigma[0]]).toEqual([3, 1]);
    expect(Number.isNaN(r.mean[1]) && Number.isNaN(r.sigma[1])).toBe(true);
    expect(Number.isNaN(r.mean[2])).toBe(true);
    expect(Number.isNaN(r.mean[3])).toBe(true);
    expect(() => anomalousMean([1], [1], [1], [1], undefined, 'once')).toThrow(RangeError);
  });
});
