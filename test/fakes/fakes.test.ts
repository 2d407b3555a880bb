import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceCoordCell } from '../../src/formats/coords/index.js';
import { parseMtzdumpLog } from '../../src/plugins/tasks/mtzdump/log-parser.js';

const ROOT = resolve(__dirname, '../..');
const BIN = resolve(__dirname, 'bin');
const FIX = resolve(ROOT, 'test/fixtures');
const TEMPLATES = join(FIX, 'ccp4i2/templates');
const LISTINGS = join(FIX, 'ccp4i2/mtzdump-headers');

/**
 * The real CCP4i2 templates expanded the simple way they need (line guard `1` or `$VAR`, `$X` and `$X.y`
 * substitution): what the wrappers give the programs as argv and stdin.
 */
function expand(template: string, values: Record<string, unknown>): string[] {
  const lookup = (path: string) =>
    path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], values);
  const out: string[] = [];
  for (const line of readFileSync(join(TEMPLATES, template), 'utf8').split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] !== '1' && !lookup(m[1].slice(1))) continue;
    out.push(m[2].replace(/\$([A-Za-z_][\w.]*)/g, (_, p) => String(lookup(p))));
  }
  return out;
}

function run(program: string, argv: string[], stdin: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(join(BIN, program), argv, {
    input: stdin,
    encoding: 'latin1',
    env: { ...process.env, ...env },
  });
}

function mtzdump(hklin: string, env: NodeJS.ProcessEnv = {}) {
  const argv = expand('mtzdump.comlinetemplate.txt', { HKLIN: hklin }).join(' ').split(/\s+/);
  const stdin = `${expand('mtzdump.comtemplate.txt', { HEADER: true }).join('\n')}\n`;
  return run('mtzdump', argv, stdin, env);
}

const MTZ_FILES = readdirSync(join(FIX, 'data'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.mtz'))
  .map((f) => join(FIX, 'data', f));

describe('FAKE mtzdump (stand-in for CCP4 mtzdump)', () => {
  it('takes the argv and stdin that the real templates produce', () => {
    expect(expand('mtzdump.comlinetemplate.txt', { HKLIN: '/x/y.mtz' })).toEqual(['HKLIN /x/y.mtz']);
    expect(expand('mtzdump.comtemplate.txt', { HEADER: true })).toEqual(['HEADER', 'NREF -1', 'END']);
  });

  it.each(MTZ_FILES.map((f) => basename(f)))('prints the real listing for %s', (name) => {
    const file = MTZ_FILES.find((f) => basename(f) === name)!;
    const r = mtzdump(file);
    expect(r.status).toBe(0);
    const listing = readFileSync(join(LISTINGS, name.replace(/\.mtz$/, '.txt')), 'latin1');
    expect(r.stdout).toContain(listing);
    expect(r.stdout).toContain('FAKE MTZDUMP');
    expect(r.stdout).toContain(' Data line--- NREF -1');
    expect(r.stdout.trimEnd().endsWith('MTZDUMP:   Normal termination')).toBe(true);
    expect(parseMtzdumpLog(r.stdout).nref).toBeGreaterThan(0);
  });

  it('fails like a CCP4 program on bad input', () => {
    const gamma = join(FIX, 'data/gamma/merged_intensities_native.mtz');
    expect(run('mtzdump', [], 'HEADER\nEND\n').status).toBe(1);
    expect(run('mtzdump', ['HKLIN'], 'END\n').status).toBe(1);
    expect(mtzdump(join(FIX, 'data/gamma/nonexistent.mtz')).status).toBe(1);
    expect(mtzdump(join(FIX, 'data/gamma/gamma_model.pdb')).stdout).toContain('is not an MTZ file');
    const bad = run('mtzdump', ['HKLIN', gamma], 'HEADER\nBOGUS 1\nEND\n');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('Keyword error');
    // An MTZ with no recorded listing: the stand-in says so rather than inventing one.
    const none = mtzdump(gamma, { FAKE_MTZDUMP_LISTINGS: tmpdir() });
    expect(none.status).toBe(3);
    expect(none.stderr).toContain('no recorded listing');
  });

  it('FAKE_MTZDUMP_LISTING prints a chosen file (for unreadable-log tests)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-'));
    const garbage = join(dir, 'garbage.txt');
    spawnSync('sh', ['-c', `printf ' * Title:\\n\\n nothing\\n' > ${JSON.stringify(garbage)}`]);
    const r = mtzdump(join(FIX, 'data/gamma/freeR.mtz'), { FAKE_MTZDUMP_LISTING: garbage });
    expect(r.status).toBe(0);
    expect(() => parseMtzdumpLog(r.stdout)).toThrow(/Error reading cell from log file/);
  });
});

describe('FAKE pdbset (stand-in for CCP4 pdbset)', () => {
  const dist = join(ROOT, 'dist/formats/coords/index.js');
  const CELL = { a: 34.0887, b: 54.8162, c: 68.0108, alpha: 90, beta: 90, gamma: 90 };

  function pdbset(xyzin: string, xyzout: string, cell: typeof CELL | undefined, extra = '') {
    const argv = expand('pdbset.comlinetemplate.txt', { XYZIN: xyzin, XYZOUT: xyzout })
      .join(' ')
      .split(/\s+/);
    const stdin = cell ? `${expand('pdbset.comtemplate.txt', { CELL: cell }).join('\n')}\n` : `${extra}END\n`;
    return run('pdbset', argv, extra && cell ? extra + stdin : stdin);
  }

  it.runIf(existsSync(dist))(
    "takes the templates' argv and stdin and writes what writeCoordCell writes",
    () => {
      expect(expand('pdbset.comtemplate.txt', { CELL })).toEqual([
        'CELL 34.0887 54.8162 68.0108 90 90 90',
        'END',
      ]);
      const dir = mkdtempSync(join(tmpdir(), 'fake-'));
      for (const input of [join(FIX, 'data/gamma/gamma_model.pdb'), join(FIX, 'coords/4hg7_small.cif')]) {
        const out = join(dir, `out-${basename(input)}`);
        const r = pdbset(input, out, CELL);
        expect(r.status, r.stdout).toBe(0);
        expect(r.stdout).toContain('FAKE PDBSET');
        expect(r.stdout).toContain('PDBSET:   Normal termination');
        const expected = replaceCoordCell(readFileSync(input, 'latin1'), { cell: CELL }).text;
        expect(readFileSync(out, 'latin1')).toBe(expected);
        expect(expected).toMatch(
          /CRYST1 {3}34\.089 {3}54\.816 {3}68\.011 {2}90\.00 {2}90\.00 {2}90\.00 P 21 21 21|_cell\.length_a 34\.089/,
        );
      }
    },
  );

  it.runIf(existsSync(dist))('SPACEGROUP with CELL; no CELL copies the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-'));
    const input = join(FIX, 'data/rnase/rnase_model.pdb');
    const out = join(dir, 'sg.pdb');
    expect(pdbset(input, out, CELL, 'SPACEGROUP P 1 21 1\n').status).toBe(0);
    expect(readFileSync(out, 'latin1')).toContain('  90.00  90.00  90.00 P 1 21 1');
    const copy = join(dir, 'copy.pdb');
    expect(pdbset(input, copy, undefined).status).toBe(0);
    expect(readFileSync(copy, 'latin1')).toBe(readFileSync(input, 'latin1'));
  });

  it.runIf(existsSync(dist))('fails like a CCP4 program on bad input, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-'));
    const out = join(dir, 'never.pdb');
    const gamma = join(FIX, 'data/gamma/gamma_model.pdb');
    expect(run('pdbset', ['XYZIN', gamma], 'END\n').status).toBe(1);
    expect(pdbset(join(dir, 'missing.pdb'), out, CELL).status).toBe(1);
    const zero = pdbset(gamma, out, { ...CELL, b: 0 });
    expect(zero.status).toBe(1);
    expect(zero.stdout).toContain('cell b must be > 0 (0) [CoordinateCell 105]');
    expect(run('pdbset', ['XYZIN', gamma, 'XYZOUT', out], 'CELL 1 2 3\nEND\n').status).toBe(1);
    expect(run('pdbset', ['XYZIN', gamma, 'XYZOUT', out], 'CHAIN A B\nEND\n').stdout).toContain(
      'Keyword error',
    );
    const small = readFileSync(join(FIX, 'coords/4hg7_small.cif'), 'latin1');
    const trunc = join(dir, 'trunc.cif');
    writeFileSync(trunc, small.slice(0, small.indexOf('\n20 C') + 12), 'latin1');
    expect(pdbset(trunc, out, CELL).stdout).toMatch(/truncated or ragged \[CoordinateCell 106\]/);
    expect(existsSync(out)).toBe(false);
  });
});
