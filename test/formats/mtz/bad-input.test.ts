import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Ccp4Error, isCcp4Error } from '../../../src/errors/ccp4-error.js';
import {
  columnStatsFromFile,
  createMtz,
  encodeMtz,
  MTZ_ERRORS,
  readMtz,
  readMtzHeader,
  writeMtz,
} from '../../../src/formats/mtz/index.js';
import { FIXTURES, runCli } from '../../helpers/cli.js';
import { fixtureBytes, headerStart, recordOffsets, replaceRecord } from './bytes.js';

const FREER = 'rnase_mini/rnase25_freer.mtz';
const BRAP = 'brap/brap_pk_6A.mtz';
const tmp = mkdtempSync(join(tmpdir(), 'mtz-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function errorOf(f: () => unknown): Ccp4Error {
  try {
    f();
  } catch (e) {
    if (isCcp4Error(e)) return e;
    throw new Error(`expected a Ccp4Error, got ${(e as Error)?.stack ?? e}`);
  }
  throw new Error('expected a Ccp4Error, nothing was thrown');
}

/** Both readers must refuse `bytes` with `code`, naming the file. */
function expectBoth(bytes: Uint8Array, code: number): Ccp4Error {
  const e = errorOf(() => readMtz(bytes, { file: 'bad.mtz' }));
  expect(e.code, e.describe()).toBe(code);
  expect(e.className).toBe('MtzReader');
  expect(e.file).toBe('bad.mtz');
  const path = join(tmp, `bad-${code}.mtz`);
  writeFileSync(path, bytes);
  const h = errorOf(() => readMtzHeader(path));
  expect(h.code, h.describe()).toBe(code);
  expect(h.file).toBe(path);
  return e;
}

describe('bad MTZ input gives coded errors', () => {
  const good = fixtureBytes(FREER);

  it('truncated files', () => {
    expectBoth(good.subarray(0, 50), MTZ_ERRORS.TRUNCATED);
    expectBoth(good.subarray(0, 0), MTZ_ERRORS.TRUNCATED);
    // cut inside the data: the header offset now points past the end
    expect(expectBoth(good.subarray(0, 1000), MTZ_ERRORS.BAD_HEADER_OFFSET).objectPath).toBe('header offset');
    // cut inside the header records: no END
    expectBoth(good.subarray(0, headerStart(good) + 400), MTZ_ERRORS.NO_END);
    // cut after END, before MTZENDOFHEADERS
    const end = recordOffsets(good, 'END')[0];
    expectBoth(good.subarray(0, end + 160), MTZ_ERRORS.TRUNCATED);
  });

  it('wrong magic and non-MTZ files', () => {
    const b = Buffer.from(good);
    b.write('MTX ', 0, 'latin1');
    expectBoth(b, MTZ_ERRORS.NOT_MTZ);
    expectBoth(fixtureBytes('../data/gamma/gamma_model.pdb'), MTZ_ERRORS.NOT_MTZ);
    const e = errorOf(() => readMtz(resolve(FIXTURES, 'data/gamma/gamma_model.pdb')));
    expect(e.code).toBe(MTZ_ERRORS.NOT_MTZ);
  });

  it('header offset beyond the end, zero or negative', () => {
    for (const w of [0x7fffff00, 0, -5, 3]) {
      const b = Buffer.from(good);
      b.writeInt32LE(w, 4);
      expectBoth(b, MTZ_ERRORS.BAD_HEADER_OFFSET);
    }
    const big = Buffer.from(good);
    big.writeInt32LE(-1, 4);
    big.writeBigInt64LE(1n << 60n, 12);
    expectBoth(big, MTZ_ERRORS.BAD_HEADER_OFFSET);
  });

  it('NCOL disagreeing with the data size', () => {
    const e = expectBoth(
      replaceRecord(good, 'NCOL', 'NCOL        4         7000        0'),
      MTZ_ERRORS.DATA_SIZE_MISMATCH,
    );
    expect(e.objectPath).toBe('NCOL');
    expectBoth(
      replaceRecord(good, 'NCOL', 'NCOL        5         7262        0'),
      MTZ_ERRORS.COLUMN_COUNT_MISMATCH,
    );
    expectBoth(
      replaceRecord(good, 'NCOL', 'NCOL        4   2000000000        0'),
      MTZ_ERRORS.DATA_SIZE_MISMATCH,
    );
    expectBoth(replaceRecord(good, 'NCOL', 'NCOL  four'), MTZ_ERRORS.BAD_RECORD);
    expectBoth(replaceRecord(good, 'NCOL', 'NCOL 99999999 1 0'), MTZ_ERRORS.BAD_RECORD);
  });

  it('a COLUMN record missing (COLUMN count disagrees with NCOL)', () => {
    expectBoth(replaceRecord(good, 'COLUMN', 'XCOLUMN FREER I 0 19 1', 3), MTZ_ERRORS.COLUMN_COUNT_MISMATCH);
  });

  it('NaN, zero and impossible cells', () => {
    for (const cell of [
      'CELL nan 78 38 90 90 90',
      'CELL 0 0 0 0 0 0',
      'CELL 10 10 10 90 90 200',
      'CELL 10 10',
      'CELL 10 10 10 120 120 120',
    ])
      expect(expectBoth(replaceRecord(good, 'CELL', cell), MTZ_ERRORS.BAD_CELL).objectPath).toBe('CELL');
  });

  it('no SYMM records, or an unparseable one', () => {
    let b = good;
    for (let i = 0; i < recordOffsets(good, 'SYMM ').length; i++)
      b = replaceRecord(b, 'SYMM ', 'REMARK no symmetry');
    expectBoth(b, MTZ_ERRORS.NO_SYMMETRY);
    const e = expectBoth(replaceRecord(good, 'SYMM ', 'SYMM X,Y,Q'), MTZ_ERRORS.BAD_RECORD);
    expect(e.objectPath).toMatch(/SYMM/);
  });

  it('absurd batch counts and damaged batch headers', () => {
    expectBoth(replaceRecord(good, 'NCOL', 'NCOL        4         7262 2000000000'), MTZ_ERRORS.BAD_BATCHES);
    // NCOL says batches but there are no BATCH records
    expectBoth(replaceRecord(good, 'NCOL', 'NCOL        4         7262        3'), MTZ_ERRORS.BAD_BATCHES);
    const brap = fixtureBytes(BRAP);
    const bats = recordOffsets(brap, 'MTZBATS')[0];
    const broken = Buffer.from(brap);
    broken.write('BH   1001 99999999 29 156'.padEnd(80), bats + 80, 'latin1');
    expectBoth(broken, MTZ_ERRORS.BAD_BATCHES);
    const noBhch = Buffer.from(brap);
    noBhch.write('XXXX', bats + 80 + 160 + 740, 'latin1');
    expectBoth(noBhch, MTZ_ERRORS.BAD_BATCHES);
  });

  it('zero reflections', () => {
    const empty = createMtz({
      cell: [10, 10, 10, 90, 90, 90],
      spaceGroup: {
        name: 'P 1',
        number: 1,
        symops: readMtz(good).spaceGroup.symops.slice(0, 1),
        nprim: 1,
        lattice: 'P',
        pointGroup: 'PG1',
      },
      columns: ['H', 'K', 'L'].map((label) => ({
        label,
        type: 'H',
        datasetId: 0,
        data: new Float32Array(0),
      })),
    });
    expectBoth(encodeMtz(empty), MTZ_ERRORS.NO_REFLECTIONS);
  });

  it('a column that does not exist', () => {
    const mtz = readMtz(resolve(FIXTURES, 'data', FREER));
    const e = errorOf(() => mtz.column('FreeR_flag'));
    expect(e.code).toBe(MTZ_ERRORS.NO_SUCH_COLUMN);
    expect(e.objectPath).toBe('column FreeR_flag');
    expect(e.message).toContain('FREER');
    const r = runCli('ccp4i2', ['mtz', 'dump', resolve(FIXTURES, 'data', FREER), '--columns', 'FP']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no column 'FP'.*\[MtzReader 111\]/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('missing files and directories', () => {
    expect(errorOf(() => readMtz(join(tmp, 'nope.mtz'))).code).toBe(MTZ_ERRORS.CANNOT_READ);
    expect(errorOf(() => readMtzHeader(join(tmp, 'nope.mtz'))).code).toBe(MTZ_ERRORS.CANNOT_READ);
    expect(errorOf(() => readMtz(tmp)).code).toBe(MTZ_ERRORS.CANNOT_READ);
    expect(errorOf(() => readMtz(tmp, { streamed: true })).code).toBe(MTZ_ERRORS.CANNOT_READ);
    expect(errorOf(() => readMtzHeader(tmp)).code).toBe(MTZ_ERRORS.CANNOT_READ);
    expect(errorOf(() => columnStatsFromFile(tmp)).code).toBe(MTZ_ERRORS.CANNOT_READ);
    // a FIFO is refused before any read could block on it
    const fifo = join(tmp, 'fifo.mtz');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      expect(errorOf(() => readMtz(fifo)).message).toContain('not a regular file');
      expect(errorOf(() => readMtzHeader(fifo)).code).toBe(MTZ_ERRORS.CANNOT_READ);
    }
    for (const args of [
      ['info', tmp],
      ['info', '--stats', tmp],
      ['dump', tmp],
    ]) {
      const d = runCli('ccp4i2', ['mtz', ...args]);
      expect(d.status, d.stderr).toBe(2);
      expect(d.stderr).toContain('[MtzReader 101]');
    }
    const r = runCli('ccp4i2', ['mtz', 'info', join(tmp, 'nope.mtz')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[MtzReader 101]');
  });

  it('the writer refuses inconsistent objects', () => {
    const mtz = readMtz(resolve(FIXTURES, 'data', FREER));
    mtz.columns[3].data = new Float32Array(5);
    expect(errorOf(() => encodeMtz(mtz)).code).toBe(MTZ_ERRORS.INVALID_MTZ);
    const m2 = readMtz(resolve(FIXTURES, 'data', FREER));
    m2.columns[3].label = 'has space';
    expect(errorOf(() => encodeMtz(m2)).className).toBe('MtzWriter');
    const m3 = readMtz(resolve(FIXTURES, 'data', FREER));
    expect(errorOf(() => writeMtz(m3, join(tmp, 'no/such/dir/x.mtz'))).code).toBe(MTZ_ERRORS.CANNOT_WRITE);
  });
});
