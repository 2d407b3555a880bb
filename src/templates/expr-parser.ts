import { type ArithmeticOp, type CompareOp, type Expr, FUNCTIONS } from './expr-ast.js';

/** Thrown by parseExpression; the caller turns it into a coded template error with the line number. */
export class ExpressionSyntaxError extends Error {}

type Token =
  | { t: 'int' | 'float'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'var'; path: string[]; at: number }
  | { t: 'name'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'eof'; at: number };

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const PART = /[A-Za-z_][A-Za-z0-9_]*|\d+/y;
const NUMBER = /(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/y;
const OPS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '//', '/', '%', '(', ')', '[', ']', ','];
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 100;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(src);
    if (num && /[\d.]/.test(c)) {
      const text = num[0];
      const isFloat = /[.eE]/.test(text);
      const v = Number(text);
      if (!isFloat && !Number.isSafeInteger(v))
        throw new ExpressionSyntaxError(`integer ${text} is too large`);
      out.push({ t: isFloat ? 'float' : 'int', v, at: i });
      i += text.length;
      continue;
    }
    if (c === '$') {
      const path: string[] = [];
      let j = i + 1;
      for (;;) {
        // After the first name, a part may be a list index: `$LIST.0`.
        const re = path.length === 0 ? IDENT : PART;
        re.lastIndex = j;
        const m = re.exec(src);
        if (!m) throw new ExpressionSyntaxError(`'$' must be followed by a name at column ${j + 1}`);
        path.push(m[0]);
        j += m[0].length;
        if (src[j] !== '.' || !/[A-Za-z_0-9]/.test(src[j + 1] ?? '')) break;
        j++;
      }
      out.push({ t: 'var', path, at: i });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      IDENT.lastIndex = i;
      const name = IDENT.exec(src)![0];
      out.push({ t: 'name', v: name, at: i });
      i += name.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new ExpressionSyntaxError(`unterminated string starting at column ${i + 1}`);
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(`unexpected character '${c}' at column ${i + 1}`);
    out.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  out.push({ t: 'eof', at: src.length });
  return out;
}

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Recursive-descent parser with Python's precedence: or < and < not < comparisons < + - < * / // % < unary. */
class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const e = this.or();
    const t = this.peek();
    if (t.t !== 'eof') throw new ExpressionSyntaxError(`unexpected ${describe(t)} at column ${t.at + 1}`);
    return e;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private isName(v: string): boolean {
    const t = this.peek();
    return t.t === 'name' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) {
      const t = this.peek();
      throw new ExpressionSyntaxError(`expected '${v}' but found ${describe(t)} at column ${t.at + 1}`);
    }
    this.pos++;
  }
  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ExpressionSyntaxError('expression is nested too deeply');
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private or(): Expr {
    let left = this.and();
    while (this.isName('or')) {
      this.pos++;
      left = { type: 'logical', op: 'or', left, right: this.and() };
    }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.isName('and')) {
      this.pos++;
      left = { type: 'logical', op: 'and', left, right: this.not() };
    }
    return left;
  }
  private not(): Expr {
    if (this.isName('not')) {
      this.pos++;
      return this.nest(() => ({ type: 'unary', op: 'not', operand: this.not() }));
    }
    return this.comparison();
  }
  private comparison(): Expr {
    const first = this.additive();
    const rest: Array<{ op: CompareOp; right: Expr }> = [];
    for (;;) {
      const t = this.peek();
      let op: CompareOp | undefined;
      if (t.t === 'op' && COMPARE.has(t.v)) op = t.v as CompareOp;
      else if (this.isName('in')) op = 'in';
      else if (this.isName('not') && this.tokens[this.pos + 1]?.t === 'name') {
        const next = this.tokens[this.pos + 1] as { v: string };
        if (next.v === 'in') {
          this.pos++;
          op = 'not in';
        }
      }
      if (!op) break;
      this.pos++;
      rest.push({ op, right: this.additive() });
    }
    return rest.length ? { type: 'compare', first, rest } : first;
  }
  private additive(): Expr {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.tokens[this.pos++] as { v: '+' | '-' }).v;
      left = { type: 'binary', op, left, right: this.term() };
    }
    return left;
  }
  private term(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = (this.tokens[this.pos++] as { v: ArithmeticOp }).v;
      left = { type: 'binary', op, left, right: this.unary() };
    }
    return left;
  }
  private unary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const op = (this.tokens[this.pos++] as { v: '-' | '+' }).v;
      return this.nest(() => ({ type: 'unary', op, operand: this.unary() }));
    }
    return this.primary();
  }
  private primary(): Expr {
    const t = this.peek();
    this.pos++;
    switch (t.t) {
      case 'int':
        return { type: 'int', value: t.v };
      case 'float':
        return { type: 'float', value: t.v };
      case 'str':
        return { type: 'string', value: t.v };
      case 'var':
        return { type: 'var', path: t.path };
      case 'name':
        return this.name(t);
      case 'op':
        if (t.v === '(') return this.nest(() => this.group());
        if (t.v === '[') return this.nest(() => ({ type: 'list', items: this.items(']') }));
        break;
    }
    throw new ExpressionSyntaxError(`unexpected ${describe(t)} at column ${t.at + 1}`);
  }
  private name(t: { v: string; at: number }): Expr {
    if (t.v === 'True' || t.v === 'False') return { type: 'const', value: t.v === 'True' };
    if (t.v === 'None') return { type: 'const', value: null };
    if (['and', 'or', 'not', 'in'].includes(t.v))
      throw new ExpressionSyntaxError(`unexpected '${t.v}' at column ${t.at + 1}`);
    if (this.isOp('(')) {
      if (!(FUNCTIONS as readonly string[]).includes(t.v))
        throw new ExpressionSyntaxError(`unknown function '${t.v}' (allowed: ${FUNCTIONS.join(', ')})`);
      this.pos++;
      return this.nest(() => ({ type: 'call', fn: t.v, args: this.items(')') }));
    }
    return { type: 'name', name: t.v };
  }
  /** `(expr)` or a tuple `(a, b)`, which behaves as a list (for `in`). */
  private group(): Expr {
    if (this.isOp(')')) {
      this.pos++;
      return { type: 'list', items: [] };
    }
    const first = this.or();
    if (!this.isOp(',')) {
      this.expectOp(')');
      return first;
    }
    this.pos++;
    const rest = this.items(')');
    return { type: 'list', items: [first, ...rest] };
  }
  /** Comma-separated expressions up to `close` (a trailing comma is allowed, as in Python). */
  private items(close: string): Expr[] {
    const items: Expr[] = [];
    while (!this.isOp(close)) {
      items.push(this.or());
      if (!this.isOp(close)) this.expectOp(',');
    }
    this.pos++;
    return items;
  }
}

function describe(t: Token): string {
  switch (t.t) {
    case 'eof':
      return 'end of expression';
    case 'var':
      return `'$${t.path.join('.')}'`;
    case 'str':
      return 'a string';
    case 'op':
    case 'name':
      return `'${t.v}'`;
    default:
      return `'${t.v}'`;
  }
}

/** Parses an expression. Throws ExpressionSyntaxError with a readable reason. */
export function parseExpression(src: string): Expr {
  if (src.length > MAX_LENGTH) throw new ExpressionSyntaxError('expression is too long');
  if (src.trim() === '') throw new ExpressionSyntaxError('empty expression');
  return new Parser(tokenize(src)).parse();
}
