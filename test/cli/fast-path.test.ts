import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fastCommand } from '../../src/cli/fast-path.js';
import { FIXTURES, runCli } from '../helpers/cli.js';

// `ccp4i2 mtz info FILE` skips commander (start-up, issue 15). It must behave exactly as the commander
// path does, which `mtz info -- FILE` still takes (an argument starting with '-' leaves the fast path).
const MTZ = join(FIXTURES, 'data/gamma/merged_intensities_native.mtz');
const dir = mkdtempSync(join(tmpdir(), 'ccp4i2-fast-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fastCommand', () => {
  it('takes only `mtz info FILE` with --json and --stats', () => {
    for (const args of [
      ['mtz', 'info', 'a.mtz'],
      ['mtz', 'info', '--json', 'a.mtz'],
      ['mtz', 'info', 'a.mtz', '--stats', '--json'],
    ])
      expect(fastCommand(args), args.join(' ')).toBeTypeOf('function');
    for (const args of [
      [],
      ['mtz'],
      ['mtz', 'info'],
      ['mtz', 'info', 'a.mtz', 'b.mtz'],
      ['mtz', 'info', '--help'],
      ['mtz', 'info', 'a.mtz', '--debug'],
      ['mtz', 'info', '--', 'a.mtz'],
      ['mtz', 'info', '-j', 'a.mtz'],
      ['mtz', 'dump', 'a.mtz'],
      ['--debug', 'mtz', 'info', 'a.mtz'],
      ['def', 'show', 'a.def.xml'],
    ])
      expect(fastCommand(args), args.join(' ')).toBeUndefined();
  });
});

describe('ccp4i2 mtz info: the fast path and commander agree', () => {
  const notMtz = join(dir, 'not.mtz');
  writeFileSync(notMtz, 'this is not an MTZ file\n');
  const cases: Array<[string, string[]]> = [
    ['a good file', [MTZ]],
    ['--json', ['--json', MTZ]],
    ['--stats --json', ['--stats', '--json', MTZ]],
    ['a file that is not MTZ', [notMtz]],
    ['a missing file', [join(dir, 'missing.mtz')]],
    ['a directory', [dir]],
  ];
  for (const [what, args] of cases)
    it(what, () => {
      const fast = runCli('ccp4i2', ['mtz', 'info', ...args]);
      const file = args.at(-1)!;
      const slow = runCli('ccp4i2', ['mtz', 'info', ...args.slice(0, -1), '--', file]);
      expect(fast).toEqual(slow);
      if (file === MTZ) {
        expect(fast.status).toBe(0);
        expect(fast.stdout).toContain('P 21 21 21');
      } else {
        expect(fast.status).toBe(2);
        expect(fast.stderr).toMatch(/^ccp4i2: error: .*\[\w+ \d+\]/);
      }
    });
});
