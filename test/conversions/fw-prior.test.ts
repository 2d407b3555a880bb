import { describe, expect, it } from 'vitest';
import { shellPrior } from '../../src/conversions/fw-prior.js';

describe('French–Wilson prior per resolution shell', () => {
  const n = 1000;
  const invD2 = Float64Array.from({ length: n }, (_, i) => (i + 1) / n);
  const ones = new Float64Array(n).fill(1);

  it('equal-count shells; Σ = ε·⟨I/ε⟩ of the shell for every reflection in it', () => {
    // intensity falls with resolution; ε = 2 for every 4th reflection (its I doubled, as for real data)
    const eps = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 2 : 1));
    const I = Float64Array.from({ length: n }, (_, i) => eps[i] * 1000 * Math.exp(-3 * invD2[i]));
    const p = shellPrior(invD2, I, ones, eps);
    expect(p.meanIntensity.length).toBe(10); // min(20, ⌊1000/100⌋)
    expect([...p.counts]).toEqual(new Array(10).fill(100));
    for (let b = 0; b < 10; b++) {
      let s = 0;
      for (let i = 100 * b; i < 100 * (b + 1); i++) s += I[i] / eps[i];
      expect(p.meanIntensity[b]).toBeCloseTo(s / 100, 9);
    }
    for (let i = 0; i < n; i++) expect(p.sigma[i]).toBeCloseTo(eps[i] * p.meanIntensity[p.bin[i]], 9);
    expect(shellPrior(invD2, I, ones, eps, { maxBins: 4 }).meanIntensity.length).toBe(4);
    expect(shellPrior(invD2, I, ones, eps, { minPerBin: 400 }).meanIntensity.length).toBe(2);
  });

  it('unusable observations get the Σ of their shell but do not enter its mean', () => {
    const I = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 100 : 1e9));
    const sig = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : [0, -1, Number.NaN][i % 3]));
    const p = shellPrior(invD2, I, sig, ones);
    expect(p.counts.reduce((a, b) => a + b, 0)).toBe(500);
    for (let i = 0; i < n; i++) expect(p.sigma[i]).toBeCloseTo(100, 9);
  });

  it('a shell with no signal is floored at 0.1⟨σ/ε⟩; no usable data gives NaN', () => {
    const I = Float64Array.from({ length: n }, (_, i) => (i < 500 ? 50 : -3));
    const sig = new Float64Array(n).fill(20);
    const p = shellPrior(invD2, I, sig, ones, { maxBins: 2 });
    expect([p.meanIntensity[0], p.meanIntensity[1]]).toEqual([50, 2]);
    const none = shellPrior(invD2, I, new Float64Array(n), ones);
    expect(none.sigma.every(Number.isNaN)).toBe(true);
    expect(() => shellPrior(invD2, I, sig.subarray(1), ones)).toThrow(RangeError);
  });
});
