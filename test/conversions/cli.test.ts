import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMtz } from '../../src/formats/mtz/index.js';
import { runCli } from '../helpers/cli.js';
import { requireTool } from '../helpers/tools.js';
import { DATA } from './reference.js';

const tmp = mkdtempSync(join(tmpdir(), 'ccp4i2-convert-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('ccp4i2 convert', () => {
  it('converts IPAIR to FMEAN next to the input and prints what it did', () => {
    const input = join(tmp, 'native.mtz');
    copyFileSync(resolve(DATA, 'gamma/merged_intensities_native.mtz'), input);
    const r = runCli('ccp4i2', ['convert', input, '--to', 'FMEAN']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = join(tmp, 'native_asFMEAN.mtz');
    expect(r.stdout).toContain(`${out}: IPAIR -> FMEAN (French-Wilson`);
    expect(r.stdout).toContain('11908 of 11947');
    expect(readMtz(out).columns.map((c) => c.label)).toEqual(['H', 'K', 'L', 'F', 'SIGF']);
  });

  it('-o, --json and --columns', () => {
    const out = join(tmp, 'fhg.mtz');
    const r = runCli('ccp4i2', [
      'convert',
      resolve(DATA, 'rnase/rnase25_Nat_Derivs.mtz'),
      '--to',
      'fmean',
      '-o',
      out,
      '--columns',
      'FHG(+),SIGFHG(+),FHG(-),SIGFHG(-)',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep).toMatchObject({
      path: out,
      from: 'FPAIR',
      to: 'FMEAN',
      outputColumns: ['F', 'SIGF'],
      nref: 7262,
    });
    expect(existsSync(out)).toBe(true);
  });

  it('-o naming the input itself (also through a link) is FileAccess 5, and the input is kept', () => {
    const input = join(tmp, 'keep.mtz');
    copyFileSync(resolve(DATA, 'gamma/merged_intensities_native.mtz'), input);
    symlinkSync(input, join(tmp, 'keep-link.mtz'));
    const before = readFileSync(input);
    for (const out of [input, join(tmp, 'keep-link.mtz'), join(tmp, '.', 'keep.mtz')]) {
      const r = runCli('ccp4i2', ['convert', input, '--to', 'FMEAN', '-o', out]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/FileAccess 5|will not write/);
    }
    expect(readFileSync(input).equals(before)).toBe(true);
  });

  it('an impossible conversion exits 2 with the coded error and writes nothing', () => {
    const out = join(tmp, 'never.mtz');
    const r = runCli('ccp4i2', [
      'convert',
      resolve(DATA, 'rnase_mini/rnase25_fsigf.mtz'),
      '--to',
      'IPAIR',
      '-o',
      out,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot convert FMEAN \(F,SIGF\) to IPAIR \[ObsDataConverter 3\]/);
    expect(r.stderr).not.toMatch(/at .*\.js/); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('bad arguments: unknown type, missing column, missing file', () => {
    const f = resolve(DATA, 'rnase_mini/rnase25_fsigf.mtz');
    const r1 = runCli('ccp4i2', ['convert', f, '--to', 'FPHI']);
    expect([r1.status, r1.stderr]).toEqual([
      2,
      expect.stringMatching(/unknown data type 'FPHI'.*\[ObsDataConverter 7\]/),
    ]);
    const r2 = runCli('ccp4i2', [
      'convert',
      f,
      '--to',
      'FMEAN',
      '--columns',
      'FP,SIGFP',
      '-o',
      join(tmp, 'x.mtz'),
    ]);
    expect([r2.status, r2.stderr]).toEqual([
      2,
      expect.stringMatching(/no column 'FP', 'SIGFP'.*\[ObsDataConverter 4\]/),
    ]);
    const r3 = runCli('ccp4i2', ['convert', join(tmp, 'absent.mtz'), '--to', 'FMEAN']);
    expect([r3.status, r3.stderr]).toEqual([2, expect.stringMatching(/\[MtzReader 101\]/)]);
    const r4 = runCli('ccp4i2', ['convert', f]);
    expect(r4.status).not.toBe(0);
    expect(r4.stderr).toMatch(/--to/);
  });
});

describe.runIf(requireTool('gemmi', ['--version']))('converted files read by gemmi', () => {
  it('gemmi mtz --tsv gives our labels and values for HL → PHIFOM and IPAIR → FPAIR', () => {
    for (const [input, to, labels] of [
      ['gamma/initial_phases.mtz', 'PHIFOM', ['PHI', 'FOM']],
      ['gamma/merged_intensities_native.mtz', 'FPAIR', ['Fplus', 'SIGFplus', 'Fminus', 'SIGFminus']],
    ] as const) {
      const out = join(tmp, `g_as${to}.mtz`);
      expect(runCli('ccp4i2', ['convert', resolve(DATA, input), '--to', to, '-o', out]).status).toBe(0);
      const g = spawnSync('gemmi', ['mtz', '--tsv', out], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(g.status).toBe(0);
      const lines = g.stdout.trim().split('\n');
      expect(lines[0].split('\t')).toEqual(['H', 'K', 'L', ...labels]);
      const ours = readMtz(out);
      expect(lines.length - 1).toBe(ours.nref);
      for (const row of [0, 1, 100, 5000, ours.nref - 1]) {
        const cells = lines[row + 1].split('\t');
        labels.forEach((l, j) => {
          const v = ours.column(l).data[row];
          const gv = cells[3 + j] === 'nan' ? Number.NaN : Number(cells[3 + j]);
          if (Number.isNaN(v)) expect(Number.isNaN(gv)).toBe(true);
          else expect(Math.abs(gv - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-5 + 1e-12);
        });
      }
    }
  });
});
