import { describe, expect, it } from 'vitest';
import { EvaluationError, evaluate } from '../../src/templates/evaluate.js';
import { ExpressionSyntaxError, parseExpression } from '../../src/templates/expr-parser.js';
import { printValue, scopeFromObject, type TemplateValue, tv } from '../../src/templates/index.js';

const scope = scopeFromObject({
  N: 3,
  R: tv.float(2.5),
  S: 'abc',
  B: true,
  U: null,
  L: [1, 2, 3],
  C: { a: tv.float(10) },
});
const names = {
  variable: (p: readonly string[]) => scope.lookup(p),
  bare: (n: string) => (n === 'I' ? tv.int(7) : undefined),
};

function ev(src: string): string {
  const v: TemplateValue = evaluate(parseExpression(src), names);
  return `${v.kind}:${printValue(v) ?? '?'}`;
}

describe('expressions', () => {
  it.each([
    ['1 + 2 * 3', 'int:7'],
    ['(1 + 2) * 3', 'int:9'],
    ['7 / 2', 'float:3.5'],
    ['6 / 3', 'float:2.0'],
    ['-$N + 1', 'int:-2'],
    ['$N * $R', 'float:7.5'],
    ['$C.a / 4', 'float:2.5'],
    ['I * 2', 'int:14'],
    ['$B + 1', 'int:2'],
    ['$S + "d"', 'string:abcd'],
    ['$U + 1', 'unset:'],
    ['$U > 1', 'bool:False'],
    ['$U == None', 'bool:True'],
    ['$N == 3.0', 'bool:True'],
    ['$B == True', 'bool:True'],
    ['$B == 1', 'bool:True'],
    ['$S == "abc"', 'bool:True'],
    ['$S != 3', 'bool:True'],
    ['"a" < "b" <= "b"', 'bool:True'],
    ['1 < $N < 3', 'bool:False'],
    ['2 in $L', 'bool:True'],
    ['4 not in $L', 'bool:True'],
    ['"bc" in $S', 'bool:True'],
    ['not $U', 'bool:True'],
    ['$U or "default"', 'string:default'],
    ['$S and $N', 'int:3'],
    ['0 and $NOPE', 'int:0'],
    ['len($S) + len($L)', 'int:6'],
    ['int("42") + int(2.9)', 'int:44'],
    ['float($N)', 'float:3.0'],
    ['str($R)', 'string:2.5'],
    ['abs(-$R)', 'float:2.5'],
    ['min($L)', 'int:1'],
    ['max(1, $R)', 'float:2.5'],
    ['1e3', 'float:1000.0'],
    ["'single'", 'string:single'],
    ['"a\\"b"', 'string:a"b'],
  ])('%s → %s', (src, out) => {
    expect(ev(src)).toBe(out);
  });

  it.each([
    ['1 +', /end of expression/],
    ['(1', /expected '\)'/],
    ['$', /followed by a name/],
    ['"abc', /unterminated string/],
    ['1 ; 2', /unexpected character ';'/],
    ['os.system("x")', /unexpected character '\.'/],
    ['eval("1")', /unknown function 'eval'/],
    ['__import__("os")', /unknown function/],
    ['99999999999999999999', /too large/],
    ['', /empty/],
    ['('.repeat(500), /nested too deeply/],
  ])('syntax error: %s', (src, msg) => {
    expect(() => parseExpression(src)).toThrow(ExpressionSyntaxError);
    expect(() => parseExpression(src)).toThrow(msg);
  });

  it.each([
    ['$NOPE', 'UNKNOWN_VARIABLE'],
    ['J + 1', 'UNKNOWN_VARIABLE'],
    ['$C.b', 'UNKNOWN_VARIABLE'],
    ['$S > 1', 'EVALUATION'],
    ['$S - 1', 'EVALUATION'],
    ['1 / 0', 'EVALUATION'],
    ['$S * 1000000', 'EVALUATION'],
    ['9007199254740991 + 1', 'EVALUATION'],
    ['1 in $N', 'EVALUATION'],
    ['int("2.5")', 'EVALUATION'],
  ])('evaluation error: %s', (src, kind) => {
    try {
      evaluate(parseExpression(src), names);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EvaluationError);
      expect((e as EvaluationError).kind).toBe(kind);
    }
  });
});
