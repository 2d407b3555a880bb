import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { tempFiles } from './helpers.js';

// Runs the built CLI (npm test builds first) on the real templates and def files.
const T = join(FIXTURES, 'ccp4i2/templates');
const W = join(FIXTURES, 'ccp4i2/wrappers');
const MTZDUMP_DEF = join(W, 'mtzdump/script/mtzdump.def.xml');
const PDBSET_DEF = join(W, 'pdbset/script/pdbset.def.xml');

const tmp = tempFiles({
  'bad.txt': '1 A $NOPE\n1 END\nENDIF',
  'hklin.txt': '1 HKLIN $HKLIN',
  'unset.txt': '1 XYZOUT $XYZOUT\n1 QUOTED $XYZIN.quote\n$XYZIN GUARDED $XYZIN\n1 END',
  'mtzdump.params.xml': [
    '<?xml version="1.0"?>',
    '<ccp4i2><ccp4i2_header><function>PARAMS</function><pluginName>mtzdump</pluginName></ccp4i2_header>',
    '<ccp4i2_body><inputData><HKLIN><relPath>/data/my project</relPath><baseName>gere_nat.mtz</baseName></HKLIN>',
    '</inputData><controlParameters><HEADER>False</HEADER></controlParameters></ccp4i2_body></ccp4i2>',
  ].join('\n'),
});
afterAll(tmp.cleanup);

describe('ccp4i2 template render', () => {
  it('prints the stdin script with the def defaults (HEADER defaults to true)', () => {
    const r = runCli('ccp4i2', [
      'template',
      'render',
      join(T, 'mtzdump.comtemplate.txt'),
      '--def',
      MTZDUMP_DEF,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('HEADER\nNREF -1\nEND\n');
  });

  it('applies --set, including dotted names, and prints Python floats', () => {
    const r = runCli('ccp4i2', [
      'template',
      'render',
      join(T, 'pdbset.comtemplate.txt'),
      '--def',
      PDBSET_DEF,
      ...['a=71.478', 'b=71.478', 'c=104.236', 'alpha=90', 'beta=90', 'gamma=120'].flatMap((s) => [
        '--set',
        `CELL.${s}`,
      ]),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('CELL 71.478 71.478 104.236 90.0 90.0 120.0\nEND\n');
  });

  it('loads --params and prints argv one argument per line, a path with spaces whole', () => {
    const params = join(tmp.dir, 'mtzdump.params.xml');
    const argv = runCli('ccp4i2', [
      'template',
      'render',
      join(T, 'mtzdump.comlinetemplate.txt'),
      '--def',
      MTZDUMP_DEF,
      '--params',
      params,
      '--argv',
    ]);
    expect(argv.stderr).toBe('');
    expect(argv.stdout).toBe('HKLIN\n/data/my project/gere_nat.mtz\n');
    const script = runCli('ccp4i2', [
      'template',
      'render',
      join(T, 'mtzdump.comtemplate.txt'),
      '--def',
      MTZDUMP_DEF,
      '--params',
      params,
    ]);
    expect(script.stdout).toBe('NREF -1\nEND\n');
  });

  it('--argv --json prints a JSON array; --json alone an object', () => {
    const base = [
      'template',
      'render',
      join(T, 'pdbset.comlinetemplate.txt'),
      '--def',
      PDBSET_DEF,
      '--set',
      'XYZIN=/my data/a.pdb',
    ];
    const a = runCli('ccp4i2', [...base, '--argv', '--json']);
    expect(JSON.parse(a.stdout)).toEqual(['XYZIN', '/my data/a.pdb', 'XYZOUT']);
    const o = runCli('ccp4i2', [...base, '--json']);
    const out = JSON.parse(o.stdout);
    // The script quotes the path for CCP4's keyword parser; argv keeps it one argument without quotes.
    expect(out.script).toBe('XYZIN "/my data/a.pdb"\nXYZOUT \n');
    expect(out.argv).toEqual(['XYZIN', '/my data/a.pdb', 'XYZOUT']);
    // The unset XYZOUT is named (a warning: exit 0).
    expect(out.errors.map((e: { code: number; objectPath: string }) => [e.code, e.objectPath])).toEqual([
      [211, 'container.outputData.XYZOUT'],
    ]);
    expect(o.status).toBe(0);
  });

  it('exits 1 with the coded error report', () => {
    const r = runCli('ccp4i2', ['template', 'render', join(tmp.dir, 'bad.txt'), '--def', MTZDUMP_DEF]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('END\n');
    expect(r.stderr).toContain('bad.txt:3');
    expect(r.stderr).toContain('[CComTemplate 103]');
    expect(r.stderr).toMatch(
      /bad\.txt:1: NOPE: Unknown parameter or variable \(\$NOPE\) \[CComTemplate 201\]/,
    );
  });

  it('exits 1 for an unknown --set name, a bad value, or a control character in a value', () => {
    const run = (set: string) =>
      runCli('ccp4i2', [
        'template',
        'render',
        join(T, 'unique.comtemplate.txt'),
        '--def',
        join(W, 'unique/script/unique.def.xml'),
        '--set',
        set,
      ]);
    const unknown = run('NOPE=1');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no parameter 'NOPE'");
    const bad = run('RESOLUTION=abc');
    expect(bad.status).toBe(1);
    const control = run('TITLE=a\nEND\nSYMM P1');
    expect(control.status).toBe(1);
    expect(control.stderr).toContain('[CComTemplate 207]');
    expect(control.stdout).not.toContain('SYMM P1');
  });

  it('exits 1 when the template file is missing', () => {
    const r = runCli('ccp4i2', ['template', 'render', join(tmp.dir, 'missing.txt'), '--def', MTZDUMP_DEF]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[CComTemplate 306]');
  });

  it('--root resolves CCP4I2_TOP files of the params (without it: error 210, exit 1)', () => {
    const top = join(FIXTURES, 'ccp4i2');
    const args = [
      'template',
      'render',
      join(tmp.dir, 'hklin.txt'),
      '--def',
      join(top, 'wrappers2/demo_copycell/script/demo_copycell.def.xml'),
      '--params',
      join(top, 'wrappers2/demo_copycell/test_data/test_1.params.xml'),
      '--argv',
    ];
    const env = { ...process.env };
    delete env.CCP4I2_TOP;
    const lost = runCli('ccp4i2', args, { env });
    expect(lost.status).toBe(1);
    expect(lost.stderr).toContain('[CComTemplate 210]');
    const found = runCli('ccp4i2', [...args, '--root', top], { env });
    expect(found.stderr).toBe('');
    expect(found.status).toBe(0);
    expect(found.stdout).toBe(`HKLIN\n${join(top, 'wrappers/mtzdump/test_data/gere_nat.mtz')}\n`);
  });

  it('warns, naming each parameter, when an unset value is substituted (output unchanged, exit 0)', () => {
    const args = ['template', 'render', join(tmp.dir, 'unset.txt'), '--def', PDBSET_DEF];
    const r = runCli('ccp4i2', args);
    expect(r.status).toBe(0);
    // Printed as legacy prints it: nothing, and "" for .quote; a guarded line is simply left out.
    expect(r.stdout).toBe('XYZOUT \nQUOTED ""\nEND\n');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^WARNING .*unset\.txt:1: container\.outputData\.XYZOUT: .*\$XYZOUT is unset.*\[CComTemplate 211\]$/,
    );
    expect(lines[1]).toMatch(
      /^WARNING .*unset\.txt:2: container\.inputData\.XYZIN: .*\$XYZIN\.quote is unset/,
    );
    const json = JSON.parse(runCli('ccp4i2', [...args, '--json']).stdout);
    expect(json.errors.map((e: { code: number; objectPath: string }) => [e.code, e.objectPath])).toEqual([
      [211, 'container.outputData.XYZOUT'],
      [211, 'container.inputData.XYZIN'],
    ]);
  });
});
