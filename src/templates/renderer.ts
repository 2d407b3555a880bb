import { CErrorReport } from '../report/index.js';
import type {
  AtNode,
  CaseNode,
  IfNode,
  LabelLineNode,
  LineNode,
  LoopNode,
  Piece,
  TemplateNode,
} from './ast.js';
import { reportTemplateError, type TemplateErrorKind } from './errors.js';
import { EvaluationError, evaluate, type NameResolver } from './evaluate.js';
import type { Expr } from './expr-ast.js';
import { canonical, expandEnv, readTemplateFile, resolveInclude } from './include.js';
import { keywordLine } from './keyword-line.js';
import { lineText, type RenderedLine, type Segment, toArgv } from './output.js';
import { type ParsedTemplate, parseTemplate } from './parser.js';
import { printValue } from './python-str.js';
import { type TemplateScope, type TemplateValue, truthy } from './values.js';

export interface RenderOptions {
  /** File the template came from: relative AT paths start from its folder; errors name it. */
  file?: string;
  /** Folder for relative AT paths when the template has no file (default: the current directory). */
  baseDir?: string;
  /** Environment for AT paths (default process.env). */
  env?: Record<string, string | undefined>;
  /** Most iterations one LOOP may run (default 10 000). */
  maxLoopIterations?: number;
  /** Most LOOP iterations of a whole render, nested loops included (default 1 000 000). */
  maxTotalIterations?: number;
  /** Most lines a render may produce (default 100 000). */
  maxLines?: number;
  /** Deepest AT nesting (default 16). */
  maxIncludeDepth?: number;
  /**
   * Warn (211) for each unset value substituted into output text, naming the parameter. Off by default:
   * legacy templates print unset values as nothing on purpose (`1 HKLIN $HKLIN`); tools that show a render
   * to a person (`ccp4i2 template render`) turn it on.
   */
  warnUnset?: boolean;
  /**
   * What the render is for. 'script' (the default, COMTEMPLATE) writes each value so that CCP4's keyword
   * parser reads it as one token (quoted when it holds a space, comma or =) and refuses (212) a value that
   * would read as a comment, a continuation or an `@file`; 'argv' (COMLINETEMPLATE) passes values as whole
   * arguments, where none of that applies. Both outputs are always returned.
   */
  target?: 'script' | 'argv';
}

export interface RenderResult {
  /** COMTEMPLATE output: the stdin script, each line ending in `\n`. */
  script: string;
  /** COMLINETEMPLATE output: one argument per word, a substituted value always one argument. */
  argv: string[];
  /** The script's lines without their `\n`. */
  lines: string[];
  /** Parse and render errors and warnings (class CComTemplate), in the order found. */
  errors: CErrorReport;
  /** True when no error (warnings allowed) was found. */
  ok: boolean;
}

/** Any C0/C1 control character, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Stops a render that hit a limit (already reported). */
class RenderLimit extends Error {}

/**
 * Renders a template against a scope. Nothing in a parameter value is ever interpreted: values are printed
 * into the output as they are, after the template text has been parsed, so `{2*3}` or `$X` inside a value
 * stays text, and a value with a control character is refused (it could start a new keyword line).
 */
export function renderTemplate(
  template: string | ParsedTemplate,
  scope: TemplateScope,
  options: RenderOptions = {},
): RenderResult {
  const parsed = typeof template === 'string' ? parseTemplate(template, options.file) : template;
  const r = new Renderer(scope, options, parsed.file ?? options.file);
  r.errors.extend(parsed.errors);
  r.run(parsed.nodes);
  const lines = r.scriptLines;
  return {
    script: lines.map((l) => `${l}\n`).join(''),
    argv: toArgv(r.lines),
    lines,
    errors: r.errors,
    ok: !r.errors.hasErrors(),
  };
}

class Renderer {
  readonly lines: RenderedLine[] = [];
  /** The script's text of each line: values quoted for the keyword parser when the target is 'script'. */
  readonly scriptLines: string[] = [];
  readonly errors = new CErrorReport();
  private readonly loopVars: Array<{ name: string; value: TemplateValue }> = [];
  private readonly includeStack: string[] = [];
  private readonly includeCache = new Map<string, ParsedTemplate>();
  private readonly names: NameResolver;
  private readonly maxLoop: number;
  private readonly maxLines: number;
  private readonly maxDepth: number;
  private readonly maxTotal: number;
  private iterations = 0;

  constructor(
    private readonly scope: TemplateScope,
    private readonly options: RenderOptions,
    private file: string | undefined,
  ) {
    this.maxLoop = options.maxLoopIterations ?? 10_000;
    this.maxLines = options.maxLines ?? 100_000;
    this.maxDepth = options.maxIncludeDepth ?? 16;
    this.maxTotal = options.maxTotalIterations ?? 1_000_000;
    if (file) this.includeStack.push(canonical(file));
    this.names = {
      variable: (path) => this.variable(path),
      bare: (name) => this.loopVar(name),
    };
  }

  run(nodes: TemplateNode[]): void {
    try {
      this.nodes(nodes);
    } catch (e) {
      if (!(e instanceof RenderLimit)) throw e;
    }
  }

  private error(kind: TemplateErrorKind, details: string, line: number, objectPath?: string): void {
    reportTemplateError(this.errors, kind, details, { file: this.file, line, objectPath });
  }

  private loopVar(name: string): TemplateValue | undefined {
    for (let i = this.loopVars.length - 1; i >= 0; i--)
      if (this.loopVars[i].name === name) return this.loopVars[i].value;
    return undefined;
  }

  /** `$A.b`: a loop variable (which has no fields) shadows a parameter of the same name. */
  private variable(path: readonly string[]): TemplateValue | undefined {
    const loop = this.loopVar(path[0]);
    if (loop) return path.length === 1 ? loop : undefined;
    return this.scope.lookup(path);
  }

  private nodes(nodes: TemplateNode[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'line':
          this.line(node);
          break;
        case 'if':
          this.ifBlock(node);
          break;
        case 'loop':
          this.loop(node);
          break;
        case 'case':
          this.caseBlock(node);
          break;
        case 'at':
          this.at(node);
          break;
        case 'labelline':
          this.labelLine(node);
          break;
      }
    }
  }

  private emit(line: RenderedLine, lineNo: number): void {
    if (this.lines.length >= this.maxLines) {
      this.error('OUTPUT_TOO_LARGE', `more than ${this.maxLines} lines`, 0);
      throw new RenderLimit();
    }
    let text = lineText(line);
    if (this.options.target !== 'argv') {
      const k = keywordLine(line);
      if (!k.ok) {
        const v = k.segment;
        this.error('KEYWORD_VALUE', `${v.shown ?? 'value'} = '${v.text}': ${k.reason}`, lineNo, v.objectPath);
        return;
      }
      text = k.text;
    }
    this.lines.push(line);
    this.scriptLines.push(text);
  }

  /** Evaluates an expression, reporting failures; undefined when it failed. */
  private evalExpr(expr: Expr, line: number, shown: string): TemplateValue | undefined {
    try {
      return evaluate(expr, this.names);
    } catch (e) {
      if (!(e instanceof EvaluationError)) throw e;
      this.error(
        e.kind,
        e.kind === 'UNKNOWN_VARIABLE' ? e.message : `${shown}: ${e.message}`,
        line,
        e.variable,
      );
      return undefined;
    }
  }

  /** A value's text, checked for control characters; undefined (after reporting) when unusable. */
  private text(v: TemplateValue, line: number, shown: string, objectPath?: string): string | undefined {
    if (v.kind === 'file' && v.unresolved !== undefined) {
      this.error('UNRESOLVED_FILE', `${shown}: ${v.unresolved}`, line, objectPath);
      return undefined;
    }
    const s = printValue(v);
    if (s === undefined) {
      this.error('NOT_PRINTABLE', `${shown} is a ${v.kind}`, line, objectPath);
      return undefined;
    }
    const bad = CONTROL.exec(s);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).padStart(4, '0');
      this.error('CONTROL_CHARACTER', `${shown} contains U+${code.toUpperCase()}`, line, objectPath);
      return undefined;
    }
    return s;
  }

  private pieces(pieces: Piece[], line: number): Segment[] | undefined {
    const out: Segment[] = [];
    for (const p of pieces) {
      if (p.kind === 'text') {
        out.push({ text: p.text, value: false });
        continue;
      }
      let v: TemplateValue | undefined;
      let name: string | undefined;
      if (p.kind === 'var') {
        name = p.path.join('.');
        v = this.variable(p.path);
        if (!v) {
          this.error('UNKNOWN_VARIABLE', `$${name}`, line, name);
          return undefined;
        }
      } else v = this.evalExpr(p.expr, line, p.raw);
      if (!v) return undefined;
      const s = this.text(v, line, p.raw, v.objectPath ?? name);
      if (s === undefined) return undefined;
      if (this.options.warnUnset && isUnset(v))
        this.error('UNSET_VALUE', `${p.raw} is unset`, line, v.objectPath ?? name);
      const quoted = p.kind === 'var' && p.quote;
      out.push({
        text: quoted ? `"${s}"` : s,
        value: true,
        shown: p.raw,
        objectPath: v.objectPath ?? name,
        quoted,
      });
    }
    return out;
  }

  private guard(node: LineNode): boolean | undefined {
    const g = node.guard;
    if (g.kind === 'const') return g.value;
    const v = this.evalExpr(g.expr, node.line, g.raw);
    return v && truthy(v);
  }

  private line(node: LineNode): void {
    const ok = this.guard(node);
    if (ok === undefined) return;
    const pieces = ok ? node.text : node.alt;
    if (pieces) {
      const segs = this.pieces(pieces, node.line);
      if (!segs) return;
      // A line that renders to nothing (`1 $X` with X unset) is left out, as legacy did.
      if (lineText(segs).trim() !== '') {
        if (node.depth > 0) segs.unshift({ text: '  - ', value: false });
        this.emit(segs, node.line);
      }
    }
    if (ok) for (const child of node.children) this.line(child);
  }

  private ifBlock(node: IfNode): void {
    if (!node.cond) return;
    const v = this.evalExpr(node.cond, node.line, 'IF condition');
    if (!v) return;
    if (truthy(v)) this.nodes(node.body);
    else if (node.elseBody) this.nodes(node.elseBody);
  }

  /** A LOOP bound as legacy reads it: Python's `int()` of the value, so a CFloat 2.7 is 2 and -2.7 is -2. */
  private integer(expr: Expr | undefined, fallback: number, line: number, what: string): number | undefined {
    if (!expr) return fallback;
    const v = this.evalExpr(expr, line, `LOOP ${what}`);
    if (!v) return undefined;
    const n = pythonInt(v);
    if (n !== undefined) return n;
    this.error('LOOP_BOUND', `${what} is ${printValue(v) || v.kind} (${v.kind}), not an integer`, line);
    return undefined;
  }

  private loop(node: LoopNode): void {
    if (node.invalid) return;
    const start = this.integer(node.start, 0, node.line, 'start');
    const end = this.integer(node.end, 0, node.line, 'end');
    const step = this.integer(node.step, 1, node.line, 'step');
    if (start === undefined || end === undefined || step === undefined) return;
    if (step === 0) {
      this.error('ZERO_STEP', `LOOP ${node.variable} would never end`, node.line);
      return;
    }
    const count = Math.max(0, Math.floor((end - start) / step) + 1);
    if (count > this.maxLoop) {
      this.error('LOOP_TOO_LONG', `${count} iterations (at most ${this.maxLoop})`, node.line);
      return;
    }
    const frame = { name: node.variable, value: { kind: 'int', value: start } as TemplateValue };
    this.loopVars.push(frame);
    try {
      for (let i = 0; i < count; i++) {
        // Nested loops multiply: a budget for the whole render keeps any template finite and quick.
        if (++this.iterations > this.maxTotal) {
          this.error('LOOP_TOO_LONG', `more than ${this.maxTotal} loop iterations in this render`, node.line);
          throw new RenderLimit();
        }
        frame.value = { kind: 'int', value: start + i * step };
        this.nodes(node.body);
      }
    } finally {
      this.loopVars.pop();
    }
  }

  private caseBlock(node: CaseNode): void {
    if (!node.subject) return;
    const subject = this.pieces(node.subject, node.line);
    if (!subject) return;
    const value = lineText(subject);
    for (const branch of node.branches) {
      const m = this.pieces(branch.match, branch.line);
      // Both sides as text, as legacy compared them: a CFloat 2 is '2.0' and does not match CASEMATCH 2.
      if (m && lineText(m) === value) {
        this.nodes(branch.body);
        return;
      }
    }
  }

  private at(node: AtNode): void {
    const expanded = expandEnv(node.path, this.options.env ?? process.env);
    if ('missingVariable' in expanded) {
      this.error('UNKNOWN_ENV', `$${expanded.missingVariable} in '${node.path}'`, node.line);
      return;
    }
    const path = resolveInclude(expanded.path, this.file, this.options.baseDir);
    const id = canonical(path);
    if (this.includeStack.includes(id)) {
      this.error('INCLUDE_CYCLE', [...this.includeStack, id].join(' -> '), node.line);
      return;
    }
    if (this.includeStack.length > this.maxDepth) {
      this.error('INCLUDE_TOO_DEEP', `more than ${this.maxDepth} levels at ${path}`, node.line);
      return;
    }
    let parsed = this.includeCache.get(id);
    if (!parsed) {
      const read = readTemplateFile(path);
      if ('problem' in read) {
        this.error(
          read.problem === 'missing' ? 'MISSING_INCLUDE' : 'UNREADABLE_INCLUDE',
          read.reason,
          node.line,
        );
        return;
      }
      parsed = parseTemplate(read.text, path);
      this.includeCache.set(id, parsed);
      this.errors.extend(parsed.errors);
    }
    const saved = this.file;
    this.includeStack.push(id);
    this.file = path;
    try {
      this.nodes(parsed.nodes);
    } finally {
      this.file = saved;
      this.includeStack.pop();
    }
  }

  private labelLine(node: LabelLineNode): void {
    const segs: Segment[] = [{ text: 'LABIN', value: false }];
    let any = false;
    for (const pair of node.pairs) {
      const name = pair.value.path.join('.');
      const v = this.variable(pair.value.path);
      if (!v) {
        this.error('UNKNOWN_VARIABLE', `$${name}`, pair.line, name);
        return;
      }
      if (v.kind === 'unset' || (v.kind === 'file' && !v.path && v.unresolved === undefined)) {
        this.error('LABELLINE_UNSET', `${pair.label} ($${name})`, pair.line, v.objectPath ?? name);
        break;
      }
      const s = this.text(v, pair.line, pair.value.raw, v.objectPath ?? name);
      if (s === undefined) return;
      segs.push(
        { text: ` ${pair.label}=`, value: false },
        { text: s, value: true, shown: pair.value.raw, objectPath: v.objectPath ?? name },
      );
      any = true;
    }
    if (any) this.emit(segs, node.line);
  }
}

function isUnset(v: TemplateValue): boolean {
  return v.kind === 'unset' || (v.kind === 'file' && v.path === '' && v.unresolved === undefined);
}

/** Python's `int()` of a value, or undefined where Python raises (unset, non-integer text, inf, nan). */
function pythonInt(v: TemplateValue): number | undefined {
  let n: number | undefined;
  if (v.kind === 'int' || v.kind === 'float') n = v.value;
  else if (v.kind === 'bool') n = v.value ? 1 : 0;
  else if (v.kind === 'string' && /^\s*[+-]?\d+\s*$/.test(v.value)) n = Number(v.value);
  if (n === undefined || !Number.isFinite(n)) return undefined;
  const t = Math.trunc(n) + 0; // + 0 turns -0 into 0
  return Number.isSafeInteger(t) ? t : undefined;
}
