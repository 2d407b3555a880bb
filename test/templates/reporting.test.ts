import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Severity } from '../../src/errors/severity.js';
import {
  loadTemplateFile,
  parseTemplate,
  renderTemplate,
  scopeFromObject,
} from '../../src/templates/index.js';
import { BASE_SCOPE, render, tempFiles } from './helpers.js';

describe('error reports', () => {
  it('give the template line number (counting blank and comment lines) and go on rendering', () => {
    const r = render('# header\n\n1 A\n$NOPE B\n1 C $NL\nIF $N >\nENDIF\n1 D');
    expect(r.script).toBe('A\nD\n');
    expect([...r.errors].map((e) => [e.code, e.line])).toEqual([
      [109, 6],
      [201, 4],
      [207, 5],
    ]);
    expect(r.ok).toBe(false);
  });

  it('name the parameter whose value holds a control character', () => {
    const r = render('1 TITLE $NL');
    const [e] = r.errors.entries;
    expect(e.className).toBe('CComTemplate');
    expect(e.objectPath).toBe('NL');
    expect(e.details).toContain('U+000A');
    expect(e.description).toMatch(/control character/);
    expect(r.errors.report()).toMatch(/NL: .*control character.*\[CComTemplate 207\]/);
  });

  it('use the objectPath a scope provides', () => {
    const scope = {
      lookup: (p: readonly string[]) =>
        p[0] === 'T'
          ? { kind: 'string' as const, value: 'x\ny', objectPath: 'container.inputData.T' }
          : undefined,
    };
    const r = renderTemplate('1 T $T', scope);
    expect(r.errors.entries[0].objectPath).toBe('container.inputData.T');
  });

  it('LABELLINE unset is a warning: the render stays ok', () => {
    const r = render('LABELLINE PHI $PHI_W.PHI W $PHI_W.W');
    expect(r.errors.entries[0].severity).toBe(Severity.WARNING);
    expect(r.ok).toBe(true);
    expect(r.script).toBe('LABIN PHI=PHIB\n');
  });

  it('name the included file and its own line', () => {
    const { dir, cleanup } = tempFiles({ 'inc.txt': '1 A\n\n1 B $NOPE' });
    try {
      const main = join(dir, 'main.txt');
      const r = renderTemplate('1 X\nAT inc.txt', scopeFromObject(BASE_SCOPE), { file: main });
      expect(r.script).toBe('X\nA\n');
      expect(r.errors.entries.map((e) => [e.code, e.file, e.line])).toEqual([[201, join(dir, 'inc.txt'), 3]]);
    } finally {
      cleanup();
    }
  });

  it('an include renders each time it is reached, parsed once', () => {
    const { dir, cleanup } = tempFiles({ 'inc.txt': 'ENDIF\n1 I $I' });
    try {
      const r = renderTemplate('LOOP I 1 3\nAT inc.txt\nENDLOOP', scopeFromObject({}), { baseDir: dir });
      expect(r.script).toBe('I 1\nI 2\nI 3\n');
      expect(r.errors.entries.map((e) => e.code)).toEqual([103]);
    } finally {
      cleanup();
    }
  });

  it('loadTemplateFile reads a file and reports a missing one as a Ccp4Error', () => {
    const { dir, cleanup } = tempFiles({ 't.txt': '1 A $N' });
    try {
      const t = loadTemplateFile(join(dir, 't.txt'));
      expect(t.file).toBe(join(dir, 't.txt'));
      expect(renderTemplate(t, scopeFromObject({ N: 1 })).script).toBe('A 1\n');
      expect(() => loadTemplateFile(join(dir, 'missing.txt'))).toThrow(/Template file does not exist/);
    } finally {
      cleanup();
    }
  });

  it('a parsed template can be rendered many times with different scopes', () => {
    const t = parseTemplate('$HEADER HEADER\n1 NREF $N');
    expect(renderTemplate(t, scopeFromObject({ HEADER: true, N: 1 })).script).toBe('HEADER\nNREF 1\n');
    expect(renderTemplate(t, scopeFromObject({ HEADER: false, N: 2 })).script).toBe('NREF 2\n');
    expect(t.errors.length).toBe(0);
  });
});
