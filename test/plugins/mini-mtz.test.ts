import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CData, CDataFile } from '../../src/data/index.js';
import { isCcp4Error } from '../../src/errors/ccp4-error.js';
import {
  CONTENT_COLUMN_TYPES,
  CONTENT_FILE_CLASSES,
  CONTENT_FLAG_NAMES,
  CONTENT_SIGNATURES,
  createMtz,
  readMtz,
  writeMtz,
} from '../../src/formats/mtz/index.js';
import { CPluginScript, makeHklin, planHklin, splitHklout } from '../../src/plugins/index.js';
import { defFile, tempDir } from './helpers.js';

const DATA = resolve(__dirname, '../fixtures/data');
const NATIVE = join(DATA, 'gamma/merged_intensities_native.mtz'); // Iplus SIGIplus Iminus SIGIminus
const FREER = join(DATA, 'gamma/freeR.mtz'); // FREER

function plugin() {
  const dir = tempDir();
  const def = defFile(dir, 'porter', {
    inputData: [
      ['OBSIN', 'CObsDataFile'],
      ['FREERFLAG', 'CFreeRDataFile'],
      ['XYZIN', 'CPdbDataFile'],
    ],
    outputData: [
      ['HKLOUT', 'CMtzDataFile'],
      ['FSIGF', 'CObsDataFile'],
      ['FPHIOUT', 'CMapCoeffsDataFile'],
    ],
  });
  // As while the job runs (processInputFiles / processOutputFiles): its directory exists.
  mkdirSync(join(dir, 'job'));
  const p = new CPluginScript({ workDirectory: join(dir, 'job'), defFile: def });
  (p.inputData.find('OBSIN') as CData).set(NATIVE);
  (p.inputData.find('FREERFLAG') as CData).set(FREER);
  return p;
}

/** Values of `label` in `file` by "h k l". */
function byHkl(file: string, label: string): Map<string, number> {
  const m = readMtz(file);
  const [h, k, l] = ['H', 'K', 'L'].map((c) => m.column(c).data);
  const v = m.column(label).data;
  return new Map(Array.from(v, (x, i) => [`${h[i]} ${k[i]} ${l[i]}`, x]));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isCcp4Error(e)) return `${e.className} ${e.code}`;
    throw e;
  }
  return 'no error';
}

/** Writes `path`: NATIVE's cell, symmetry and H K L with the given columns, each filled by `value(row)`. */
function writeLike(path: string, columns: { label: string; type: string; value: (row: number) => number }[]) {
  const src = readMtz(NATIVE);
  writeMtz(
    createMtz({
      cell: src.cell,
      spaceGroup: src.spaceGroup,
      datasets: src.datasets,
      columns: [
        ...['H', 'K', 'L'].map((l) => ({ label: l, type: 'H', datasetId: 0, data: src.column(l).data })),
        ...columns.map(({ label, type, value }) => ({
          label,
          type,
          datasetId: 1,
          data: Float32Array.from({ length: src.nref }, (_, r) => value(r)),
        })),
      ],
    }),
    path,
  );
  return path;
}

describe('makeHklin', () => {
  it("merges mini-MTZ inputs into one HKLIN with CCP4i2's <NAME>_<label> columns, matched by H K L", () => {
    const p = plugin();
    const r = makeHklin(p, ['OBSIN', 'FREERFLAG']);
    expect(r.file).toBe(join(p.workDirectory, 'hklin.mtz'));
    expect(r.columns).toEqual([
      'OBSIN_Iplus',
      'OBSIN_SIGIplus',
      'OBSIN_Iminus',
      'OBSIN_SIGIminus',
      'FREERFLAG_FREER',
    ]);
    expect(r.labels).toEqual({ OBSIN: r.columns.slice(0, 4), FREERFLAG: ['FREERFLAG_FREER'] });
    const out = readMtz(r.file);
    expect(out.columns.map((c) => `${c.label}:${c.type}`)).toEqual([
      'H:H',
      'K:H',
      'L:H',
      'OBSIN_Iplus:K',
      'OBSIN_SIGIplus:M',
      'OBSIN_Iminus:K',
      'OBSIN_SIGIminus:M',
      'FREERFLAG_FREER:I',
    ]);
    // Every reflection of either file is there once, each value where its H K L says.
    const native = byHkl(NATIVE, 'Iplus');
    const free = byHkl(FREER, 'FREER');
    const keys = new Set([...native.keys(), ...free.keys()]);
    expect(out.nref).toBe(keys.size);
    const got = byHkl(r.file, 'OBSIN_Iplus');
    const gotFree = byHkl(r.file, 'FREERFLAG_FREER');
    for (const [k, v] of native)
      expect(Object.is(got.get(k), v) || (Number.isNaN(v) && Number.isNaN(got.get(k)!))).toBe(true);
    for (const [k, v] of free) expect(gotFree.get(k)).toBe(v);
    for (const k of keys) if (!free.has(k)) expect(gotFree.get(k)).toBeNaN();
    expect(out.cell).toEqual(readMtz(NATIVE).cell);
  });

  it('planHklin gives what makeHklin makes, reading headers only and writing nothing', () => {
    const p = plugin();
    const items = ['FREERFLAG', ['OBSIN', 4] as [string, number]];
    const plan = planHklin(p, items);
    expect(readdirSync(p.workDirectory)).toEqual([]);
    expect(plan.contentFlags).toEqual({ FREERFLAG: 1, OBSIN: 4 });
    expect(makeHklin(p, items)).toEqual(plan);
    expect(readMtz(plan.file).columns.map((c) => c.label)).toEqual(['H', 'K', 'L', ...plan.columns]);
    expect(codeOf(() => planHklin(p, [['FREERFLAG', 2]]))).toBe('CPluginScript 123');
  });

  it("chosen labels, and a content flag other than the file's converts it first (IPAIR -> FMEAN)", () => {
    const p = plugin();
    const r = makeHklin(p, [{ name: 'FREERFLAG', labels: ['FREE'] }, ['OBSIN', 4]], 'merged');
    expect(r.file).toBe(join(p.workDirectory, 'merged.mtz'));
    expect(r.columns).toEqual(['FREE', 'OBSIN_F', 'OBSIN_SIGF']);
    expect(
      readMtz(r.file)
        .columns.map((c) => c.type)
        .join(''),
    ).toBe('HHHIFQ');
  });

  it('coded errors (CPluginScript 123): unset input, not a mini-MTZ, a conversion that does not exist', () => {
    const p = plugin();
    (p.inputData.find('FREERFLAG') as CDataFile).unSet();
    expect(codeOf(() => makeHklin(p, ['FREERFLAG']))).toBe('CPluginScript 123');
    expect(codeOf(() => makeHklin(p, ['XYZIN']))).toBe('CPluginScript 123');
    expect(codeOf(() => makeHklin(p, ['NOPE']))).toBe('CPluginScript 123');
    expect(codeOf(() => makeHklin(p, [{ name: 'OBSIN', labels: ['A'] }]))).toBe('CPluginScript 123');
  });
});

describe('splitHklout', () => {
  function hklout(p: CPluginScript): string {
    return writeLike(join(p.workDirectory, 'HKLOUT.mtz'), [
      { label: 'FP', type: 'F', value: (i) => i + 0.5 },
      { label: 'SIGFP', type: 'Q', value: () => 1 },
      { label: 'FWT', type: 'F', value: (i) => 2 * i },
      { label: 'PHWT', type: 'P', value: () => 45 },
    ]);
  }

  it('writes each output mini-MTZ with the standard labels of the content its column types give', () => {
    const p = plugin();
    p.checkOutputData();
    const src = hklout(p);
    splitHklout(p, ['FSIGF', 'FPHIOUT'], ['FP,SIGFP', ['FWT', 'PHWT']], src);
    const fsigf = p.outputData.find('FSIGF') as CDataFile;
    const fphi = p.outputData.find('FPHIOUT') as CDataFile;
    expect(fsigf.contentFlag).toBe(4); // FMEAN
    expect(fphi.contentFlag).toBe(1); // FPHI
    const a = readMtz(fsigf.getFullPath()!);
    expect(a.columns.map((c) => c.label)).toEqual(['H', 'K', 'L', 'F', 'SIGF']);
    expect(a.column('F').data).toEqual(readMtz(src).column('FP').data);
    expect(readMtz(fphi.getFullPath()!).columns.map((c) => `${c.label}:${c.type}`)).toEqual([
      'H:H',
      'K:H',
      'L:H',
      'F:F',
      'PHI:P',
    ]);
  });

  it('coded errors (CPluginScript 124): a missing column, columns that fit no content, counts that differ', () => {
    const p = plugin();
    p.checkOutputData();
    const src = hklout(p);
    expect(codeOf(() => splitHklout(p, ['FSIGF'], ['FP,NOPE'], src))).toBe('CPluginScript 124');
    expect(codeOf(() => splitHklout(p, ['FSIGF'], ['FWT,PHWT'], src))).toBe('CPluginScript 124');
    expect(codeOf(() => splitHklout(p, ['FSIGF', 'FPHIOUT'], ['FP,SIGFP'], src))).toBe('CPluginScript 124');
  });
});

describe("makeHklin and splitHklout for every mini-MTZ class and content flag (CCP4i2's labels)", () => {
  // One mini-MTZ file per content: the signature's labels with the column types CCP4i2 gives that content.
  const contents = CONTENT_FILE_CLASSES.flatMap((cls) =>
    CONTENT_SIGNATURES[cls].map((labels, i) => ({
      cls,
      flag: i + 1,
      labels,
      types: CONTENT_COLUMN_TYPES[cls][i],
      name: `${CONTENT_FLAG_NAMES[cls][i]}_${cls.slice(1, 4).toUpperCase()}`,
    })),
  );

  function setup() {
    const dir = tempDir();
    const def = defFile(dir, 'every', {
      inputData: contents.map((c) => [c.name, c.cls]),
      outputData: contents.map((c) => [`${c.name}_OUT`, c.cls]),
    });
    mkdirSync(join(dir, 'job'));
    const p = new CPluginScript({ workDirectory: join(dir, 'job'), defFile: def });
    contents.forEach((c, n) => {
      // Distinct values per file and column; FREER flags are small integers.
      const file = writeLike(
        join(dir, `${c.name}.mtz`),
        c.labels.map((label, j) => ({
          label,
          type: c.types[j],
          value: (r) => (c.cls === 'CFreeRDataFile' ? r % 20 : n * 1000 + j * 100 + (r % 97)),
        })),
      );
      (p.inputData.find(c.name) as CData).set(file);
    });
    p.checkOutputData();
    return p;
  }

  it(`${contents.length} contents: <NAME>_<label> in HKLIN, the standard labels and contentFlag back in each output`, () => {
    expect(contents.map((c) => `${c.cls}:${c.flag}`)).toHaveLength(8);
    const p = setup();
    const names = contents.map((c) => c.name);
    const hklin = makeHklin(p, names);
    expect(hklin.contentFlags).toEqual(Object.fromEntries(contents.map((c) => [c.name, c.flag])));
    const merged = readMtz(hklin.file);
    for (const c of contents) {
      expect(hklin.labels[c.name]).toEqual(c.labels.map((l) => `${c.name}_${l}`));
      expect(hklin.labels[c.name].map((l) => merged.column(l).type).join('')).toBe(c.types);
    }
    // The program's HKLOUT is the merged file itself: split every group back into its own output.
    splitHklout(
      p,
      names.map((n) => `${n}_OUT`),
      names.map((n) => hklin.labels[n]),
      hklin.file,
    );
    for (const c of contents) {
      const out = p.outputData.find(`${c.name}_OUT`) as CDataFile;
      expect(out.contentFlag, c.name).toBe(c.flag);
      const back = readMtz(out.getFullPath()!);
      const orig = readMtz((p.inputData.find(c.name) as CDataFile).getFullPath()!);
      expect(back.columns.map((col) => `${col.label}:${col.type}`)).toEqual([
        'H:H',
        'K:H',
        'L:H',
        ...c.labels.map((l, j) => `${l}:${c.types[j]}`),
      ]);
      for (const l of c.labels) expect(back.column(l).data, `${c.name} ${l}`).toEqual(orig.column(l).data);
    }
  });
});
