/**
 * The four behaviours where real templates can rely on legacy CCP4i2 (core/CCP4ComTemplate.py), written
 * from that code: `{...}` is Python's eval, so `%` is Python's; LOOP bounds go through `int()`; a CASE
 * keeps only what follows a matching CASEMATCH; CASE and CASEMATCH compare the substituted text.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefString } from '../../src/data/index.js';
import { Severity } from '../../src/errors/severity.js';
import { pythonFloatStr, renderTemplate, scopeFromContainer, tv } from '../../src/templates/index.js';
import { requireTool } from '../helpers/tools.js';
import { BASE_SCOPE, codes, render } from './helpers.js';

const value = (expr: string, scope = BASE_SCOPE) => render(`1 {${expr}}`, scope);

describe("Python's % (and //) in expressions", () => {
  // Expected values printed by python3 (`repr(eval(expr))`).
  const TABLE: Array<[string, string]> = [
    ['7 % 3', '1'],
    ['-7 % 3', '2'],
    ['7 % -3', '-2'],
    ['-7 % -3', '-1'],
    ['0 % 5', '0'],
    ['-6 % 3', '0'],
    ['7.5 % 2', '1.5'],
    ['-7.5 % 2', '0.5'],
    ['7.5 % -2', '-0.5'],
    ['-7.5 % -2', '-1.5'],
    ['6.0 % 3', '0.0'],
    ['-6.0 % 3', '0.0'],
    ['6.0 % -3', '-0.0'],
    ['7 % 2.5', '2.0'],
    ['-1e-20 % 3.0', '3.0'],
    ['1e16 % 7', '4.0'],
    ['True % 2', '1'],
    ['9007199254740991 % 97', '31'],
    ['-9007199254740991 % 97', '66'],
    ['2 + 7 % 3 * 2', '4'],
    ['10 % 4 % 3', '2'],
    ['7 // 2', '3'],
    ['-7 // 2', '-4'],
    ['7 // -2', '-4'],
    ['-7.5 // 2', '-4.0'],
    ['7.5 // -2', '-4.0'],
    ['-0.0 // 3', '-0.0'],
    ['0.0 // -3', '-0.0'],
  ];
  for (const [expr, expected] of TABLE)
    it(`${expr} == ${expected}`, () => {
      const r = value(expr);
      expect(codes(r)).toEqual([]);
      expect(r.script).toBe(`${expected}\n`);
    });

  it('works on parameters, in guards and IF (int and float semantics follow the values)', () => {
    const scope = { ...BASE_SCOPE, NEG: -7, RF: tv.float(-7.5) };
    expect(render('1 {$NEG % $N} {$RF % $N} {$N % 2}', scope).script).toBe('2 1.5 1\n');
    expect(render('{$N % 2 == 1} ODD\n{$N % 2 == 0} EVEN', scope).script).toBe('ODD\n');
    expect(render('IF $N % 2\n1 ODD\nELSE\n1 EVEN\nENDIF', scope).script).toBe('ODD\n');
    expect(render('LOOP I 1 6\n{I % 3 == 0} EVERY3 $I\nENDLOOP', scope).script).toBe('EVERY3 3\nEVERY3 6\n');
  });

  it('% on text is not string formatting: a coded error (202), the line left out', () => {
    for (const expr of ["'%d' % 5", '$TITLE % 2', "5 % 'a'", '$HKLIN % 2', "'%s' % $UNSET_S"]) {
      const r = value(expr);
      expect(codes(r), expr).toEqual([202]);
      expect(r.script).toBe('');
      expect([...r.errors][0].details).toContain('string formatting');
    }
  });

  it('modulo and floor division by zero are 202, as Python raises ZeroDivisionError', () => {
    for (const expr of ['5 % 0', '5.0 % 0.0', '$N % $ZERO', '5 // 0', '5.5 // $FZERO']) {
      const r = value(expr);
      expect(codes(r), expr).toEqual([202]);
    }
  });

  it('unset operands give unset, as for the other operators: the line is dropped, no error', () => {
    const r = render('1 {$RU % 2}\n{$RU % 2 == 0} X\n1 END');
    expect(codes(r)).toEqual([]);
    expect(r.script).toBe('END\n');
  });

  describe.runIf(requireTool('python3'))('against python3 itself', () => {
    it('agrees on 2000 random int and float operand pairs, negatives included', () => {
      const num = fc.oneof(
        fc.integer({ min: -1000, max: 1000 }).map(String),
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }).map(String),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(pythonFloatStr),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map(pythonFloatStr),
      );
      const pairs = fc
        .sample(fc.tuple(num, num, fc.constantFrom('%', '//')), { numRuns: 2000, seed: 7 })
        .filter(([, b]) => Number(b) !== 0);
      const exprs = pairs.map(([a, b, op]) => `${a} ${op} ${b}`);
      const py = spawnSync(
        'python3',
        ['-c', 'import sys\nfor e in sys.stdin.read().splitlines(): print(repr(eval(e)))'],
        { input: exprs.join('\n'), encoding: 'utf8' },
      );
      expect(py.status).toBe(0);
      const expected = py.stdout.trimEnd().split('\n');
      const ours = exprs.map((e) => value(e).script.trimEnd());
      expect(ours).toEqual(expected);
      expect(exprs.length).toBeGreaterThan(1900);
    });
  });
});

describe('LOOP bounds are int() of their value, as legacy', () => {
  it('a float bound is truncated toward zero (2.5 → 2, -1.5 → -1)', () => {
    const scope = { ...BASE_SCOPE, NEG: tv.float(-1.5) };
    const r = render('LOOP I 1 $R\n1 X $I\nENDLOOP\nLOOP J $NEG 1\n1 Y $J\nENDLOOP', scope);
    expect(codes(r)).toEqual([]);
    expect(r.script).toBe('X 1\nX 2\nY -1\nY 0\nY 1\n');
  });

  it('a float step is truncated (2.9 → 2); one that truncates to 0 is a zero step (204)', () => {
    const scope = { ...BASE_SCOPE, S: tv.float(2.9), HALF: tv.float(0.5) };
    expect(render('LOOP I 1 6 $S\n1 $I\nENDLOOP', scope).script).toBe('1\n3\n5\n');
    expect(codes(render('LOOP I 1 6 $HALF\n1 $I\nENDLOOP', scope))).toEqual([204]);
  });

  it('expressions, booleans and integer text are accepted as int() accepts them', () => {
    const scope = { ...BASE_SCOPE, NTEXT: ' 3 ', T: true };
    expect(render('LOOP I $T {$R * 2 - 0.5}\n1 $I\nENDLOOP', scope).script).toBe('1\n2\n3\n4\n');
    expect(render('LOOP I 2 $NTEXT\n1 $I\nENDLOOP', scope).script).toBe('2\n3\n');
  });

  it('what int() refuses is 203: text that is not an integer, unset, 2.5 as text', () => {
    const scope = { ...BASE_SCOPE, FT: '2.5' };
    const r = render('LOOP I 1 $TITLE\nENDLOOP\nLOOP I 1 $RU\nENDLOOP\nLOOP I 1 $FT\nENDLOOP', scope);
    expect(codes(r)).toEqual([203, 203, 203]);
  });

  it('through a real CFloat parameter of a def file', () => {
    const def = `<?xml version="1.0"?>
<ccp4:ccp4i2 xmlns:ccp4="http://www.ccp4.ac.uk/ccp4ns"><ccp4i2_header><function>DEF</function></ccp4i2_header>
<ccp4i2_body id="t"><container id="controlParameters">
<content id="NCYC"><className>CFloat</className></content>
<content id="MODE"><className>CFloat</className></content>
</container></ccp4i2_body></ccp4:ccp4i2>`;
    const { container } = loadDefString(def, 'loop.def.xml');
    container.find('NCYC')!.set(3.0);
    container.find('MODE')!.set(2);
    const scope = scopeFromContainer(container);
    const r = renderTemplate('LOOP I 1 $NCYC\n1 CYCLE $I\nENDLOOP', scope);
    expect(r.script).toBe('CYCLE 1\nCYCLE 2\nCYCLE 3\n');
    // The CFloat 2 prints as 2.0 and so does not match CASEMATCH 2.
    const c = renderTemplate('CASE $MODE\nCASEMATCH 2\n1 INT\nCASEMATCH 2.0\n1 FLOAT\nENDCASE', scope);
    expect(c.script).toBe('FLOAT\n');
  });
});

describe('CASE as legacy: lines before the first CASEMATCH are ignored; text is compared', () => {
  it('a line (and a block, and continuations) before the first CASEMATCH is ignored with a warning', () => {
    const t = [
      'CASE $MODE',
      '1 NEVER',
      '- 1 NEVER EITHER',
      'IF 1',
      '1 NOR THIS',
      'ENDIF',
      'CASEMATCH fast',
      '1 F',
      'ENDCASE',
      '1 END',
    ].join('\n');
    const r = render(t);
    expect(r.script).toBe('F\nEND\n');
    expect(r.ok).toBe(true);
    const warnings = [...r.errors];
    expect(warnings.map((e) => [e.code, e.line, e.severity])).toEqual([
      [114, 2, Severity.WARNING],
      [114, 4, Severity.WARNING],
    ]);
    expect(warnings[0].details).toContain('CASE at line 1');
  });

  it('CASEMATCH compares the substituted text: float 2.0 is not 2, int 2 is not 2.0', () => {
    const scope = { ...BASE_SCOPE, F2: tv.float(2), I2: 2, T: true };
    const t = (v: string) => `CASE ${v}\nCASEMATCH 2\n1 TWO\nCASEMATCH 2.0\n1 TWO_POINT_0\nENDCASE`;
    expect(render(t('$F2'), scope).script).toBe('TWO_POINT_0\n');
    expect(render(t('$I2'), scope).script).toBe('TWO\n');
    expect(render('CASE $T\nCASEMATCH 1\n1 ONE\nCASEMATCH True\n1 TRUE\nENDCASE', scope).script).toBe(
      'TRUE\n',
    );
    expect(render('CASE $WHOLE\nCASEMATCH 90\n1 X\nENDCASE\n1 END', scope).script).toBe('END\n');
  });

  it('both sides may be substituted ($ on the CASEMATCH side too)', () => {
    const scope = { ...BASE_SCOPE, OTHER: 'fast' };
    expect(render('CASE $MODE\nCASEMATCH $OTHER\n1 SAME\nENDCASE', scope).script).toBe('SAME\n');
  });
});
