import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTemplate, type ScopeRecord, scopeFromObject } from '../../src/templates/index.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Printable text that may hold template syntax ({2*3}, $X, |, #, quotes, spaces, IF, leading '-'). */
const safeText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constantFrom(
        '{2*3}',
        '$HEADER',
        '$V0',
        ' | ',
        '#',
        '!',
        '"',
        "'",
        '  ',
        'IF ',
        '- ',
        ' -',
        '&',
        ',',
        '=',
        '@',
        'ENDIF',
        '}',
        '{',
      ),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''))
  .filter((s) => !CONTROL.test(s));

const controlChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.constantFrom(0x2028, 0x2029),
);

/** One template line: its guard (constant or a boolean parameter) and a keyword with one value. */
const lineSpec = fc.record({ guard: fc.constantFrom('1', '0', 'B'), flag: fc.boolean(), value: safeText });

/**
 * A model of how CCP4's keyword parser (libccp4 ccp4_parse) splits a line, written from its documented
 * rules: separators space, tab, comma, =; a quote after a separator opens a token closed by the same quote
 * before a separator; an unquoted ! or # ends the line; a last token -, & or \\ continues it.
 */
function ccp4Tokens(line: string): { tokens: string[]; continued: boolean } {
  const sep = (c: string | undefined) => c === undefined || ' \t,='.includes(c);
  const tokens: string[] = [];
  for (let i = 0; i < line.length; ) {
    const c = line[i]!;
    if (sep(c)) i++;
    else if (c === '!' || c === '#') break;
    else if ((c === '"' || c === "'") && sep(line[i - 1])) {
      let j = i + 1;
      while (j < line.length && !(line[j] === c && sep(line[j + 1]))) j++;
      tokens.push(line.slice(i + 1, j));
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && !sep(line[j]) && line[j] !== '!' && line[j] !== '#') j++;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  const last = tokens[tokens.length - 1];
  return { tokens, continued: last === '-' || last === '&' || last === '\\' };
}

type LineSpec = { guard: string; flag: boolean; value: string };

/** One line `GUARD K<i> $V<i>` per spec, the scope, and the specs whose guard holds (with their index). */
function build(specs: LineSpec[]) {
  const scope: ScopeRecord = {};
  const template = specs
    .map((s, i) => {
      scope[`V${i}`] = s.value;
      scope[`B${i}`] = s.flag;
      return `${s.guard === 'B' ? `$B${i}` : s.guard} K${i} $V${i}`;
    })
    .join('\n');
  const allowed = specs
    .map((s, i) => ({ ...s, i }))
    .filter((s) => s.guard === '1' || (s.guard === 'B' && s.flag));
  return { template, scope, allowed };
}

describe('template safety properties', () => {
  it('keyword script: every allowed line reads as exactly its keyword and value, or is refused (212)', () => {
    fc.assert(
      fc.property(fc.array(lineSpec, { minLength: 1, maxLength: 8 }), (specs) => {
        const { template, scope, allowed } = build(specs);
        const r = renderTemplate(template, scopeFromObject(scope));
        const refused = new Set([...r.errors].map((e) => e.objectPath));
        expect([...r.errors].every((e) => e.code === 212)).toBe(true);
        const kept = allowed.filter((s) => !refused.has(`V${s.i}`));
        expect(r.lines).toHaveLength(kept.length);
        kept.forEach((s, k) => {
          const read = ccp4Tokens(r.lines[k]!);
          expect(read.continued).toBe(false);
          expect(read.tokens).toEqual(s.value === '' ? [`K${s.i}`] : [`K${s.i}`, s.value]);
        });
        // Refused only for what the keyword parser cannot be given safely.
        for (const s of allowed.filter((x) => refused.has(`V${x.i}`))) {
          const blocked = (q: string) =>
            [...s.value].some(
              (c, j) => c === q && j + 1 < s.value.length && ' \t,='.includes(s.value[j + 1]!),
            );
          const unsafe =
            /[!#]/.test(s.value) ||
            /[&\\]$/.test(s.value) ||
            s.value
              .split(/[ \t,=]+/)
              .filter(Boolean)
              .pop() === '-' ||
            ((blocked('"') || s.value.startsWith('"')) && (blocked("'") || s.value.startsWith("'")));
          expect(unsafe, JSON.stringify(s.value)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('argv: exactly the allowed lines and arguments', () => {
    fc.assert(
      fc.property(fc.array(lineSpec, { minLength: 1, maxLength: 8 }), (specs) => {
        const { template, scope, allowed } = build(specs);
        const r = renderTemplate(template, scopeFromObject(scope), { target: 'argv' });
        expect(r.errors.length).toBe(0);
        expect(r.script).toBe(allowed.map((s) => `K${s.i} ${s.value}\n`).join(''));
        expect(r.argv).toEqual(allowed.flatMap((s) => (s.value === '' ? [`K${s.i}`] : [`K${s.i}`, s.value])));
      }),
      { numRuns: 500 },
    );
  });

  it('a value with a control character is always rejected and never reaches the output', () => {
    fc.assert(
      fc.property(
        safeText,
        controlChar,
        safeText,
        fc.constantFrom('text', 'quote', 'expr', 'label'),
        (a, c, b, where) => {
          const value = a + String.fromCodePoint(c) + b;
          const template = {
            text: '1 BEFORE\n1 T $V\n1 AFTER',
            quote: '1 BEFORE\n1 T $V.quote\n1 AFTER',
            expr: '1 BEFORE\n1 T {$V + "x"}\n1 AFTER',
            label: '1 BEFORE\nLABELLINE T $V\n1 AFTER',
          }[where];
          const r = renderTemplate(template, scopeFromObject({ V: value }), { target: 'argv' });
          expect(r.ok).toBe(false);
          expect([...r.errors].map((e) => e.code)).toEqual([207]);
          if (where !== 'expr') expect(r.errors.entries[0].objectPath).toBe('V');
          expect(r.script).toBe('BEFORE\nAFTER\n');
          expect(r.argv).toEqual(['BEFORE', 'AFTER']);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('no host-language evaluation', () => {
  it('src/templates never uses eval, Function or dynamic import', () => {
    const dir = resolve(__dirname, '../../src/templates');
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(
        /\beval\s*\(|new\s+Function\b|\bFunction\s*\(|import\s*\(|require\s*\(|\bvm\b/,
      );
    }
  });
});

describe('robustness on arbitrary template text', () => {
  const token = fc.oneof(
    fc.constantFrom(
      'IF',
      'ELSE',
      'ENDIF',
      'LOOP',
      'ENDLOOP',
      'CASE',
      'CASEMATCH',
      'ENDCASE',
      'AT',
      'LABELLINE',
    ),
    fc.constantFrom(
      '1',
      '0',
      '-',
      '--',
      '|',
      '{',
      '}',
      '$N',
      '$S.a',
      '$NOPE',
      'I',
      '(',
      ')',
      '"',
      "'",
      '+',
      '/',
      '//',
      '%',
      '0',
      'and',
      'not',
      'in',
      '[',
      ']',
      ',',
      '.quote',
      '#',
      ' ',
    ),
    fc.string({ maxLength: 4 }),
  );
  const line = fc.array(token, { maxLength: 7 }).map((t) => t.join(' '));

  it('never throws, always terminates, and reports only coded template errors with a line', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 15 }), (lines) => {
        const r = renderTemplate(lines.join('\n'), scopeFromObject({ N: 2, S: { a: 'x' } }), {
          env: {},
          maxLoopIterations: 50,
          maxLines: 1000,
        });
        for (const e of r.errors) {
          expect(e.className).toBe('CComTemplate');
          expect(e.line).toBeGreaterThanOrEqual(0);
        }
        expect(r.lines.length).toBeLessThanOrEqual(1000);
        expect(r.script.split('\n').length).toBe(r.lines.length + 1);
      }),
      { numRuns: 2000 },
    );
  });
});
