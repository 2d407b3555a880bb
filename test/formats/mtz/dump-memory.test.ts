import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMtz, writeMtz } from '../../../src/formats/mtz/index.js';
import { parseTriplet } from '../../../src/formats/symmetry/index.js';
import { ROOT } from '../../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mtz-dump-mem-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** H K L and 21 real columns (C1 = row / 2, the rest 0): 96 bytes a reflection. */
function synthetic(path: string, nref: number): void {
  const col = (label: string, type: string, fill?: (i: number) => number) => {
    const data = new Float32Array(nref);
    if (fill) for (let i = 0; i < nref; i++) data[i] = fill(i);
    return { label, type, datasetId: type === 'H' ? 0 : 1, data };
  };
  const cell: [number, number, number, number, number, number] = [50, 60, 70, 90, 90, 90];
  writeMtz(
    createMtz({
      title: 'dump memory test',
      cell,
      spaceGroup: {
        name: 'P 1',
        number: 1,
        symops: [parseTriplet('X,Y,Z')],
        nprim: 1,
        lattice: 'P',
        pointGroup: 'PG1',
      },
      datasets: [
        { id: 0, project: 'HKL_base', crystal: 'HKL_base', dataset: 'HKL_base', cell, wavelength: 0 },
        { id: 1, project: 'p', crystal: 'x', dataset: 'd', cell, wavelength: 1 },
      ],
      columns: [
        col('H', 'H', (i) => i % 97),
        col('K', 'H', (i) => Math.floor(i / 97) % 97),
        col('L', 'H', (i) => Math.floor(i / 9409)),
        col('C1', 'R', (i) => i / 2),
        ...Array.from({ length: 20 }, (_, j) => col(`Z${j}`, 'R')),
      ],
    }),
    path,
  );
}

/**
 * `ccp4i2 mtz dump FILE --columns C1` into a file, with a small JS heap (16 MB old space, 1 MB semi-space:
 * garbage is collected early, so the peak shows what is held); returns its peak resident memory (MB) and
 * output.
 */
function dump(file: string): { maxRssMb: number; out: string } {
  const hook = join(tmp, 'peak.mjs');
  // the child reports its own peak RSS on the way out (stderr), so no outside tool is needed
  writeFileSync(
    hook,
    "import { writeSync } from 'node:fs';\n" +
      "process.on('exit', () => writeSync(2, 'maxRSS=' + process.resourceUsage().maxRSS + '\\n'));\n",
  );
  const outFile = `${file}.tsv`;
  const fd = openSync(outFile, 'w');
  try {
    const r = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=16',
        '--max-semi-space-size=1',
        '--import',
        hook,
        resolve(ROOT, 'dist/bin/ccp4i2.cjs'),
        'mtz',
        'dump',
        file,
        '--columns',
        'C1',
      ],
      { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const kb = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1]);
    expect(kb).toBeGreaterThan(0);
    return { maxRssMb: kb / 1024, out: readFileSync(outFile, 'latin1') };
  } finally {
    closeSync(fd);
  }
}

describe('ccp4i2 mtz dump streams the reflections', () => {
  it('memory does not grow with the file: 77 MB of data cost less than 20 MB more than 19 MB', () => {
    const mid = join(tmp, 'mid.mtz');
    const big = join(tmp, 'big.mtz');
    synthetic(mid, 200_000);
    synthetic(big, 800_000);
    expect(statSync(big).size).toBeGreaterThan(76_000_000);
    const m = dump(mid);
    const b = dump(big);
    console.log(
      `mtz dump peak RSS: ${b.maxRssMb.toFixed(0)} MB (77 MB file), ${m.maxRssMb.toFixed(0)} MB (19 MB file)`,
    );
    // the whole output is there and right: header, every row, the last one
    const lines = b.out.split('\n');
    expect(lines[0]).toBe('H\tK\tL\tC1');
    expect(lines).toHaveLength(800_002);
    expect(lines[1]).toBe('0\t0\t0\t0');
    expect(lines[800_000]).toBe(`${799_999 % 97}\t${Math.floor(799_999 / 97) % 97}\t85\t400000`); // 399999.5 with %g
    // holding the file cost the difference in size (58 MB) and more before streaming; one 8 MB block now
    expect(
      b.maxRssMb - m.maxRssMb,
      `peak RSS ${b.maxRssMb.toFixed(0)} MB vs ${m.maxRssMb.toFixed(0)} MB`,
    ).toBeLessThan(20);
  }, 180_000);
});
