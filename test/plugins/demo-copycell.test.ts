import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CData } from '../../src/data/index.js';
import { readMtz, writeMtz } from '../../src/formats/mtz/index.js';
import { parseTriplet } from '../../src/formats/symmetry/symop.js';
import { CPluginScript, type demo_copycell, taskRegistry } from '../../src/plugins/index.js';
import { gemmiPython, gemmiReadStructure, requirePythonGemmi } from '../formats/coords/gemmi-py.js';
import { requireTool } from '../helpers/tools.js';
import { diagnosticCodes, tempDir } from './helpers.js';

const ROOT = resolve(__dirname, '../..');
const DATA = join(ROOT, 'test/fixtures/data');
const FAKES = join(ROOT, 'test/fakes/bin');
const MTZ = join(DATA, 'gamma/merged_intensities_native.mtz');
const PDB = join(DATA, 'gamma/gamma_model.pdb');
/** The environment of a machine without CCP4: the built-in gemmi route is taken. */
const NO_CCP4 = { PATH: '/usr/local/bin:/usr/bin:/bin', CCP4: undefined };

const haveGemmi = requireTool('gemmi', ['--version']) && requirePythonGemmi();

function copycell(work: string, hklin: string, xyzin: string, xyzout: string, ccp4: boolean) {
  const cls = taskRegistry.require('demo_copycell').pluginClass!;
  const p = new cls(
    ccp4 ? { workDirectory: work, programPath: [FAKES] } : { workDirectory: work, env: NO_CCP4 },
  ) as demo_copycell;
  (p.inputData.find('HKLIN') as CData).set(hklin);
  (p.inputData.find('XYZIN') as CData).set(xyzin);
  if (xyzout) (p.outputData.find('XYZOUT') as CData).set(xyzout);
  return p;
}

function lines(path: string): string[] {
  return readFileSync(path, 'latin1').split('\n');
}

/** The cell gemmi reads from an MTZ file (first dataset, as mtzdump). */
function mtzCell(path: string): number[] {
  return gemmiPython<number[]>(
    'm = gemmi.read_mtz_file(args)\nc = m.datasets[1].cell if len(m.datasets) > 1 else m.cell\nprint(json.dumps([c.a, c.b, c.c, c.alpha, c.beta, c.gamma]))',
    path,
  );
}

function expectCellWritten(out: string, cell: number[]) {
  const st = gemmiReadStructure(out);
  st.cell.forEach((v, i) => {
    expect(v).toBeCloseTo(cell[i]!, 3);
  });
  // SCALEn / fract_transf as printed (%10.6f / %.6f) agree with gemmi's fractionalisation of the written
  // cell to the printed precision: within half a unit of the sixth decimal.
  const mine = st.frac;
  const printed = readPrintedFrac(out);
  if (!printed) return false;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      expect(Math.abs(printed[i]![j]! - mine[i]![j]!)).toBeLessThanOrEqual(5.0001e-7);
  return true;
}

/**
 * Every line of `before` is in `after` at the same place, unchanged, except the lines `changed` matches
 * (CRYST1/SCALEn or _cell/fract_transf), which keep their record name and place.
 */
function expectOnlyCellLinesChanged(before: string[], after: string[], changed: RegExp) {
  expect(after).toHaveLength(before.length);
  let n = 0;
  before.forEach((line, i) => {
    if (changed.test(line)) {
      n++;
      expect(after[i]!.split(/\s/)[0]).toBe(line.split(/\s/)[0]);
    } else expect(after[i], `line ${i + 1}`).toBe(line);
  });
  return n;
}

/** SCALE1-3 from a PDB file, or _atom_sites.fract_transf_matrix from an mmCIF file, as printed. */
function readPrintedFrac(path: string): number[][] | undefined {
  const text = readFileSync(path, 'latin1');
  const scale = [...text.matchAll(/^SCALE([123])\s+(\S+)\s+(\S+)\s+(\S+)/gm)];
  if (scale.length === 3) return scale.map((m) => [Number(m[2]), Number(m[3]), Number(m[4])]);
  const m: number[][] = [[], [], []];
  for (const x of text.matchAll(/^_atom_sites\.fract_transf_matrix\[(\d)\]\[(\d)\]\s+(\S+)/gm))
    m[Number(x[1]) - 1]![Number(x[2]) - 1] = Number(x[3]);
  return m[0]!.length === 3 ? m : undefined;
}

describe.skipIf(!haveGemmi)('demo_copycell, the milestone pipeline', () => {
  for (const ccp4 of [false, true]) {
    const route = ccp4 ? "CCP4's mtzdump + pdbset (FAKE stand-ins)" : 'gemmi + in-process cell writer';
    it(`copies the MTZ cell into a PDB file: ${route}`, async () => {
      const dir = tempDir();
      const out = join(dir, 'out.pdb');
      const p = copycell(join(dir, 'job_1'), MTZ, PDB, out, ccp4);
      expect(await p.process()).toBe(CPluginScript.SUCCEEDED);
      expect(p.route).toBe(ccp4 ? 'ccp4' : 'gemmi');
      const kids = p.children() as CPluginScript[];
      expect(kids.map((k) => k.taskName)).toEqual(
        ccp4 ? ['mtzdump', 'pdbset'] : ['gemmi_cell', 'cell_writer'],
      );
      expect(kids.map((k) => k.workDirectory)).toEqual([
        join(dir, 'job_1', 'job_1'),
        join(dir, 'job_1', 'job_2'),
      ]);
      const before = lines(PDB);
      const after = lines(out);
      expect(after.find((l) => l.startsWith('CRYST1'))).toBe(
        'CRYST1   34.089   54.816   68.011  90.00  90.00  90.00 P 21 21 21               ',
      );
      expect(expectOnlyCellLinesChanged(before, after, /^(CRYST1|SCALE[123])/)).toBe(4);
      expect(after.filter((l) => /^SCALE[123]/.test(l))).toEqual([
        'SCALE1      0.029335  0.000000  0.000000        0.00000                         ',
        'SCALE2      0.000000  0.018243  0.000000        0.00000                         ',
        'SCALE3      0.000000  0.000000  0.014704        0.00000                         ',
      ]);
      expect(expectCellWritten(out, mtzCell(MTZ))).toBe(true);
      if (ccp4) {
        expect(readFileSync(join(dir, 'job_1/job_1/com.txt'), 'utf8')).toBe('HEADER\nNREF -1\nEND\n');
        expect(readFileSync(join(dir, 'job_1/job_2/com.txt'), 'utf8')).toBe(
          'CELL 34.0887 54.8162 68.0108 90.0 90.0 90.0\nEND\n',
        );
      }
      expect(readFileSync(join(dir, 'job_1', 'log.txt'), 'utf8')).toMatch(
        ccp4 ? /using CCP4's mtzdump and pdbset/ : /using gemmi mtz/,
      );
    });
  }

  it.each([
    ['gemmi + in-process cell writer', false],
    ["CCP4's mtzdump + pdbset (FAKE stand-ins)", true],
  ])(
    'writes _cell and recomputes fract_transf in an mmCIF model, every other line unchanged: %s',
    async (_, ccp4) => {
      const dir = tempDir();
      const cif = join(dir, 'gamma_model.cif');
      expect(spawnSync('gemmi', ['convert', PDB, cif]).status).toBe(0);
      // gemmi convert writes no _atom_sites.fract_transf items; add them as PDBx files have them (the PDB's
      // SCALEn for its own cell), right after the _symmetry items.
      const scale = lines(PDB).filter((l) => /^SCALE[123]/.test(l));
      const atomSites = ['_atom_sites.entry_id xxxx'];
      scale.forEach((l, i) => {
        const f = l.trim().split(/\s+/).slice(1, 5);
        for (let j = 0; j < 3; j++)
          atomSites.push(`_atom_sites.fract_transf_matrix[${i + 1}][${j + 1}] ${f[j]}`);
      });
      scale.forEach((l, i) => {
        atomSites.push(`_atom_sites.fract_transf_vector[${i + 1}] ${l.trim().split(/\s+/)[4]}`);
      });
      const text = lines(cif);
      const at = text.findIndex((l) => l.startsWith('_symmetry.Int_Tables_number')) + 1;
      expect(at).toBeGreaterThan(0);
      writeFileSync(cif, [...text.slice(0, at), '', ...atomSites, ...text.slice(at)].join('\n'), 'latin1');
      expect(gemmiReadStructure(cif).cell).toEqual([34.162, 54.818, 68.052, 90, 90, 90]);

      const p = copycell(join(dir, 'job_1'), MTZ, cif, '', ccp4);
      expect(await p.process()).toBe(0);
      expect(p.route).toBe(ccp4 ? 'ccp4' : 'gemmi');
      const out = join(dir, 'job_1', 'XYZOUT.cif');
      expect(
        expectOnlyCellLinesChanged(
          lines(cif),
          lines(out),
          /^_cell\.(length|angle)|^_atom_sites\.fract_transf/,
        ),
      ).toBe(6 + 12);
      const after = lines(out);
      expect(after.filter((l) => /^_cell\.(length|angle)/.test(l))).toEqual([
        '_cell.length_a 34.089',
        '_cell.length_b 54.816',
        '_cell.length_c 68.011',
        '_cell.angle_alpha 90.00',
        '_cell.angle_beta 90.00',
        '_cell.angle_gamma 90.00',
      ]);
      expect(after).toContain('_atom_sites.fract_transf_matrix[1][1] 0.029335');
      expect(expectCellWritten(out, mtzCell(MTZ))).toBe(true);
    },
  );

  it('writes a monoclinic cell (beta != 90) with SCALE recomputed', async () => {
    const dir = tempDir();
    // No shared MTZ file has a monoclinic cell: write one with our own MTZ writer (the gamma data with a
    // P 1 21 1 cell), and check that gemmi reads that cell from it.
    const mono = join(dir, 'mono.mtz');
    const cell = [52.31, 61.07, 70.93, 90, 104.62, 90] as const;
    const m = readMtz(MTZ);
    m.cell = cell;
    m.datasets = m.datasets.map((d) => ({ ...d, cell }));
    m.spaceGroup = {
      name: 'P 1 21 1',
      number: 4,
      symops: [parseTriplet('x,y,z'), parseTriplet('-x,y+1/2,-z')],
      nprim: 2,
      lattice: 'P',
      pointGroup: 'PG2',
    };
    writeMtz(m, mono);
    expect(mtzCell(mono)).toEqual([...cell].map((v) => expect.closeTo(v, 4)));
    const pdb = join(dir, 'model.pdb');
    copyFileSync(PDB, pdb);
    const expected = 'CRYST1   52.310   61.070   70.930  90.00 104.62  90.00 P 21 21 21               ';
    const out = join(dir, 'out.pdb');
    const p = copycell(join(dir, 'job_1'), mono, pdb, out, false);
    expect(await p.process()).toBe(0);
    expect(p.route).toBe('gemmi');
    expect(lines(out).find((l) => l.startsWith('CRYST1'))).toBe(expected);
    expect(expectOnlyCellLinesChanged(lines(pdb), lines(out), /^(CRYST1|SCALE[123])/)).toBe(4);
    // beta != 90: SCALE1 gains a z term.
    expect(lines(out).find((l) => l.startsWith('SCALE1'))).not.toMatch(
      /^SCALE1\s+\S+\s+0\.000000\s+0\.000000/,
    );
    expect(expectCellWritten(out, [...cell])).toBe(true);
    // The FAKE mtzdump only knows the listings of the shared files: run the pdbset wrapper alone.
    const ps = new (taskRegistry.require('pdbset').pluginClass!)({
      workDirectory: join(dir, 'job_2'),
      programPath: [FAKES],
    });
    (ps.inputData.find('XYZIN') as CData).set(pdb);
    (ps.inputData.find('CELL') as CData).set({
      a: 52.31,
      b: 61.07,
      c: 70.93,
      alpha: 90,
      beta: 104.62,
      gamma: 90,
    });
    expect(await ps.process()).toBe(0);
    expect(readFileSync(join(dir, 'job_2', 'com.txt'), 'utf8')).toBe(
      'CELL 52.31 61.07 70.93 90.0 104.62 90.0\nEND\n',
    );
    expect(readFileSync(join(dir, 'job_2', 'XYZOUT.pdb'), 'latin1')).toBe(readFileSync(out, 'latin1'));
  });

  it('fails with 107 and diagnostic.xml when an input file is missing, running nothing', async () => {
    const dir = tempDir();
    const p = copycell(join(dir, 'job_1'), join(dir, 'missing.mtz'), PDB, '', false);
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(p.children()).toHaveLength(0);
    expect(diagnosticCodes(join(dir, 'job_1'))).toEqual(['CMtzDataFile:101', 'CPluginScript:107']);
  });

  it('fails with mtzdump 101 merged in when the mtzdump log cannot be read', async () => {
    const dir = tempDir();
    const garbage = join(dir, 'garbage.txt');
    writeFileSync(garbage, 'this is not an mtzdump listing\n');
    const cls = taskRegistry.require('demo_copycell').pluginClass!;
    const p = new cls({
      workDirectory: join(dir, 'job_1'),
      programPath: [FAKES],
      env: { FAKE_MTZDUMP_LISTING: garbage },
    });
    (p.inputData.find('HKLIN') as CData).set(MTZ);
    (p.inputData.find('XYZIN') as CData).set(PDB);
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(join(dir, 'job_1', 'job_1'))).toEqual(['mtzdump:101']);
    expect(diagnosticCodes(join(dir, 'job_1'))).toEqual(['CPluginScript:114', 'mtzdump:101']);
  });
});

describe.skipIf(!haveGemmi)('demo_copycell: unreadable inputs', () => {
  it.each([
    ['HKLIN', 'gemmi_cell'],
    ['XYZIN', 'cell_writer'],
  ])(
    'an %s that exists but cannot be read fails the %s step and the pipeline, with its error merged',
    async (which, task) => {
      const dir = tempDir();
      const garbage = join(dir, which === 'HKLIN' ? 'garbage.mtz' : 'garbage.pdb');
      writeFileSync(garbage, which === 'HKLIN' ? 'not an MTZ file\n' : '\0\0\0 binary, not coordinates\n');
      const p = copycell(
        join(dir, 'job_1'),
        which === 'HKLIN' ? garbage : MTZ,
        which === 'XYZIN' ? garbage : PDB,
        join(dir, 'out.pdb'),
        false,
      );
      expect(await p.process()).toBe(CPluginScript.FAILED);
      const kids = p.children() as CPluginScript[];
      const failed = kids.find((k) => k.taskName === task)!;
      expect(failed.status).toBe(CPluginScript.FAILED);
      const childCodes = diagnosticCodes(failed.workDirectory);
      expect(childCodes.length).toBeGreaterThan(0);
      // The error names the file at fault: gemmi's log (quoting gemmi), or the coordinate file itself.
      const first = failed.errorReport.entries[0]!;
      if (which === 'HKLIN') {
        expect(first.file).toBe(join(failed.workDirectory, 'log.txt'));
        expect(first.details).toContain(garbage);
      } else expect(first.file).toBe(garbage);
      expect(diagnosticCodes(join(dir, 'job_1'))).toEqual(['CPluginScript:114', ...childCodes]);
      const e = p.errorReport.entries.find((x) => x.code === 114)!;
      expect(e.details).toContain(`(${task}) ended FAILED`);
      expect(readFileSync(join(dir, 'job_1', 'diagnostic.xml'), 'utf8')).not.toMatch(/\n\s+at .*:\d+:\d+/);
      expect(() => readFileSync(join(dir, 'out.pdb'))).toThrow();
    },
  );
});
