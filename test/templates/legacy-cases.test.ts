import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefFile, loadParamsFile } from '../../src/data/index.js';
import {
  loadTemplateFile,
  parseTemplate,
  renderTemplate,
  scopeFromContainer,
  templateVariables,
} from '../../src/templates/index.js';

// The six real CCP4i2 templates with the output legacy CCP4i2's own engine gave (see README.md there).
const DIR = resolve(__dirname, '../fixtures/ccp4i2/templates');

interface LegacyCase {
  id: string;
  template: string;
  def: string;
  params: Record<string, { className: string; value: unknown }>;
  expected_script: string;
  expected_argv: string[];
  legacy_errors: unknown[];
  argv_legacy_splits_value?: boolean;
}

const { cases } = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as { cases: LegacyCase[] };

/** Whether any parameter value holds white space (legacy argv then splits it; ours keeps it whole). */
function hasSpacedValue(v: unknown): boolean {
  if (typeof v === 'string') return /\s/.test(v);
  if (v && typeof v === 'object') return Object.values(v).some(hasSpacedValue);
  return false;
}

function renderCase(c: LegacyCase) {
  const { container, report } = loadDefFile(join(DIR, c.def));
  expect(report.hasErrors()).toBe(false);
  for (const [name, p] of Object.entries(c.params)) {
    const obj = container.find(name);
    expect(obj, `${name} in ${c.def}`).toBeDefined();
    expect(obj!.className).toBe(p.className);
    obj!.set(p.value);
  }
  // A command-line template gives argv; the others the keyword script.
  const target = c.template.includes('comline') ? 'argv' : 'script';
  return renderTemplate(loadTemplateFile(join(DIR, c.template)), scopeFromContainer(container), { target });
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

/**
 * Legacy's script with the one deliberate difference: a value holding spaces that the template did not
 * quote itself is quoted, so that CCP4's keyword parser reads it as one token.
 */
function keywordQuoted(c: LegacyCase): string {
  if (c.template.includes('comline')) return c.expected_script;
  let s = c.expected_script;
  for (const v of strings(c.params).filter((x) => /\s/.test(x)))
    s = s.replace(new RegExp(`(?<=[ =])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\n| )`), `"${v}"`);
  return s;
}

describe('real CCP4i2 templates against legacy output (cases.json)', () => {
  it('covers the 16 cases of all six templates', () => {
    expect(cases.length).toBe(16);
    expect(new Set(cases.map((c) => c.template)).size).toBe(6);
  });

  for (const c of cases) {
    it(c.id, () => {
      const r = renderCase(c);
      expect([...r.errors]).toEqual([]);
      expect(c.legacy_errors).toEqual([]);
      expect(r.script).toBe(keywordQuoted(c));
      if (!hasSpacedValue(c.params)) {
        expect(c.argv_legacy_splits_value).toBeUndefined();
        expect(r.argv).toEqual(c.expected_argv);
        return;
      }
      // Declared difference: legacy split the script on white space, breaking a value with spaces into
      // several words; we keep each value one argument. The fixture flags the command-line cases; the two
      // unique COMTEMPLATE cases (space group "P 61 2 2", TITLE) differ the same way without the flag.
      expect(r.argv).not.toEqual(c.expected_argv);
      expect(r.argv.flatMap((a) => a.split(/\s+/).filter(Boolean))).toEqual(c.expected_argv);
      const spaced = r.argv.filter((a) => /\s/.test(a));
      expect(spaced.length).toBeGreaterThan(0);
      for (const a of spaced) expect(c.expected_script).toContain(a);
    });
  }

  it('a path with spaces is exactly one argument', () => {
    const c = cases.find((x) => x.id === 'pdbset-comline-path-with-space')!;
    expect(c.argv_legacy_splits_value).toBe(true);
    expect(renderCase(c).argv).toEqual([
      'XYZIN',
      '/home/user/my project/1df7.pdb',
      'XYZOUT',
      '/home/user/my project/job 2/out.pdb',
    ]);
  });
});

describe('templateVariables', () => {
  it('lists the names each real template uses, all present in its def file', () => {
    const seen: Record<string, string[]> = {};
    for (const c of cases) {
      const { container } = loadDefFile(join(DIR, c.def));
      const names = templateVariables(loadTemplateFile(join(DIR, c.template)));
      seen[c.template] = names.map((p) => p.join('.'));
      const scope = scopeFromContainer(container);
      for (const p of names) expect(scope.lookup(p), `${p.join('.')} in ${c.def}`).toBeDefined();
    }
    expect(seen['mtzdump.comtemplate.txt']).toEqual(['HEADER']);
    expect(seen['unique.comtemplate.txt']).toEqual([
      'SPACEGROUPCELL.spaceGroup',
      'SPACEGROUPCELL.cell.a',
      'SPACEGROUPCELL.cell.b',
      'SPACEGROUPCELL.cell.c',
      'SPACEGROUPCELL.cell.alpha',
      'SPACEGROUPCELL.cell.beta',
      'SPACEGROUPCELL.cell.gamma',
      'RESOLUTION',
      'TITLE',
    ]);
  });

  it('skips loop variables in scope and follows every construct', () => {
    const t = parseTemplate(
      'LOOP I 1 $N\n{I > $M} X $I\nENDLOOP\n$I Y\nIF $A\nCASE $B\nCASEMATCH $C\nLABELLINE L $D.e\nENDCASE\nELSE\n1 {len($E) + 1} | $F\nENDIF',
    );
    expect(templateVariables(t).map((p) => p.join('.'))).toEqual([
      'N',
      'M',
      'I',
      'A',
      'B',
      'C',
      'D.e',
      'E',
      'F',
    ]);
  });
});

describe('container scope', () => {
  it('reaches a list item of a real CCP4i2 list by index ($LIST.0)', () => {
    const def = resolve(
      __dirname,
      '../fixtures/ccp4i2/wrappers/ccp4mg_general/script/ccp4mg_general.def.xml',
    );
    const { container } = loadDefFile(def);
    container.find('XYZIN_LIST')!.set(['/data/a b.pdb', '/data/c.pdb']);
    const r = renderTemplate(
      '1 XYZIN $XYZIN_LIST.1\n1 FIRST $XYZIN_LIST.0\n1 NONE $XYZIN_LIST.2',
      scopeFromContainer(container),
    );
    expect(r.lines).toEqual(['XYZIN /data/c.pdb', 'FIRST "/data/a b.pdb"']);
    expect(r.argv).toEqual(['XYZIN', '/data/c.pdb', 'FIRST', '/data/a b.pdb']);
    expect([...r.errors].map((e) => e.code)).toEqual([201]);
  });

  it('a file given relative to CCP4I2_TOP is an error (210) until CCP4I2_TOP is known, never an empty argument', () => {
    const top = resolve(__dirname, '../fixtures/ccp4i2');
    const { container } = loadDefFile(join(top, 'wrappers2/demo_copycell/script/demo_copycell.def.xml'));
    const saved = process.env.CCP4I2_TOP;
    delete process.env.CCP4I2_TOP;
    try {
      loadParamsFile(container, join(top, 'wrappers2/demo_copycell/test_data/test_1.params.xml'));
      const t = '$HKLIN HKLIN $HKLIN\n1 END';
      const lost = renderTemplate(t, scopeFromContainer(container));
      expect(lost.script).toBe('END\n');
      expect([...lost.errors].map((e) => [e.code, e.objectPath])).toEqual([
        [210, 'container.inputData.HKLIN'],
      ]);
      expect(lost.errors.entries[0]!.details).toContain('gere_nat.mtz (project CCP4I2_TOP');
      container.fileContext = { ccp4i2Top: top };
      const found = renderTemplate(t, scopeFromContainer(container));
      expect(found.argv).toEqual(['HKLIN', join(top, 'wrappers/mtzdump/test_data/gere_nat.mtz'), 'END']);
      expect(found.ok).toBe(true);
    } finally {
      if (saved !== undefined) process.env.CCP4I2_TOP = saved;
    }
  });
});
