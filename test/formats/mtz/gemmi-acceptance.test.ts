import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMtz, writeMtz } from '../../../src/formats/mtz/index.js';
import { runCli } from '../../helpers/cli.js';
import { requireTool } from '../../helpers/tools.js';
import { closeG, dataMtzFiles, gemmi, gemmiColumnRecords, gemmiSummary } from './gemmi.js';

const files = dataMtzFiles();
const hasGemmi = requireTool('gemmi', ['--version']);
const tmp = mkdtempSync(join(tmpdir(), 'mtz-acc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasGemmi)('ccp4i2 mtz agrees with gemmi 0.5.7 on every MTZ in test/fixtures/data', () => {
  it('covers all 14 data files', () => expect(files).toHaveLength(14));

  it.each(files.map((f) => [basename(f), f]))('mtz info --json: %s', (_name, file) => {
    const r = runCli('ccp4i2', ['mtz', 'info', '--json', file]);
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    const g = gemmiSummary(file);
    expect(info.nref).toBe(g.nref);
    expect(info.nbatches).toBe(g.nbatches);
    info.cell.forEach((x: number, i: number) => {
      expect(Math.abs(x - g.cell[i])).toBeLessThanOrEqual(1e-4);
    });
    expect(info.spaceGroup.number).toBe(g.spaceGroupNumber);
    expect(info.columns.map((c: { label: string }) => c.label)).toEqual(g.columns.map((c) => c.label));
    expect(info.columns.map((c: { type: string }) => c.type)).toEqual(g.columns.map((c) => c.type));
    expect(info.columns.map((c: { dataset: number }) => c.dataset)).toEqual(g.columns.map((c) => c.dataset));
    // min/max: to float32 precision against the COLUMN records gemmi reads, and to %g against its summary
    const recs = gemmiColumnRecords(file);
    for (const c of info.columns) {
      const [min, max] = recs.get(c.label) ?? [Number.NaN, Number.NaN];
      expect(Math.fround(c.min ?? Number.NaN)).toBe(min);
      expect(Math.fround(c.max ?? Number.NaN)).toBe(max);
    }
    g.columns.forEach((c, i) => {
      expect(closeG(info.columns[i].min, c.min)).toBe(true);
      expect(closeG(info.columns[i].max, c.max)).toBe(true);
    });
    // gemmi's CLI lists no dataset when the file declares none; we then report the implicit HKL_base
    const datasets = g.datasets.length > 0 ? info.datasets : [];
    expect(datasets.map((d: { id: number }) => d.id)).toEqual(g.datasets.map((d) => d.id));
    g.datasets.forEach((d, i) => {
      expect(datasets[i]).toMatchObject({ project: d.project, crystal: d.crystal, dataset: d.dataset });
      expect(closeG(datasets[i].wavelength, d.wavelength)).toBe(true);
      d.cell.forEach((x, j) => {
        expect(closeG(datasets[i].cell[j], x)).toBe(true);
      });
    });
  });

  it.each(files.map((f) => [basename(f), f]))('mtz dump rows equal gemmi mtz --tsv: %s', (_name, file) => {
    const r = runCli('ccp4i2', ['mtz', 'dump', file]);
    expect(r.status, r.stderr).toBe(0);
    const ours = r.stdout.split('\n');
    const theirs = gemmi(['mtz', '--tsv', file]).split('\n');
    expect(ours.length).toBe(theirs.length);
    const firstDiff = ours.findIndex((l, i) => l !== theirs[i]);
    expect(firstDiff, `line ${firstDiff + 1}: ${ours[firstDiff]} | ${theirs[firstDiff]}`).toBe(-1);
  });

  it.each(files.map((f) => [basename(f), f]))(
    'read-write round trip passes gemmi mtz --compare: %s',
    (name, file) => {
      const out = join(tmp, name);
      const mtz = readMtz(file);
      writeMtz(mtz, out);
      // gemmi 0.5.7 --compare maps only the first file's M/ISYM back, so unmerged files compare with --no-isym
      const text = gemmi(['mtz', '--no-isym', `--compare=${file}`, out]);
      expect(text).toContain(`All Miller indices are the same. Count: ${mtz.nref}`);
      const colLines = text.split('\n').filter((l) => l.startsWith('Column '));
      expect(colLines.length).toBeGreaterThan(0);
      for (const c of mtz.columns.slice(3)) {
        const line = colLines.find((l) => l.startsWith(`Column ${c.label}:`));
        if (line === undefined) continue; // gemmi reports amplitude/phase pairs as one line (checked below)
        // gemmi counts values present in both files; "(all)" means every one of them is identical
        const present = c.data.filter((v) => !Number.isNaN(v)).length;
        expect(line).toMatch(new RegExp(`identical: ${present} +\\(all(: ${present} and ${present})?\\)$`));
      }
      for (const l of colLines.filter((x) => x.includes('|CC|')))
        expect(l).toMatch(/\|CC\|=1 {2}phase\(CC\)=0 deg {2}ratio=1 /);
      // and every value, header and batch reads back the same in gemmi
      expect(gemmi(['mtz', '--tsv', out])).toBe(gemmi(['mtz', '--tsv', file]));
      expect(gemmi(['mtz', '-b', out])).toBe(gemmi(['mtz', '-b', file]));
      expect(gemmi(['mtz', '-A', out])).toBe(gemmi(['mtz', '-A', file]));
    },
  );

  it('big-endian and 64-bit-offset files we write read back identically in gemmi', () => {
    const file = files.find((f) => f.endsWith('brap_pk_6A.mtz'))!;
    const mtz = readMtz(file);
    const be = join(tmp, 'be.mtz');
    const large = join(tmp, 'large.mtz');
    writeMtz(mtz, be, { bigEndian: true });
    writeMtz(mtz, large, { largeOffset: true });
    const ref = gemmi(['mtz', '--tsv', file]);
    expect(gemmi(['mtz', '--tsv', be])).toBe(ref);
    expect(gemmi(['mtz', '--tsv', large])).toBe(ref);
    // (gemmi 0.5.7 does not byte-swap batch headers of big-endian files, so -b is not compared here)
    const back = readMtz(be);
    expect(back.littleEndian).toBe(false);
    expect(runCli('ccp4i2', ['mtz', 'dump', be]).stdout).toBe(ref);
  });
});
