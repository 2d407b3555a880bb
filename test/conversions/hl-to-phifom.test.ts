import { describe, expect, it } from 'vitest';
import { hlToPhiFom, phiFomOne, stepsFor } from '../../src/conversions/hl-to-phifom.js';
import { phaseDiff, readReferenceCsv, worst } from './reference.js';

/** Independent check: centroid of exp(A cos + B sin + C cos2 + D sin2) by a 36000-step sum. */
function accurate(a: number, b: number, c: number, d: number): [number, number] {
  const n = 36000;
  let qmax = -Infinity;
  for (let i = 0; i < n; i++) {
    const p = (2 * Math.PI * i) / n;
    qmax = Math.max(qmax, a * Math.cos(p) + b * Math.sin(p) + c * Math.cos(2 * p) + d * Math.sin(2 * p));
  }
  let sc = 0;
  let ss = 0;
  let s0 = 0;
  for (let i = 0; i < n; i++) {
    const p = (2 * Math.PI * i) / n;
    const w = Math.exp(a * Math.cos(p) + b * Math.sin(p) + c * Math.cos(2 * p) + d * Math.sin(2 * p) - qmax);
    sc += w * Math.cos(p);
    ss += w * Math.sin(p);
    s0 += w;
  }
  return [(Math.atan2(ss, sc) * 180) / Math.PI, Math.hypot(sc, ss) / s0];
}

describe('HL → PHI/FOM (clipper 72-step rule)', () => {
  const t = readReferenceCsv('hl_to_phifom_gamma.csv');
  const { phi, fom } = hlToPhiFom(
    t.col('HLA'),
    t.col('HLB'),
    t.col('HLC'),
    t.col('HLD'),
    t.col('centric'),
    t.col('allowed_deg'),
  );

  it('covers centric and acentric rows of gamma', () => {
    const nc = t.col('centric').filter((c) => c === 1).length;
    expect(nc).toBeGreaterThan(900);
    expect(t.n - nc).toBeGreaterThan(700);
  });

  it('FOM within 1e-6 of the chltofom file and of the clipper port on every row', () => {
    const chl = t.col('FOM_chltofom_file');
    const cl = t.col('FOM_clipper');
    expect(worst(t.n, (i) => Math.abs(fom[i] - chl[i])).value).toBeLessThan(1e-6);
    expect(worst(t.n, (i) => Math.abs(fom[i] - cl[i])).value).toBeLessThan(1e-9);
  });

  it('PHI within 1e-4° where FOM > 0.05, centric rows included', () => {
    const chl = t.col('PHI_chltofom_file');
    const cl = t.col('PHI_clipper');
    const fomRef = t.col('FOM_clipper');
    const strong = (i: number) => fomRef[i] > 0.05;
    expect(worst(t.n, (i) => (strong(i) ? phaseDiff(phi[i], chl[i]) : 0)).value).toBeLessThan(1e-4);
    expect(worst(t.n, (i) => (strong(i) ? phaseDiff(phi[i], cl[i]) : 0)).value).toBeLessThan(1e-6);
    let checked = 0;
    for (let i = 0; i < t.n; i++) if (strong(i) && t.col('centric')[i] === 1) checked++;
    expect(checked).toBeGreaterThan(500);
  });

  it('centric phases are the allowed phase or allowed + 180°', () => {
    const cen = t.col('centric');
    const al = t.col('allowed_deg');
    for (let i = 0; i < t.n; i++) {
      if (cen[i] !== 1 || !(fom[i] > 0)) continue;
      const d = phaseDiff(phi[i], al[i]);
      expect(Math.min(d, 180 - d)).toBeLessThan(1e-9);
    }
  });

  it('agrees with an independent fine integration for C, D ≠ 0 and for very sharp distributions', () => {
    const cases: Array<[number, number, number, number]> = [
      [3.0, 2.0, 1.0, -0.5],
      [-2.0, 0.5, 4.0, 3.0],
      [0.2, 0.1, -3.0, 2.5],
      [40.0, -35.0, 10.0, 5.0],
      [10.0, -10.0, -8.0, 6.0],
      [800.0, 100.0, 0, 0], // beyond clipper's ±700 clamp and the 72-step rule's accuracy
      [95.9, -86.9, 0, 0],
    ];
    const o = [0, 0];
    for (const [a, b, c, d] of cases) {
      phiFomOne(a, b, c, d, false, 0, o);
      const [p, f] = accurate(a, b, c, d);
      expect(Math.abs(o[1] - f)).toBeLessThan(1e-7);
      expect(phaseDiff(o[0], p)).toBeLessThan(1e-5);
    }
    expect(stepsFor(1, 1, 0, 0)).toBe(72);
    expect(stepsFor(800, 100, 0, 0)).toBeGreaterThan(72);
  });

  it('centric FOM is |tanh(A cos a + B sin a)| whatever C and D', () => {
    const o = [0, 0];
    phiFomOne(-1, -2, 5, 7, true, 30, o);
    const q = -Math.cos(Math.PI / 6) - 2 * Math.sin(Math.PI / 6);
    expect(o[1]).toBeCloseTo(Math.abs(Math.tanh(q)), 14);
    expect(phaseDiff(o[0], 210)).toBeLessThan(1e-12);
  });

  it('missing coefficients give missing PHI and FOM; zero coefficients give FOM 0', () => {
    const r = hlToPhiFom([Number.NaN, 0, 1], [0, 0, Number.NaN], [0, 0, 0], [0, 0, 0], [0, 0, 1], [0, 0, 90]);
    expect(Number.isNaN(r.phi[0]) && Number.isNaN(r.fom[0])).toBe(true);
    expect(r.fom[1]).toBeLessThan(1e-15);
    expect(Number.isNaN(r.fom[2])).toBe(true);
    expect(() => hlToPhiFom([1], [1, 2], [0], [0], [0], [0])).toThrow(RangeError);
  });
});
