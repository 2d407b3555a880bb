import type { ArithmeticOp, CompareOp, Expr } from './expr-ast.js';
import { floatDivmod, intFloorDiv, intFloorMod } from './python-arith.js';
import { printValue } from './python-str.js';
import { type TemplateValue, truthy, UNSET } from './values.js';

/** Raised while evaluating; `kind` selects the coded error the renderer reports. */
export class EvaluationError extends Error {
  constructor(
    readonly kind: 'UNKNOWN_VARIABLE' | 'EVALUATION',
    message: string,
    readonly variable?: string,
  ) {
    super(message);
  }
}

/** How the evaluator finds names: `$A.b` (parameters, loop variables) and bare names (loop variables). */
export interface NameResolver {
  variable(path: readonly string[]): TemplateValue | undefined;
  bare(name: string): TemplateValue | undefined;
}

const MAX_STRING = 1_000_000;

/**
 * Evaluates an expression with Python's meaning (int/float distinction, `/` always gives a float, `and`/`or`
 * return an operand, chained comparisons), except where unset values are concerned: arithmetic with an
 * unset value gives unset, and an ordering comparison with an unset value is false instead of a TypeError,
 * so that `{$RESO > 2}` on an unset RESO simply drops the line.
 */
export function evaluate(e: Expr, names: NameResolver): TemplateValue {
  switch (e.type) {
    case 'int':
      return { kind: 'int', value: e.value };
    case 'float':
      return { kind: 'float', value: e.value };
    case 'string':
      return { kind: 'string', value: e.value };
    case 'const':
      return e.value === null ? UNSET : { kind: 'bool', value: e.value };
    case 'var': {
      const v = names.variable(e.path);
      if (!v) throw new EvaluationError('UNKNOWN_VARIABLE', `$${e.path.join('.')}`, e.path.join('.'));
      return v;
    }
    case 'name': {
      const v = names.bare(e.name);
      if (!v) throw new EvaluationError('UNKNOWN_VARIABLE', `${e.name} (only loop variables are bare names)`);
      return v;
    }
    case 'list':
      return { kind: 'list', items: e.items.map((i) => evaluate(i, names)) };
    case 'call':
      return call(
        e.fn,
        e.args.map((a) => evaluate(a, names)),
      );
    case 'unary': {
      const v = evaluate(e.operand, names);
      if (e.op === 'not') return { kind: 'bool', value: !truthy(v) };
      if (v.kind === 'unset') return UNSET;
      const n = numeric(v, e.op);
      if (e.op === '+') return n;
      return n.kind === 'int' ? intResult(-n.value) : { kind: 'float', value: -n.value };
    }
    case 'logical': {
      const left = evaluate(e.left, names);
      if (e.op === 'and') return truthy(left) ? evaluate(e.right, names) : left;
      return truthy(left) ? left : evaluate(e.right, names);
    }
    case 'binary':
      return arithmetic(e.op, evaluate(e.left, names), evaluate(e.right, names));
    case 'compare': {
      let left = evaluate(e.first, names);
      for (const { op, right } of e.rest) {
        const r = evaluate(right, names);
        if (!compare(op, left, r)) return { kind: 'bool', value: false };
        left = r;
      }
      return { kind: 'bool', value: true };
    }
  }
}

type Num = { kind: 'int' | 'float'; value: number };

function typeName(v: TemplateValue): string {
  return v.kind === 'unset' ? 'unset' : v.kind;
}

/** Numbers, with booleans counting as 0/1 as in Python. */
function asNumber(v: TemplateValue): Num | undefined {
  if (v.kind === 'int' || v.kind === 'float') return v;
  if (v.kind === 'bool') return { kind: 'int', value: v.value ? 1 : 0 };
  return undefined;
}

function numeric(v: TemplateValue, op: string): Num {
  const n = asNumber(v);
  if (!n) throw new EvaluationError('EVALUATION', `'${op}' needs a number, not ${typeName(v)}`);
  return n;
}

/** Strings for concatenation and comparison: strings themselves and file paths. */
function asString(v: TemplateValue): string | undefined {
  if (v.kind === 'string') return v.value;
  if (v.kind === 'file') return v.path;
  return undefined;
}

function intResult(x: number): TemplateValue {
  if (!Number.isSafeInteger(x)) throw new EvaluationError('EVALUATION', `integer result ${x} is too large`);
  return { kind: 'int', value: x };
}

function arithmetic(op: ArithmeticOp, a: TemplateValue, b: TemplateValue): TemplateValue {
  // `%` on text is Python's printf-style formatting, not arithmetic: refused rather than half-imitated.
  if (op === '%' && (asString(a) !== undefined || asString(b) !== undefined))
    throw new EvaluationError('EVALUATION', "'%' on text (Python's string formatting) is not supported");
  if (a.kind === 'unset' || b.kind === 'unset') return UNSET;
  if (op === '+') {
    const sa = asString(a);
    const sb = asString(b);
    if (sa !== undefined && sb !== undefined) {
      if (sa.length + sb.length > MAX_STRING) throw new EvaluationError('EVALUATION', 'string too long');
      return { kind: 'string', value: sa + sb };
    }
  }
  const x = numeric(a, op);
  const y = numeric(b, op);
  const ints = x.kind === 'int' && y.kind === 'int';
  if (op === '/' || op === '//' || op === '%') {
    if (y.value === 0)
      throw new EvaluationError('EVALUATION', op === '%' ? 'modulo by zero' : 'division by zero');
    if (op === '/') return { kind: 'float', value: x.value / y.value };
    if (ints) return intResult(op === '%' ? intFloorMod(x.value, y.value) : intFloorDiv(x.value, y.value));
    const { div, mod } = floatDivmod(x.value, y.value);
    return { kind: 'float', value: op === '%' ? mod : div };
  }
  const r = op === '+' ? x.value + y.value : op === '-' ? x.value - y.value : x.value * y.value;
  return ints ? intResult(r) : { kind: 'float', value: r };
}

/** Python `==`: numbers (and booleans) by value, strings and paths by text, unset only equals unset. */
export function equal(a: TemplateValue, b: TemplateValue): boolean {
  if (a.kind === 'unset' || b.kind === 'unset') return a.kind === b.kind;
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na && nb) return na.value === nb.value;
  const sa = asString(a);
  const sb = asString(b);
  if (sa !== undefined && sb !== undefined) return sa === sb;
  if (a.kind === 'list' && b.kind === 'list')
    return a.items.length === b.items.length && a.items.every((x, i) => equal(x, b.items[i]));
  return false;
}

function compare(op: CompareOp, a: TemplateValue, b: TemplateValue): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
  }
  if (a.kind === 'unset' || b.kind === 'unset') return false;
  const na = asNumber(a);
  const nb = asNumber(b);
  let c: number;
  if (na && nb) c = na.value - nb.value;
  else {
    const sa = asString(a);
    const sb = asString(b);
    if (sa === undefined || sb === undefined)
      throw new EvaluationError('EVALUATION', `cannot order ${typeName(a)} and ${typeName(b)} with '${op}'`);
    c = sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function contains(container: TemplateValue, item: TemplateValue): boolean {
  if (container.kind === 'unset') return false;
  if (container.kind === 'list') return container.items.some((x) => equal(x, item));
  const s = asString(container);
  const needle = asString(item);
  if (s !== undefined && needle !== undefined) return s.includes(needle);
  throw new EvaluationError('EVALUATION', `'in' needs a list or a string, not ${typeName(container)}`);
}

function call(fn: string, args: TemplateValue[]): TemplateValue {
  const one = (): TemplateValue => {
    if (args.length !== 1) throw new EvaluationError('EVALUATION', `${fn}() takes exactly one argument`);
    return args[0];
  };
  switch (fn) {
    case 'len': {
      const v = one();
      if (v.kind === 'list') return { kind: 'int', value: v.items.length };
      const s = asString(v);
      if (s !== undefined) return { kind: 'int', value: [...s].length };
      if (v.kind === 'unset') return { kind: 'int', value: 0 };
      throw new EvaluationError('EVALUATION', `len() of ${typeName(v)}`);
    }
    case 'str': {
      const v = one();
      const s = printValue(v);
      if (s === undefined) throw new EvaluationError('EVALUATION', `str() of ${typeName(v)}`);
      return { kind: 'string', value: s };
    }
    case 'int':
    case 'float': {
      const v = one();
      if (v.kind === 'unset') return UNSET;
      let n = asNumber(v)?.value;
      const s = asString(v)?.trim();
      if (n === undefined && s !== undefined && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
        if (fn === 'int' && !/^[+-]?\d+$/.test(s))
          throw new EvaluationError('EVALUATION', `int() of non-integer text '${s}'`);
        n = Number(s);
      }
      if (n === undefined || !Number.isFinite(n))
        throw new EvaluationError('EVALUATION', `${fn}() of ${typeName(v)}`);
      return fn === 'int' ? intResult(Math.trunc(n)) : { kind: 'float', value: n };
    }
    case 'abs': {
      const v = one();
      if (v.kind === 'unset') return UNSET;
      const n = numeric(v, 'abs()');
      return { kind: n.kind, value: Math.abs(n.value) };
    }
    default: {
      // min / max over arguments or over a single list argument.
      const items = args.length === 1 && args[0].kind === 'list' ? args[0].items : args;
      if (items.length === 0) throw new EvaluationError('EVALUATION', `${fn}() of nothing`);
      let best = items[0];
      for (const v of items.slice(1)) {
        const better = fn === 'min' ? compare('<', v, best) : compare('>', v, best);
        if (better) best = v;
      }
      return best;
    }
  }
}
