import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  columnStats,
  createMtz,
  encodeMtz,
  type Mtz,
  readMtz,
  readMtzHeader,
} from '../../../src/formats/mtz/index.js';
import { parseTriplet } from '../../../src/formats/symmetry/index.js';
import { fixtureBytes, replaceRecord } from './bytes.js';
import { dataMtzFiles } from './gemmi.js';

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** Everything but the min/max of the COLUMN records and RESO, which the writer recomputes from the data. */
function expectSame(a: Mtz, b: Mtz): void {
  expect(b.title).toBe(a.title);
  expect(b.nref).toBe(a.nref);
  expect([...b.cell]).toEqual([...a.cell]);
  expect(b.spaceGroup).toEqual(a.spaceGroup);
  expect(b.datasets).toEqual(a.datasets);
  expect(b.history).toEqual(a.history);
  expect(b.sortOrder).toEqual(a.sortOrder);
  expect(b.appendedText).toBe(a.appendedText);
  expect(b.columns.map((c) => [c.label, c.type, c.datasetId, c.source, c.group])).toEqual(
    a.columns.map((c) => [c.label, c.type, c.datasetId, c.source, c.group]),
  );
  a.columns.forEach((c, i) => {
    expect(bits(b.columns[i].data)).toEqual(bits(c.data));
  });
  expect(b.batches.length).toBe(a.batches.length);
  a.batches.forEach((x, i) => {
    const y = b.batches[i];
    expect([y.number, y.title, y.axes]).toEqual([x.number, x.title, x.axes]);
    expect([...y.ints]).toEqual([...x.ints]);
    expect(bits(y.floats)).toEqual(bits(x.floats));
  });
}

describe('MTZ read-write round trip in process', () => {
  it.each(dataMtzFiles())('%s: LE, BE and 64-bit offset layouts read back identically', (file) => {
    const a = readMtz(file);
    const le = encodeMtz(a);
    const b = readMtz(le);
    expectSame(a, b);
    // writing what we read gives the same bytes again (the writer is deterministic and loses nothing)
    expect(Buffer.compare(encodeMtz(b), le)).toBe(0);
    const be = readMtz(encodeMtz(a, { bigEndian: true }));
    expect(be.littleEndian).toBe(false);
    expectSame(a, be);
    const large = encodeMtz(a, { largeOffset: true });
    expect(large.readInt32LE(4)).toBe(-1);
    expectSame(a, readMtz(large));
    // header-only read of our own output agrees with the full read
    const h = readMtzHeader(le);
    expect(h.columns.map((c) => [c.label, c.min, c.max])).toEqual(
      b.columns.map((c) => [c.label, c.min, c.max]),
    );
  });

  it.each(dataMtzFiles())('%s: the streamed reader gives the same object', (file) => {
    const a = readMtz(file);
    const s = readMtz(file, { streamed: true });
    expectSame(a, s);
    expect(s.resolution()).toEqual(a.resolution());
  });

  it('reads bytes at any alignment, and a toggled byte order on request', () => {
    const b = fixtureBytes('gamma/freeR.mtz');
    const shifted = new Uint8Array(b.length + 1);
    shifted.set(b, 1);
    const a = readMtz(b);
    expectSame(a, readMtz(shifted.subarray(1)));
    // a little-endian file read as big-endian gives a coded error, not garbage or a crash
    expect(() => readMtz(b, { toggleEndian: true })).toThrow(/header offset/);
  });

  it('the written COLUMN min/max and RESO describe the data', () => {
    const a = readMtz(fixtureBytes('rnase_mini/FPHIOUT.mtz'));
    const b = readMtz(encodeMtz(a));
    const stats = columnStats(a);
    b.columns.forEach((c, i) => {
      expect(c.min).toBe(Math.fround(stats[i].min));
      expect(c.max).toBe(Math.fround(stats[i].max));
    });
    const [lo, hi] = a.inverseDSquaredRange();
    expect(b.reso?.[0]).toBeCloseTo(lo, 11);
    expect(b.reso?.[1]).toBeCloseTo(hi, 11);
  });

  it('VALM: a numeric missing-value marker reads as NaN (not in H K L)', () => {
    const good = fixtureBytes('rnase_mini/rnase25_fsigf.mtz');
    const orig = readMtz(good);
    const F = orig.column('F').data;
    const marker = F[10];
    const nMarked = F.filter((v) => v === marker).length;
    const b = replaceRecord(good, 'VALM', `VALM ${marker}`);
    const m = readMtz(b);
    expect(m.valm).toBe(marker);
    expect(columnStats(m)[3].missing).toBe(columnStats(orig)[3].missing + nMarked);
    expect(Number.isNaN(m.column('F').data[10])).toBe(true);
    expect(m.column('H').data).toEqual(orig.column('H').data);
    // the streamed reader converts it too, and reads big-endian files
    const dir = mkdtempSync(join(tmpdir(), 'mtz-valm-'));
    try {
      writeFileSync(join(dir, 'valm.mtz'), b);
      expect(bits(readMtz(join(dir, 'valm.mtz'), { streamed: true }).column('F').data)).toEqual(
        bits(m.column('F').data),
      );
      writeFileSync(join(dir, 'be.mtz'), encodeMtz(orig, { bigEndian: true }));
      expectSame(orig, readMtz(join(dir, 'be.mtz'), { streamed: true }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // written back as VALM NAN
    expect(Number.isNaN(readMtz(encodeMtz(m)).valm)).toBe(true);
  });

  it('createMtz builds a file from arrays (what the conversions write)', () => {
    const n = 4;
    const mtz = createMtz({
      title: 'made in a test',
      cell: [10, 20, 30, 90, 90, 90],
      spaceGroup: {
        name: 'P 21 21 21',
        number: 19,
        symops: ['X,Y,Z', '-X+1/2,-Y,Z+1/2', '-X,Y+1/2,-Z+1/2', 'X+1/2,-Y+1/2,-Z'].map(parseTriplet),
        nprim: 4,
        lattice: 'P',
        pointGroup: 'PG222',
      },
      datasets: [
        {
          id: 0,
          project: 'HKL_base',
          crystal: 'HKL_base',
          dataset: 'HKL_base',
          cell: [10, 20, 30, 90, 90, 90],
          wavelength: 0,
        },
        {
          id: 1,
          project: 'p',
          crystal: 'c',
          dataset: 'd',
          cell: [10, 20, 30, 90, 90, 90],
          wavelength: 1.5418,
        },
      ],
      columns: [
        { label: 'H', type: 'H', datasetId: 0, data: Float32Array.of(1, 2, 3, 4) },
        { label: 'K', type: 'H', datasetId: 0, data: Float32Array.of(0, 1, 0, 1) },
        { label: 'L', type: 'H', datasetId: 0, data: Float32Array.of(0, 0, 2, 2) },
        { label: 'F', type: 'F', datasetId: 1, data: Float32Array.of(1.5, Number.NaN, 3, 4) },
        { label: 'SIGF', type: 'Q', datasetId: 1, data: Float32Array.of(0.1, Number.NaN, 0.3, 0.4) },
      ],
    });
    expect(mtz.nref).toBe(n);
    expect(mtz.column('F').min).toBe(1.5);
    const back = readMtz(encodeMtz(mtz));
    expectSame(mtz, back);
    expect(back.resolution().high).toBeCloseTo(
      1 / Math.sqrt((4 / 10) ** 2 + (1 / 20) ** 2 + (2 / 30) ** 2),
      10,
    );
  });
});
