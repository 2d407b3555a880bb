import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const REFERENCE = resolve(__dirname, '../fixtures/reference');
export const DATA = resolve(__dirname, '../fixtures/data');

export interface ReferenceTable {
  n: number;
  /** A column by its CSV header; throws on a typo so a test cannot silently compare nothing. */
  col(name: string): Float64Array;
}

/** A reference CSV as named float64 columns (`nan` → NaN). */
export function readReferenceCsv(name: string): ReferenceTable {
  const lines = readFileSync(resolve(REFERENCE, name), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const cols = new Map<string, Float64Array>();
  for (const h of header) cols.set(h, new Float64Array(lines.length - 1));
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    for (let c = 0; c < header.length; c++)
      cols.get(header[c])![r - 1] = cells[c] === 'nan' ? Number.NaN : Number(cells[c]);
  }
  return {
    n: lines.length - 1,
    col(name: string) {
      const c = cols.get(name);
      if (!c) throw new Error(`${name}: no such column`);
      return c;
    },
  };
}

/** |a - b| / |b|, with 0 when both are NaN and Infinity when only one is. */
export function relDiff(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.POSITIVE_INFINITY;
  if (a === b) return 0;
  return Math.abs(a - b) / Math.abs(b);
}

/** Smallest angle between two phases in degrees. */
export function phaseDiff(a: number, b: number): number {
  const d = Math.abs(((((a - b) % 360) + 540) % 360) - 180);
  return d;
}

/** Largest value of f over indices 0..n-1 with the index where it occurs. */
export function worst(n: number, f: (i: number) => number): { value: number; index: number } {
  let value = 0;
  let index = -1;
  for (let i = 0; i < n; i++) {
    const v = f(i);
    if (!(v <= value)) {
      value = v;
      index = i;
    }
  }
  return { value, index };
}
