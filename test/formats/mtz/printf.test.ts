import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatG } from '../../../src/formats/mtz/index.js';

describe('formatG reproduces C printf("%g")', () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-42, '-42'],
    [999999, '999999'],
    [1000000, '1e+06'],
    [1234567, '1.23457e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.000012345678, '1.23457e-05'],
    [3794.9, '3794.9'],
    [Math.fround(77.2494), '77.2494'],
    [613.5625, '613.562'], // exact tie: half to even
    [613.5675, '613.567'], // not a tie in binary
    [0.5, '0.5'],
    [2.5, '2.5'],
    [1e21, '1e+21'],
    [123456.5, '123456'], // tie at the integer digit, even
    [123457.5, '123458'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
    [9.999995, '10'],
    [1.5e-300, '1.5e-300'],
  ])('%s -> %s', (v, s) => {
    expect(formatG(v)).toBe(s);
  });

  it('prints -nan for NaN with the sign bit set', () => {
    expect(formatG(Number.NaN, 6, true)).toBe('-nan');
  });
});

describe("formatG against the C library's printf on random float32 values", () => {
  it('agrees on 20,000 values across 40 decades', () => {
    let seed = 99;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const v = Math.fround((rnd() < 0.5 ? -1 : 1) * rnd() * 10 ** Math.floor(rnd() * 40 - 20));
      // every fourth value is a short decimal, where exact ties occur
      values.push(i % 4 === 0 ? Math.fround(Math.round(v * 16) / 16) : v);
    }
    // coreutils printf parses the (exact enough) 17-digit text as long double and prints with glibc
    for (let i = 0; i < values.length; i += 2000) {
      const chunk = values.slice(i, i + 2000);
      const r = spawnSync(
        'printf',
        ['%g\\n', ...chunk.map((v) => (Object.is(v, -0) ? '-0' : v.toPrecision(17)))],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(chunk.map((v) => formatG(v)).join('\n')).toBe(r.stdout.trimEnd());
    }
  });
});
