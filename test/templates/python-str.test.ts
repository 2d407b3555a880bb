import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printValue, pythonFloatStr, tv } from '../../src/templates/index.js';
import { requireTool } from '../helpers/tools.js';

// Values whose Python 3 repr() is well known.
const KNOWN: Array<[number, string]> = [
  [90, '90.0'],
  [120, '120.0'],
  [71.478, '71.478'],
  [0.1, '0.1'],
  [0.1 + 0.2, '0.30000000000000004'],
  [1 / 3, '0.3333333333333333'],
  [-2.5, '-2.5'],
  [1e15, '1000000000000000.0'],
  [1e16, '1e+16'],
  [9007199254740992, '9007199254740992.0'],
  [1.2345678901234568e17, '1.2345678901234568e+17'],
  [1e22, '1e+22'],
  [1e-4, '0.0001'],
  [1.5e-5, '1.5e-05'],
  [5e-324, '5e-324'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
  [-0, '-0.0'],
  [0, '0.0'],
  [Number.NaN, 'nan'],
  [Number.POSITIVE_INFINITY, 'inf'],
  [Number.NEGATIVE_INFINITY, '-inf'],
];

describe('Python str() of values', () => {
  it.each(KNOWN)('float %s prints as %s', (x, s) => {
    expect(pythonFloatStr(x)).toBe(s);
  });

  it('prints each kind as CCP4i2 does', () => {
    expect(printValue(tv.int(3))).toBe('3');
    expect(printValue(tv.float(3))).toBe('3.0');
    expect(printValue(tv.bool(true))).toBe('True');
    expect(printValue(tv.bool(false))).toBe('False');
    expect(printValue(tv.unset())).toBe('');
    expect(printValue(tv.file('/a b/c.mtz'))).toBe('/a b/c.mtz');
    expect(printValue(tv.string(''))).toBe('');
    expect(printValue(tv.record(true))).toBeUndefined();
    expect(printValue(tv.list([]))).toBeUndefined();
  });

  describe.runIf(requireTool('python3'))('against python3 itself', () => {
    it('matches repr() for 3000 random doubles', () => {
      const xs = fc.sample(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 1000),
        ),
        { numRuns: 3000, seed: 42 },
      );
      const r = spawnSync(
        'python3',
        ['-c', 'import sys\nfor x in sys.stdin.read().split(): print(repr(float(x)))'],
        {
          // String(-0) is '0', so negative zero is written out explicitly.
          input: xs.map((x) => (Object.is(x, -0) ? '-0.0' : String(x))).join('\n'),
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(0);
      const expected = r.stdout.trimEnd().split('\n');
      expect(xs.map(pythonFloatStr)).toEqual(expected);
    });
  });
});
