import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anomalousMean } from '../../src/conversions/anomalous-mean.js';
import {
  convertedPath,
  convertMtz,
  convertMtzData,
  parseDataType,
} from '../../src/conversions/convert-mtz.js';
import { shellPrior } from '../../src/conversions/fw-prior.js';
import { reflectionContext } from '../../src/conversions/reflection-context.js';
import { Ccp4Error } from '../../src/errors/ccp4-error.js';
import { createMtz, type Mtz, readMtz } from '../../src/formats/mtz/index.js';
import { DATA, phaseDiff, REFERENCE, readReferenceCsv, relDiff, worst } from './reference.js';

const tmp = mkdtempSync(join(tmpdir(), 'ccp4i2-convert-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const data = (rel: string) => resolve(DATA, rel);
const key = (h: number, k: number, l: number) => `${h},${k},${l}`;

/** Row index of each hkl of an MTZ. */
function rowsByHkl(m: Mtz): Map<string, number> {
  const [h, k, l] = [m.columns[0].data, m.columns[1].data, m.columns[2].data];
  const map = new Map<string, number>();
  for (let i = 0; i < m.nref; i++) map.set(key(h[i], k[i], l[i]), i);
  return map;
}

/** Pairs (ours, reference) for every reference row, matched by hkl. */
function matched(
  m: Mtz,
  label: string,
  t: ReturnType<typeof readReferenceCsv>,
  refCol: string,
): [number, number][] {
  const rows = rowsByHkl(m);
  const ours = m.column(label).data;
  const ref = t.col(refCol);
  const out: [number, number][] = [];
  for (let i = 0; i < t.n; i++) {
    const r = rows.get(key(t.col('h')[i], t.col('k')[i], t.col('l')[i]));
    if (r === undefined) throw new Error(`reference row ${i} not in the file`);
    out.push([ours[r], ref[i]]);
  }
  return out;
}

function thrown(f: () => unknown): Ccp4Error {
  try {
    f();
  } catch (e) {
    if (e instanceof Ccp4Error) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('HL ↔ PHI/FOM on real files', () => {
  it('initial_phases.mtz → PHIFOM reproduces chltofom on every reflection (FOM 1e-6, PHI 1e-4° where FOM > 0.05)', () => {
    const out = join(tmp, 'phases_asPHIFOM.mtz');
    const rep = convertMtz(data('gamma/initial_phases.mtz'), 'PHIFOM', { out });
    expect(rep).toMatchObject({ from: 'HL', to: 'PHIFOM', outputColumns: ['PHI', 'FOM'], nref: 12509 });
    const ours = readMtz(out);
    const chl = readMtz(data('gamma/initial_phases_as_PHIFOM.mtz'));
    expect(ours.columns.map((c) => `${c.label}:${c.type}`)).toEqual(['H:H', 'K:H', 'L:H', 'PHI:P', 'FOM:W']);
    expect(ours.nref).toBe(chl.nref);
    const [p, f] = [ours.column('PHI').data, ours.column('FOM').data];
    const [pr, fr] = [chl.column('PHI').data, chl.column('FOM').data];
    for (let c = 0; c < 3; c++) expect(ours.columns[c].data).toEqual(chl.columns[c].data);
    expect(worst(ours.nref, (i) => Math.abs(f[i] - fr[i])).value).toBeLessThan(1e-6);
    const w = worst(ours.nref, (i) => (fr[i] > 0.05 ? phaseDiff(p[i], pr[i]) : 0));
    expect(w.value, `row ${w.index}`).toBeLessThan(1e-4);
    // centric reflections are among them: P 21 21 21 has 1889 here
    const ctx = reflectionContext(
      ours.columns[0].data,
      ours.columns[1].data,
      ours.columns[2].data,
      ours.cell,
      ours.spaceGroup.symops,
    );
    expect(ctx.centric.reduce((a, b) => a + b, 0)).toBe(1889);
  });

  it('initial_phases_as_PHIFOM.mtz → HL matches clipper invsim (1e-6 relative)', () => {
    const out = join(tmp, 'phases_asHL.mtz');
    convertMtz(data('gamma/initial_phases_as_PHIFOM.mtz'), 'HL', { out });
    const m = readMtz(out);
    expect(m.columns.map((c) => c.type).join('')).toBe('HHHAAAA');
    const t = readReferenceCsv('phifom_to_hl_gamma.csv');
    for (const [label, ref] of [
      ['HLA', 'HLA_clipper'],
      ['HLB', 'HLB_clipper'],
    ]) {
      const pairs = matched(m, label, t, ref);
      expect(
        worst(
          pairs.length,
          (i) => Math.abs(pairs[i][0] - pairs[i][1]) / Math.max(Math.abs(pairs[i][1]), 1e-3),
        ).value,
      ).toBeLessThan(1e-6);
    }
    expect(Math.max(...m.column('HLC').data.map(Math.abs), ...m.column('HLD').data.map(Math.abs))).toBe(0);
  });
});

describe('P 65 2 2 (4hg7): centric flags and allowed phases from the file’s symmetry', () => {
  const sf = data('mdm2/4hg7-sf.mtz');

  it('PHIC,FOM → HL matches clipper (atanh for centrics, invsim for acentrics) on the reference rows', () => {
    const rep = convertMtz(sf, 'HL', { out: join(tmp, 'mdm2_asHL.mtz'), columns: ['PHIC', 'FOM'] });
    expect(rep.from).toBe('PHIFOM');
    const m = readMtz(rep.path!);
    const t = readReferenceCsv('phifom_to_hl_mdm2.csv');
    for (const [label, ref] of [
      ['HLA', 'HLA_clipper'],
      ['HLB', 'HLB_clipper'],
    ]) {
      const pairs = matched(m, label, t, ref);
      const w = worst(
        pairs.length,
        (i) => Math.abs(pairs[i][0] - pairs[i][1]) / Math.max(Math.abs(pairs[i][1]), 1e-3),
      );
      expect(w.value, `${label} row ${w.index}`).toBeLessThan(1e-6);
    }
  });

  it('HL → PHIFOM puts every centric phase on its allowed phase (0–150°) and recovers its FOM', () => {
    const back = convertMtz(join(tmp, 'mdm2_asHL.mtz'), 'PHIFOM', { out: join(tmp, 'mdm2_back.mtz') });
    const m = readMtz(back.path!);
    const src = readMtz(sf);
    const [h, k, l] = [0, 1, 2].map((c) => m.columns[c].data);
    const ctx = reflectionContext(h, k, l, m.cell, m.spaceGroup.symops);
    const phi = m.column('PHI').data;
    const fom = m.column('FOM').data;
    const fom0 = src.column('FOM').data;
    const phic = src.column('PHIC').data;
    const allowedSeen = new Set<number>();
    let n = 0;
    for (let i = 0; i < m.nref; i++) {
      if (!ctx.centric[i] || !(fom0[i] > 0.05 && fom0[i] < 0.999)) continue;
      n++;
      allowedSeen.add(ctx.allowedDeg[i]);
      const d = phaseDiff(phi[i], ctx.allowedDeg[i]);
      expect(Math.min(d, 180 - d)).toBeLessThan(1e-4);
      // independent of our symmetry code: the deposited PHIC of a centric lies on its allowed phase
      expect(phaseDiff(phi[i], phic[i])).toBeLessThan(1e-3);
      expect(Math.abs(fom[i] - fom0[i])).toBeLessThan(1e-6);
    }
    expect(n).toBeGreaterThan(800);
    expect([...allowedSeen].sort((a, b) => a - b)).toEqual([0, 30, 60, 90, 120, 150]);
  });
});

describe('French–Wilson on real files', () => {
  const native = data('gamma/merged_intensities_native.mtz');

  it('the prior per shell equals the reference script’s (20 equal-count shells, S = ⟨I/ε⟩) to 1e-9', () => {
    const m = readMtz(native);
    const [h, k, l] = [0, 1, 2].map((c) => m.columns[c].data);
    const ctx = reflectionContext(h, k, l, m.cell, m.spaceGroup.symops);
    const mean = anomalousMean(
      m.column('Iplus').data,
      m.column('SIGIplus').data,
      m.column('Iminus').data,
      m.column('SIGIminus').data,
      ctx.centric,
    );
    const prior = shellPrior(ctx.invD2, mean.mean, mean.sigma, ctx.epsilon);
    const ref = JSON.parse(readFileSync(resolve(REFERENCE, 'fw_prior_gamma_native.json'), 'utf8')) as {
      shells: { bin: number; S: number; usable: number }[];
    };
    expect(prior.meanIntensity.length).toBe(ref.shells.length);
    ref.shells.forEach((s, b) => {
      expect(prior.counts[b]).toBe(s.usable);
      expect(relDiff(prior.meanIntensity[b], s.S)).toBeLessThan(1e-9);
    });
  });

  it('IPAIR → FMEAN (French–Wilson of the mean) matches the reference F, SIGF to 1e-5 relative', () => {
    const rep = convertMtz(native, 'FMEAN', { out: join(tmp, 'n_asFMEAN.mtz') });
    expect(rep).toMatchObject({
      from: 'IPAIR',
      to: 'FMEAN',
      sourceColumns: ['Iplus', 'SIGIplus', 'Iminus', 'SIGIminus'],
    });
    const m = readMtz(rep.path!);
    expect(m.columns.map((c) => `${c.label}:${c.type}`).slice(3)).toEqual(['F:F', 'SIGF:Q']);
    const t = readReferenceCsv('fw_gamma_native.csv');
    for (const [label, ref] of [
      ['F', 'F'],
      ['SIGF', 'SIGF'],
    ]) {
      const pairs = matched(m, label, t, ref);
      const w = worst(pairs.length, (i) => relDiff(pairs[i][0], pairs[i][1]));
      expect(w.value, `${label} row ${w.index}`).toBeLessThan(1e-5);
    }
  });

  it('IPAIR → FPAIR matches the reference F(+), F(-) to 1e-5 relative', () => {
    const rep = convertMtz(native, 'FPAIR', { out: join(tmp, 'n_asFPAIR.mtz') });
    const m = readMtz(rep.path!);
    expect(m.columns.map((c) => `${c.label}:${c.type}`).slice(3)).toEqual([
      'Fplus:G',
      'SIGFplus:L',
      'Fminus:G',
      'SIGFminus:L',
    ]);
    const t = readReferenceCsv('fw_gamma_native.csv');
    for (const label of ['Fplus', 'SIGFplus', 'Fminus', 'SIGFminus']) {
      const pairs = matched(m, label, t, label);
      const w = worst(pairs.length, (i) => relDiff(pairs[i][0], pairs[i][1]));
      expect(w.value, `${label} row ${w.index}`).toBeLessThan(1e-5);
    }
  });

  it('IMEAN → FMEAN: an IMEAN file made by us converts to the same F as IPAIR → FMEAN', () => {
    const imean = convertMtz(native, 'IMEAN', { out: join(tmp, 'n_asIMEAN.mtz') });
    const viaMean = convertMtz(imean.path!, 'FMEAN', { out: join(tmp, 'n_asIMEAN_asFMEAN.mtz') });
    expect(viaMean.from).toBe('IMEAN');
    const a = readMtz(viaMean.path!).column('F').data;
    const b = readMtz(join(tmp, 'n_asFMEAN.mtz')).column('F').data;
    // the mean went through float32 in between, so agreement is to float32 precision, not exact
    expect(worst(a.length, (i) => relDiff(a[i], b[i])).value).toBeLessThan(1e-5);
  });
});

describe('anomalous means on real files', () => {
  it('gamma Xe IPAIR → IMEAN equals the reference (centric duplicates once) to float32 precision', () => {
    const rep = convertMtz(data('gamma/merged_intensities_Xe.mtz'), 'IMEAN', {
      out: join(tmp, 'xe_asIMEAN.mtz'),
    });
    const m = readMtz(rep.path!);
    expect(m.columns.map((c) => `${c.label}:${c.type}`).slice(3)).toEqual(['I:J', 'SIGI:Q']);
    const t = readReferenceCsv('anom_mean_gamma_Xe.csv');
    for (const [label, ref] of [
      ['I', 'Wc'],
      ['SIGI', 'SIGWc'],
    ]) {
      const pairs = matched(m, label, t, ref);
      expect(worst(pairs.length, (i) => relDiff(pairs[i][0], pairs[i][1])).value).toBeLessThan(1e-6);
    }
  });

  it('rnase25 FHG(±) → FMEAN with explicit columns and averaged centric duplicates equals W', () => {
    const rep = convertMtz(data('rnase/rnase25_Nat_Derivs.mtz'), 'FMEAN', {
      out: join(tmp, 'fhg_asFMEAN.mtz'),
      columns: ['FHG(+)', 'SIGFHG(+)', 'FHG(-)', 'SIGFHG(-)'],
      centricDuplicates: 'average',
    });
    expect(rep.from).toBe('FPAIR');
    const m = readMtz(rep.path!);
    const t = readReferenceCsv('anom_mean_rnase25_FHG.csv');
    for (const [label, ref] of [
      ['F', 'W'],
      ['SIGF', 'SIGW'],
    ]) {
      const pairs = matched(m, label, t, ref);
      expect(worst(pairs.length, (i) => relDiff(pairs[i][0], pairs[i][1])).value).toBeLessThan(1e-6);
    }
    // the FHG dataset is kept for the output columns
    const ds = m.dataset(m.column('F').datasetId);
    expect(ds?.dataset).toBe(
      readMtz(data('rnase/rnase25_Nat_Derivs.mtz')).dataset(
        readMtz(data('rnase/rnase25_Nat_Derivs.mtz')).column('FHG(+)').datasetId,
      )?.dataset,
    );
  });
});

describe('output naming and bookkeeping', () => {
  it('writes <stem>_as<TYPE>.mtz next to the input by default and records the method in the history', () => {
    const copy = join(tmp, 'rnase25_fsigf.mtz');
    copyFileSync(data('rnase_mini/rnase25_fsigf.mtz'), copy);
    const rep = convertMtz(copy, 'FMEAN');
    expect(rep.path).toBe(join(tmp, 'rnase25_fsigf_asFMEAN.mtz'));
    expect(convertedPath('/a/b/x.y.mtz', 'HL')).toBe('/a/b/x.y_asHL.mtz');
    const m = readMtz(rep.path!);
    expect(m.history.at(-1)).toMatch(/^ccp4i2-ts convert: FMEAN -> FMEAN/);
    // a copy: values identical to the input
    const src = readMtz(copy);
    expect(m.column('F').data).toEqual(src.column('F').data);
    expect(m.column('SIGF').data).toEqual(src.column('SIGF').data);
  });
});

describe('every shared MTZ file to every type', () => {
  const files = [
    'beta_blip/beta_blip_P3221.mtz',
    'brap/brap_pk_6A.mtz',
    'brap/brap_pk_6A_scaled2.mtz',
    'gamma/freeR.mtz',
    'gamma/initial_phases.mtz',
    'gamma/initial_phases_as_PHIFOM.mtz',
    'gamma/merged_intensities_Xe.mtz',
    'gamma/merged_intensities_native.mtz',
    'mdm2/4hg7-sf.mtz',
    'rnase/rnase18_Nat_Complexes.mtz',
    'rnase/rnase25_Nat_Derivs.mtz',
    'rnase_mini/FPHIOUT.mtz',
    'rnase_mini/rnase25_fsigf.mtz',
    'rnase_mini/rnase25_freer.mtz',
  ];
  it('converts or refuses with a coded error, never anything else', () => {
    const outcomes: string[] = [];
    for (const f of files) {
      const m = readMtz(data(f));
      for (const to of ['IPAIR', 'FPAIR', 'IMEAN', 'FMEAN', 'HL', 'PHIFOM'] as const) {
        try {
          const { mtz, report } = convertMtzData(m, to);
          expect(mtz.nref).toBe(m.nref);
          outcomes.push(`${f} ${report.from}->${to}`);
        } catch (e) {
          expect(e).toBeInstanceOf(Ccp4Error);
          outcomes.push(`${f} ${to}: ${(e as Ccp4Error).className} ${(e as Ccp4Error).code}`);
        }
      }
    }
    // a few outcomes that pin the column choice: types decide where labels do not match
    expect(outcomes).toContain('beta_blip/beta_blip_P3221.mtz FMEAN->FMEAN');
    expect(outcomes).toContain('brap/brap_pk_6A_scaled2.mtz IPAIR->FMEAN');
    expect(outcomes).toContain('mdm2/4hg7-sf.mtz FMEAN->FMEAN');
    expect(outcomes).toContain('mdm2/4hg7-sf.mtz PHIFOM->HL');
    expect(outcomes).toContain('brap/brap_pk_6A.mtz FMEAN: ObsDataConverter 6');
    expect(outcomes).toContain('rnase_mini/FPHIOUT.mtz PHIFOM: PhaseDataConverter 2');
    expect(outcomes).toContain('mdm2/4hg7-sf.mtz IMEAN: ObsDataConverter 3');
    expect(outcomes).toContain('gamma/freeR.mtz HL: PhaseDataConverter 2');
  });
});

describe('impossible conversions and bad input give coded errors', () => {
  const fsigf = data('rnase_mini/rnase25_fsigf.mtz');
  it.each([
    [fsigf, 'IPAIR'],
    [fsigf, 'IMEAN'],
    [fsigf, 'FPAIR'],
  ] as const)('%s → %s is impossible (ObsDataConverter 3)', (file, to) => {
    const e = thrown(() => convertMtz(file, to, { out: join(tmp, 'never.mtz') }));
    expect([e.className, e.code]).toEqual(['ObsDataConverter', 3]);
    expect(e.file).toBe(file);
    expect(e.message).toMatch(/cannot convert FMEAN/);
  });

  it('FPAIR → IMEAN and IMEAN → FPAIR are impossible', () => {
    const fhg = ['FHG(+)', 'SIGFHG(+)', 'FHG(-)', 'SIGFHG(-)'];
    const e1 = thrown(() => convertMtz(data('rnase/rnase25_Nat_Derivs.mtz'), 'IMEAN', { columns: fhg }));
    expect([e1.className, e1.code]).toEqual(['ObsDataConverter', 3]);
    const e2 = thrown(() => convertMtz(join(tmp, 'n_asIMEAN.mtz'), 'FPAIR'));
    expect([e2.className, e2.code]).toEqual(['ObsDataConverter', 3]);
  });

  it('asking for phases from an observation file (and the reverse) names what is missing', () => {
    const e = thrown(() => convertMtz(fsigf, 'HL'));
    expect([e.className, e.code]).toEqual(['PhaseDataConverter', 2]);
    const e2 = thrown(() => convertMtz(data('gamma/initial_phases.mtz'), 'FMEAN'));
    expect([e2.className, e2.code]).toEqual(['ObsDataConverter', 2]);
    const e3 = thrown(() =>
      convertMtz(data('gamma/initial_phases.mtz'), 'FMEAN', { columns: ['HLA', 'HLB', 'HLC', 'HLD'] }),
    );
    expect([e3.className, e3.code]).toEqual(['ObsDataConverter', 3]);
  });

  it('missing or mistyped columns (code 4), unmerged data (code 6), unknown type (code 7), a non-MTZ file', () => {
    const e = thrown(() => convertMtz(fsigf, 'FMEAN', { columns: ['F', 'SIGFP'] }));
    expect([e.className, e.code]).toEqual(['ObsDataConverter', 4]);
    expect(e.message).toMatch(/'SIGFP'/);
    const e2 = thrown(() => convertMtz(fsigf, 'FMEAN', { columns: ['SIGF', 'F'] }));
    expect([e2.code, e2.message]).toEqual([4, expect.stringMatching(/types QF/)]);
    const e3 = thrown(() => convertMtz(data('brap/brap_pk_6A.mtz'), 'FMEAN'));
    expect([e3.className, e3.code]).toEqual(['ObsDataConverter', 6]);
    const e4 = thrown(() => parseDataType('FPHI'));
    expect(e4.code).toBe(7);
    expect(parseDataType('fmean')).toBe('FMEAN');
    const e5 = thrown(() => convertMtz(data('gamma/gamma_model.pdb'), 'FMEAN'));
    expect(e5.className).toBe('MtzReader');
  });

  /** A small P1 IMEAN file with the given sigmas. */
  function imeanFile(sig: number[]): Mtz {
    const n = sig.length;
    const col = (f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
    return createMtz({
      cell: [30, 40, 50, 90, 90, 90],
      spaceGroup: {
        name: 'P 1',
        number: 1,
        symops: [{ rot: [1, 0, 0, 0, 1, 0, 0, 0, 1], tran: [0, 0, 0] }],
        nprim: 1,
        lattice: 'P',
        pointGroup: 'PG1',
      },
      columns: [
        { label: 'H', type: 'H', datasetId: 0, data: col((i) => 1 + (i % 7)) },
        { label: 'K', type: 'H', datasetId: 0, data: col((i) => Math.floor(i / 7) % 7) },
        { label: 'L', type: 'H', datasetId: 0, data: col((i) => Math.floor(i / 49)) },
        { label: 'I', type: 'J', datasetId: 0, data: col((i) => 100 + 10 * (i % 13)) },
        { label: 'SIGI', type: 'Q', datasetId: 0, data: Float32Array.from(sig) },
      ],
    });
  }

  it('NaN, zero and negative sigmas are missing observations; none usable is code 5', () => {
    const sig = Array.from({ length: 300 }, (_, i) => [Number.NaN, 0, -1, 5][i % 4]);
    const { mtz, report } = convertMtzData(imeanFile(sig), 'FMEAN');
    expect(report.nvalid).toBe(75);
    const F = mtz.column('F').data;
    for (let i = 0; i < 300; i++) expect(Number.isNaN(F[i])).toBe(i % 4 !== 3);
    const e = thrown(() => convertMtzData(imeanFile(sig.map((s) => (s === 5 ? Number.NaN : s))), 'FMEAN'));
    expect([e.className, e.code]).toEqual(['ObsDataConverter', 5]);
  });
});
