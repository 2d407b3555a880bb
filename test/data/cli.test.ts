import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';

const TOP = join(FIXTURES, 'ccp4i2');
const BAD = join(FIXTURES, 'bad');

describe('ccp4i2 def show', () => {
  it('qualifiers named constructor, toString, hasOwnProperty, __proto__ are warnings, never a crash', () => {
    const file = join(FIXTURES, 'lenient/special-names.def.xml');
    for (const args of [
      ['def', 'show', file],
      ['def', 'show', '--json', file],
    ]) {
      const r = runCli('ccp4i2', args);
      expect(r.stderr).not.toContain('internal error');
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('WARNING');
      expect(r.stderr).toMatch(/container\.inputData\.N: .*toString/);
    }
  });

  it('a CBoolean with <min>0.0</min> (crank2, shelx) loads: exit 0 and a warning naming file, line and object', () => {
    const file = join(FIXTURES, 'lenient/crank2-patterns.def.xml');
    const r = runCli('ccp4i2', ['def', 'show', file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`WARNING ${file}:13: container.inputData.USER_FLAG:`);
    expect(r.stdout).toContain('USER_FLAG  CBoolean');
  });

  it('prints the container tree', () => {
    const r = runCli('ccp4i2', ['def', 'show', join(TOP, 'wrappers/csymmatch/script/csymmatch.def.xml')]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'csymmatch',
      '  inputData/',
      '    XYZIN_QUERY  CPdbDataFile  mustExist=true allowUndefined=false',
    ]);
  });

  it('--json gives one object per content with dotted paths and typed qualifiers, includes resolved by --root', () => {
    const file = join(TOP, 'wrappers/ShelxCDE/script/ShelxCE.def.xml');
    const r = runCli('ccp4i2', ['def', 'show', '--json', '--root', TOP, file]);
    expect(r.status).toBe(0);
    const items = JSON.parse(r.stdout) as {
      path: string;
      className: string;
      qualifiers: Record<string, unknown>;
    }[];
    const byPath = new Map(items.map((i) => [i.path, i]));
    expect(byPath.get('inputData.HAIN')).toEqual({
      path: 'inputData.HAIN',
      className: 'CPdbDataFile',
      qualifiers: { fromPreviousJob: true, mustExist: true, allowUndefined: false },
    });
    // Contents that only the included ShelxCDEBase.def.xml defines are there, each path once.
    expect(byPath.get('inputData.SAD')?.className).toBe('CObsDataFile');
    expect(new Set(items.map((i) => i.path)).size).toBe(items.length);
    expect(r.stderr).toContain('hN'); // the file's content without className is a warning
  });

  it('lists subItems and exits 1 on errors, 2 on unreadable files', () => {
    const r = runCli('ccp4i2', [
      'def',
      'show',
      '--json',
      join(TOP, 'wrappers/scaleit/script/scaleit.def.xml'),
    ]);
    const items = JSON.parse(r.stdout) as { path: string; subItem?: { className: string } }[];
    expect(items.find((i) => i.subItem)?.subItem?.className).toBe('CObsDataFile');
    const bad = runCli('ccp4i2', ['def', 'show', join(BAD, 'unknown-class.def.xml')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('container.inputData.XYZIN');
    expect(bad.stderr).toContain('[CContainer 103]');
    const unreadable = runCli('ccp4i2', ['def', 'show', join(BAD, 'xia2_ssx_reduce.def.xml')]);
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toContain('xia2_ssx_reduce.def.xml:94');
    expect(unreadable.stderr).not.toContain('    at ');
    expect(runCli('ccp4i2', ['def', 'show', '/nonexistent.def.xml']).status).toBe(2);
  });
});

describe('ccp4i2 params check', () => {
  const def = join(BAD, 'target.def.xml');

  it('exits 0 for valid parameters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-'));
    const p = join(dir, 'ok.params.xml');
    writeFileSync(
      p,
      `<ccp4i2><ccp4i2_header><function>PARAMS</function><pluginName>target</pluginName></ccp4i2_header>
       <ccp4i2_body><inputData><XYZIN><baseName>${join(ROOT, 'examples/gamma_model.pdb')}</baseName></XYZIN></inputData>
       <controlParameters><NCYCLES>20</NCYCLES><TITLE>t</TITLE></controlParameters></ccp4i2_body></ccp4i2>`,
    );
    const r = runCli('ccp4i2', ['params', 'check', def, p]);
    expect(r.stdout).toContain('valid for task target');
    expect(r.status).toBe(0);
    const j = runCli('ccp4i2', ['params', 'check', '--json', def, p]);
    expect(JSON.parse(j.stdout)).toMatchObject({ valid: true, task: 'target', entries: [] });
  });

  it('exits 1 with coded entries for invalid parameters', () => {
    const r = runCli('ccp4i2', ['params', 'check', '--json', def, join(BAD, 'out-of-range.params.xml')]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      entries: { className: string; code: number; objectPath: string; file: string }[];
    };
    expect(out.entries.every((e) => e.file === join(BAD, 'out-of-range.params.xml'))).toBe(true);
    expect(out.valid).toBe(false);
    expect(out.entries.map((e) => [e.className, e.code, e.objectPath])).toEqual(
      expect.arrayContaining([
        ['CInt', 102, 'container.controlParameters.NCYCLES'],
        ['CFloat', 101, 'container.controlParameters.RATIO'],
        ['CPdbDataFile', 100, 'container.inputData.XYZIN'],
      ]),
    );
    const other = runCli('ccp4i2', ['params', 'check', def, join(BAD, 'other-task.params.xml')]);
    expect(other.status).toBe(1);
    expect(other.stdout).toContain("parameters of task 'refmac_i2', not 'target'");
  });

  it('exits 2 for unreadable files', () => {
    const r = runCli('ccp4i2', ['params', 'check', def, join(BAD, 'entity-expansion.params.xml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[CXmlParser 2]');
    expect(runCli('ccp4i2', ['params', 'check', def, '/nonexistent.params.xml']).status).toBe(2);
  });
});
