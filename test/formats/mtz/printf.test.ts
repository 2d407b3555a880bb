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
