import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  columnStats,
  columnStatsFromFile,
  isUnmerged,
  originalHkl,
  readMtz,
  writeMtz,
} from '../../../src/formats/mtz/index.js';
import { dataMtzFiles } from './gemmi.js';

const tmp = mkdtempSync(join(tmpdir(), 'mtz-stats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const brap = dataMtzFiles().find((f) => basename(f) === 'brap_pk_6A.mtz') as string;

describe('streamed statistics and unmerged indices', () => {
  it.each(dataMtzFiles())('columnStatsFromFile equals the in-memory statistics: %s', (file) => {
    const mtz = readMtz(file);
    const { header, stats } = columnStatsFromFile(file);
    expect(header.nref).toBe(mtz.nref);
    expect(stats).toEqual(columnStats(mtz));
  });

  it('streams big-endian files too', () => {
    const be = join(tmp, 'be.mtz');
    const mtz = readMtz(brap);
    writeMtz(mtz, be, { bigEndian: true });
    expect(columnStatsFromFile(be).stats).toEqual(columnStats(mtz));
  });

  it('maps unmerged H K L back through M/ISYM, in memory and streamed, identically', () => {
    const mtz = readMtz(brap);
    expect(isUnmerged(mtz)).toBe(true);
    const hkl = originalHkl(mtz);
    if (hkl === undefined) throw new Error('no M/ISYM');
    // Friedel mates (even ISYM) and other operators occur, and the stored indices are in the asymmetric unit
    const isym = mtz.column('M/ISYM').data.map((v) => (v | 0) & 0xff);
    expect(new Set(isym).size).toBeGreaterThan(4);
    const H = mtz.columns[0].data;
    expect(Math.min(...H)).toBe(0);
    expect(Math.min(...hkl.h)).toBeLessThan(0);
    const { stats } = columnStatsFromFile(brap, { originalHkl: true });
    const mean = (a: Int32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(stats[0].min).toBe(Math.min(...hkl.h));
    expect(stats[1].max).toBe(Math.max(...hkl.k));
    expect(stats[2].mean).toBeCloseTo(mean(hkl.l), 9);
    // merged files are left alone
    const merged = dataMtzFiles().find((f) => basename(f) === 'freeR.mtz') as string;
    expect(columnStatsFromFile(merged, { originalHkl: true }).stats).toEqual(
      columnStatsFromFile(merged).stats,
    );
  });
});
