import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readMtz } from '../../../src/formats/mtz/index.js';
import { ReflectionClassifier } from '../../../src/formats/symmetry/index.js';
import { FIXTURES } from '../../helpers/cli.js';

const MDM2 = resolve(FIXTURES, 'data/mdm2/4hg7-sf.mtz');

/** Reference rows made with cctbx: h, k, l, centric, allowed phase (deg), epsilon. */
function reference(): Map<string, number[]> {
  const text = gunzipSync(readFileSync(resolve(FIXTURES, 'mtz/centric_mdm2.csv.gz'))).toString('utf8');
  const rows = new Map<string, number[]>();
  for (const line of text.trim().split('\n').slice(1)) {
    const v = line.split(',').map(Number);
    rows.set(`${v[0]},${v[1]},${v[2]}`, v.slice(3));
  }
  return rows;
}

describe('centric flags, allowed phases and epsilon from the SYMM records of 4hg7 (P 65 2 2)', () => {
  const mtz = readMtz(MDM2);
  const cls = new ReflectionClassifier(mtz.spaceGroup.symops);
  const [H, K, L] = [0, 1, 2].map((i) => mtz.columns[i].data);

  it('uses the 12 operators of P 65 2 2', () => {
    expect(mtz.spaceGroup.name).toBe('P 65 2 2');
    expect(mtz.spaceGroup.symops).toHaveLength(12);
  });

  it('agrees with cctbx on every reflection of the file', () => {
    const ref = reference();
    expect(ref.size).toBe(mtz.nref);
    let centrics = 0;
    const wrong: string[] = [];
    for (let i = 0; i < mtz.nref; i++) {
      const key = `${H[i]},${K[i]},${L[i]}`;
      const r = ref.get(key);
      if (r === undefined) throw new Error(`reflection ${key} missing from the reference`);
      const c = cls.classify(H[i], K[i], L[i]);
      if (c.centric) centrics++;
      if (
        c.centric !== (r[0] === 1) ||
        (c.centric && c.allowedPhase !== r[1]) ||
        c.epsilon !== r[2] ||
        c.absent
      )
        wrong.push(`${key}: ${JSON.stringify(c)} vs ${r}`);
    }
    expect(wrong).toEqual([]);
    expect(centrics).toBeGreaterThan(3000);
  });

  it('allowed phase equals PHIC mod 180 for every centric reflection with FC > 0.01', () => {
    const fc = mtz.column('FC').data;
    const phic = mtz.column('PHIC').data;
    let checked = 0;
    for (let i = 0; i < mtz.nref; i++) {
      const c = cls.classify(H[i], K[i], L[i]);
      if (!c.centric || !(fc[i] > 0.01)) continue;
      const d = (((phic[i] - c.allowedPhase) % 180) + 180) % 180;
      expect(Math.min(d, 180 - d), `${H[i]} ${K[i]} ${L[i]}`).toBeLessThan(1e-3);
      checked++;
    }
    expect(checked).toBeGreaterThan(3500 - 100);
  });

  it('finds the 6_5 screw-axis absences and epsilon 6 on 00l', () => {
    expect(cls.classify(0, 0, 6)).toMatchObject({ absent: false, epsilon: 6, centric: true });
    for (const l of [1, 2, 3, 4, 5, 7]) expect(cls.classify(0, 0, l).absent).toBe(true);
    expect(cls.classify(1, 2, 3)).toEqual({ centric: false, allowedPhase: 0, epsilon: 1, absent: false });
  });

  it('counts centring operators once in epsilon (C 2: general reflections have epsilon 1)', async () => {
    const { parseTriplet } = await import('../../../src/formats/symmetry/index.js');
    const c2 = new ReflectionClassifier(
      ['X,Y,Z', '-X,Y,-Z', 'X+1/2,Y+1/2,Z', '-X+1/2,Y+1/2,-Z'].map(parseTriplet),
    );
    expect(c2.classify(1, 1, 3)).toMatchObject({ epsilon: 1, absent: false, centric: false });
    expect(c2.classify(1, 0, 3).absent).toBe(true);
    expect(c2.classify(0, 2, 0)).toMatchObject({ epsilon: 2, centric: false });
    expect(c2.classify(2, 0, 1)).toMatchObject({ epsilon: 1, centric: true, allowedPhase: 0 });
  });
});
