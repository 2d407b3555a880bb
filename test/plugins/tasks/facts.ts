import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

export const FIXTURES = resolve(__dirname, '../../fixtures');
export const LISTINGS = resolve(FIXTURES, 'ccp4i2/mtzdump-headers');

/** One MTZ file's facts from the shared inventory (made with gemmi); see test/fixtures/tasks/README.md. */
export interface MtzFacts {
  file: string;
  cell: number[];
  spacegroup: string;
  sg_number: number;
  nreflections: number;
  columns: [string, string, number][];
  datasets: [number, string, string, string, number[], number][];
  resolution: [number, number];
}

export const FACTS: MtzFacts[] = JSON.parse(
  readFileSync(resolve(FIXTURES, 'tasks/inventory-facts.json'), 'utf8'),
);

export function factsFor(stem: string): MtzFacts {
  const f = FACTS.find((x) => basename(x.file, '.mtz') === stem);
  if (!f) throw new Error(`no inventory facts for ${stem}`);
  return f;
}

/** The cell CCP4i2 takes: the first dataset after the base dataset 0, else the global cell. */
export function expectedCell(f: MtzFacts): number[] {
  return f.datasets.find((d) => d[0] > 0)?.[4] ?? f.cell;
}

export function cellArray(c: {
  a: number;
  b: number;
  c: number;
  alpha: number;
  beta: number;
  gamma: number;
}) {
  return [c.a, c.b, c.c, c.alpha, c.beta, c.gamma];
}

/** Equal within what a listing printed with `decimals` decimals can hold. */
export function closeTo(actual: number, expected: number, decimals: number): boolean {
  return Math.abs(actual - expected) <= 0.5 * 10 ** -decimals + 1e-9 * Math.abs(expected);
}

/** Every element of a cell (or any list) equal to the precision it was printed with. */
export function expectClose(actual: number[], expected: number[], decimals: number, what = ''): void {
  if (actual.length !== expected.length || actual.some((x, k) => !closeTo(x, expected[k], decimals)))
    throw new Error(
      `${what} [${actual.join(', ')}] differs from [${expected.join(', ')}] beyond ${decimals} decimals`,
    );
}
