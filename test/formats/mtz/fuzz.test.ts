import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCcp4Error } from '../../../src/errors/ccp4-error.js';
import {
  columnStats,
  columnStatsFromFile,
  encodeMtz,
  getColumnGroups,
  mtzInfo,
  mtzTsv,
  originalHkl,
  readMtz,
  readMtzHeader,
} from '../../../src/formats/mtz/index.js';
import { fixtureBytes, headerStart } from './bytes.js';

/** mulberry32: a small seeded generator, so every failing case can be replayed from its number. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '-1',
  '0',
  '2147483647',
  '99999999999',
  'nan',
  '-inf',
  '1e308',
  "'",
  'X,Y',
  '1/0',
  '',
  '  ',
  '\u00ff',
];
const KEYWORDS = [
  'NCOL',
  'CELL',
  'SYMINF',
  'SYMM',
  'COLUMN',
  'COLSRC',
  'COLGRP',
  'PROJECT',
  'DCELL',
  'DWAVEL',
  'BATCH',
  'END',
  'MTZHIST',
  'MTZBATS',
  'BH',
  'VALM',
  'RESO',
  'SORT',
  'MTZENDOFHEADERS',
];

/** Everything a caller might do with a file that read successfully. */
function exercise(bytes: Uint8Array, heavy: boolean): void {
  const mtz = readMtz(bytes, { file: 'fuzz.mtz' });
  getColumnGroups(mtz);
  mtzInfo(mtz);
  if (!heavy) return;
  columnStats(mtz);
  mtz.resolution();
  originalHkl(mtz);
  const it = mtzTsv(mtz, { chunkRows: 50 });
  it.next();
  it.next();
  readMtz(encodeMtz(mtz), { file: 'rewritten.mtz' });
}

describe('fuzz: mutated MTZ files never escape as anything but a Ccp4Error', () => {
  it('10,000+ mutations of three real files', () => {
    const bases = ['rnase_mini/rnase25_freer.mtz', 'brap/brap_pk_6A_scaled2.mtz', 'brap/brap_pk_6A.mtz'].map(
      fixtureBytes,
    );
    const CASES = 10_200;
    const dir = mkdtempSync(join(tmpdir(), 'mtz-fuzz-'));
    const tmpFile = join(dir, 'fuzz.mtz');
    let ok = 0;
    let coded = 0;
    const failures: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const r = rng(n + 1);
      const pick = (k: number) => Math.floor(r() * k);
      const base = bases[n % bases.length];
      const hs = headerStart(base);
      // mutate in place and restore afterwards: no 1.4 MB copy per case
      const saved: Array<[number, number]> = [];
      const set = (pos: number, v: number) => {
        if (pos < 0 || pos >= base.length) return;
        saved.push([pos, base[pos]]);
        base[pos] = v;
      };
      const writeText = (pos: number, s: string) => {
        for (let i = 0; i < s.length; i++) set(pos + i, s.charCodeAt(i) & 0xff);
      };
      let view: Uint8Array = base;
      const kind = pick(7);
      if (kind === 0) {
        // flip bytes in the header records
        for (let i = 1 + pick(6); i > 0; i--) set(hs + pick(base.length - hs), pick(256));
      } else if (kind === 1) {
        // a number or word in a header record replaced by a hostile token
        const rec = hs + 80 * pick(Math.min(60, Math.floor((base.length - hs) / 80)));
        writeText(rec + 5 + pick(60), ` ${TOKENS[pick(TOKENS.length)]} `);
      } else if (kind === 2) {
        // a record turned into another keyword
        const rec = hs + 80 * pick(Math.min(60, Math.floor((base.length - hs) / 80)));
        writeText(rec, KEYWORDS[pick(KEYWORDS.length)].padEnd(8));
      } else if (kind === 3) {
        // the preamble: magic, header offset, machine stamp, 64-bit offset
        for (let i = 1 + pick(3); i > 0; i--) set(pick(20), pick(256));
      } else if (kind === 4) {
        view = base.subarray(0, pick(base.length));
      } else if (kind === 5) {
        // the data block, including NaN bit patterns and M/ISYM values
        for (let i = 1 + pick(20); i > 0; i--) set(80 + pick(hs - 80), pick(256));
      } else {
        // the tail after END: history, batch headers (binary blocks included), appended text
        const tail = hs + Math.floor((base.length - hs) * 0.3);
        for (let i = 1 + pick(8); i > 0; i--) set(tail + pick(base.length - tail), pick(256));
      }
      try {
        if (n % 2 === 0) readMtzHeader(view, { file: 'fuzz.mtz' });
        if (n % 50 === 0) {
          // the path-based readers: header by fd, streamed data, streamed statistics
          writeFileSync(tmpFile, view);
          readMtzHeader(tmpFile);
          columnStatsFromFile(tmpFile, { originalHkl: true });
          readMtz(tmpFile, { streamed: true });
        }
        exercise(view, n % 10 === 0);
        ok++;
      } catch (e) {
        if (isCcp4Error(e)) coded++;
        else failures.push(`case ${n} (kind ${kind}): ${(e as Error)?.stack ?? e}`);
      } finally {
        for (let i = saved.length - 1; i >= 0; i--) base[saved[i][0]] = saved[i][1];
      }
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(`fuzz: ${ok} read, ${coded} coded errors`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(ok + coded).toBe(CASES);
    // both outcomes occur, so the mutations reach the checks
    expect(ok).toBeGreaterThan(500);
    expect(coded).toBeGreaterThan(500);
  }, 120_000);
});
