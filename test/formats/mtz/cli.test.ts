import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { requireTool } from '../../helpers/tools.js';
import { closeG, dataMtzFiles, gemmi } from './gemmi.js';

const files = dataMtzFiles();
const byName = (n: string) => files.find((f) => basename(f) === n) as string;

describe('ccp4i2 mtz info', () => {
  it('prints a readable summary', () => {
    const r = runCli('ccp4i2', ['mtz', 'info', byName('4hg7-sf.mtz')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Space group: P 65 2 2 (number 179, 12 operators)');
    expect(r.stdout).toContain('Reflections: 21397');
    expect(r.stdout).toContain('Resolution: 30.94 - 1.6 A');
    expect(r.stdout).toMatch(/PHIC\s+P\s+1\s/);
  });

  it('--json has the documented keys', () => {
    const r = runCli('ccp4i2', ['mtz', 'info', '--json', byName('brap_pk_6A.mtz')]);
    const info = JSON.parse(r.stdout);
    for (const k of [
      'title',
      'cell',
      'spaceGroup',
      'nref',
      'columns',
      'datasets',
      'nbatches',
      'history',
      'resolution',
    ])
      expect(info).toHaveProperty(k);
    expect(info.spaceGroup).toMatchObject({ name: 'P 21 21 21', number: 19 });
    expect(info.spaceGroup.symops).toEqual([
      'X,Y,Z',
      'X+1/2,-Y+1/2,-Z',
      '-X,Y+1/2,-Z+1/2',
      '-X+1/2,-Y,Z+1/2',
    ]);
    expect(info.nbatches).toBe(180);
    expect(info.batchNumbers).toEqual([1001, 1180]);
    expect(info.resolution.low).toBeCloseTo(57.819, 3);
    expect(info.resolution.high).toBeCloseTo(6.001, 3);
    expect(info.columns[0]).toEqual({ label: 'H', type: 'H', min: 0, max: 12, dataset: 0 });
  });

  it('--stats adds missing counts and means (JSON and text)', () => {
    const r = runCli('ccp4i2', ['mtz', 'info', '--json', '--stats', byName('merged_intensities_Xe.mtz')]);
    const info = JSON.parse(r.stdout);
    const iplus = info.columns.find((c: { label: string }) => c.label === 'Iplus');
    expect(iplus.missing).toBe(12214 - 12183);
    expect(typeof iplus.mean).toBe('number');
    const t = runCli('ccp4i2', ['mtz', 'info', '--stats', byName('merged_intensities_Xe.mtz')]);
    expect(t.stdout).toMatch(/Iplus\s+K\s+1\s+\S+\s+\S+\s+31\s/);
  });

  describe.skipIf(!requireTool('gemmi', ['--version']))('--stats agrees with gemmi mtz -s', () => {
    it.each(files.map((f) => [basename(f), f]))('%s', (_n, file) => {
      const info = JSON.parse(runCli('ccp4i2', ['mtz', 'info', '--json', '--stats', file]).stdout);
      const rows = gemmi(['mtz', '-s', file])
        .split('\n')
        .map((l) => /^(\S+)\s+(\S) @(\d+)\s+(\d+) \(\s*[\d.]+%\)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$/.exec(l))
        .filter((m) => m !== null) as RegExpExecArray[];
      expect(rows.length).toBe(info.columns.length);
      info.columns.forEach(
        (
          c: { label: string; type: string; min: number; max: number; mean: number; missing: number },
          i: number,
        ) => {
          const m = rows[i];
          expect(c.label).toBe(m[1]);
          expect(info.nref - c.missing).toBe(Number(m[4]));
          expect(closeG(c.min, Number(m[5]), 5)).toBe(true);
          expect(closeG(c.max, Number(m[6]), 5)).toBe(true);
          expect(Math.abs(c.mean - Number(m[7]))).toBeLessThanOrEqual(Math.abs(c.mean) * 1e-4 + 1e-9);
        },
      );
    });
  });
});
