import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ccp4Error } from '../../../src/errors/ccp4-error.js';
import type { UnitCell } from '../../../src/formats/coords/index.js';

export const DATA = resolve(__dirname, '../../fixtures/data');
export const COORDS = resolve(__dirname, '../../fixtures/coords');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'coords-test-'));
}

/** File lines, keeping a trailing '\r' so that line-ending changes are seen. */
export function lines(path: string): string[] {
  return readFileSync(path, 'latin1').split('\n');
}

export function cellOf(a: number[]): UnitCell {
  return { a: a[0], b: a[1], c: a[2], alpha: a[3], beta: a[4], gamma: a[5] };
}

export async function rejection(p: Promise<unknown>): Promise<Ccp4Error> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Ccp4Error) return e;
    throw e;
  }
  throw new Error('expected a Ccp4Error, got success');
}

export function thrown(f: () => unknown): Ccp4Error {
  try {
    f();
  } catch (e) {
    if (e instanceof Ccp4Error) return e;
    throw e;
  }
  throw new Error('expected a Ccp4Error, got success');
}

/** printf("%.Nf") of a gemmi value, zero unsigned, as the PDB prints it. */
export function printed(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}
