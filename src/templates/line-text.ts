import type { Piece } from './ast.js';
import { ExpressionSyntaxError, parseExpression } from './expr-parser.js';

/**
 * Index of the `}` closing the `{` at `open`, or -1. Braces nest, and quoted strings inside the braces are
 * skipped, so `{$X == "}"}` closes at the last brace.
 */
export function findClosingBrace(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '{') depth++;
    else if (c === '}') {
      if (--depth === 0) return i;
    } else if ((c === '"' || c === "'") && depth > 0) {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return -1;
      i = j;
    }
  }
  return -1;
}

/**
 * Splits `A | B` at the first `|` outside `{...}`, with or without spaces around it (legacy dropped the
 * character before `|`, losing A in `A|B`). Returns undefined when there is no alternative.
 */
export function splitAlternative(text: string): [string, string] | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      const close = findClosingBrace(text, i);
      if (close < 0) return undefined;
      i = close;
    } else if (c === '|') return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
  }
  return undefined;
}

const NAME_START = /[A-Za-z_]/;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const PART = /[A-Za-z_][A-Za-z0-9_]*|\d+/y;

/**
 * Splits line text into literal text, `$NAME.a.b[.quote]` substitutions and `{expr}` fragments. Names may
 * hold digits (`$HKLIN2`); a `$` not followed by a name is literal. Throws ExpressionSyntaxError for a `{`
 * without its `}` or a fragment that does not parse.
 */
export function parsePieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  const flush = () => {
    if (literal) pieces.push({ kind: 'text', text: literal });
    literal = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '$' && NAME_START.test(text[i + 1] ?? '')) {
      const path: string[] = [];
      let j = i + 1;
      for (;;) {
        // After the first name, a part may be a list index: `$LIST.0`.
        const re = path.length === 0 ? NAME : PART;
        re.lastIndex = j;
        const m = re.exec(text)!;
        path.push(m[0]);
        j += m[0].length;
        if (text[j] !== '.' || !/[A-Za-z_0-9]/.test(text[j + 1] ?? '')) break;
        j++;
      }
      const quote = path.length > 1 && path[path.length - 1] === 'quote';
      if (quote) path.pop();
      flush();
      pieces.push({ kind: 'var', path, quote, raw: text.slice(i, j) });
      i = j;
    } else if (c === '{') {
      const close = findClosingBrace(text, i);
      if (close < 0) throw new ExpressionSyntaxError(`'{' at column ${i + 1} has no matching '}'`);
      const raw = text.slice(i, close + 1);
      let expr: ReturnType<typeof parseExpression>;
      try {
        expr = parseExpression(raw.slice(1, -1));
      } catch (e) {
        if (e instanceof ExpressionSyntaxError) throw new ExpressionSyntaxError(`${raw}: ${e.message}`);
        throw e;
      }
      flush();
      pieces.push({ kind: 'expr', expr, raw });
      i = close + 1;
    } else {
      literal += c;
      i++;
    }
  }
  flush();
  return pieces;
}
