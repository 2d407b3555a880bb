import { CErrorReport } from '../report/index.js';
import type {
  CaseNode,
  Guard,
  IfNode,
  LabelLineNode,
  LineNode,
  LoopNode,
  Piece,
  TemplateNode,
} from './ast.js';
import { reportTemplateError, type TemplateErrorKind } from './errors.js';
import type { Expr } from './expr-ast.js';
import { ExpressionSyntaxError, parseExpression } from './expr-parser.js';
import { findClosingBrace, parsePieces, splitAlternative } from './line-text.js';

/** A parsed template: its nodes, the errors found in its text, and the file it came from (for AT paths). */
export interface ParsedTemplate {
  nodes: TemplateNode[];
  errors: CErrorReport;
  file?: string;
}

type Frame =
  | { kind: 'root'; body: TemplateNode[]; chain: LineNode[]; label?: LabelLineNode }
  | { kind: 'if'; node: IfNode; body: TemplateNode[]; chain: LineNode[]; label?: LabelLineNode }
  | { kind: 'loop'; node: LoopNode; body: TemplateNode[]; chain: LineNode[]; label?: LabelLineNode }
  | { kind: 'case'; node: CaseNode; body: TemplateNode[] | null; chain: LineNode[]; label?: LabelLineNode };

const KEYWORD = /^(IF|ELSE|ENDIF|LOOP|ENDLOOP|CASE|CASEMATCH|ENDCASE|AT|LABELLINE)(?=$|\s|(?<=IF)\{)/;
const NUMBER_GUARD = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const VAR_GUARD = /^\$[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$/;
const LOOP_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const END_OF: Record<'if' | 'loop' | 'case', string> = { if: 'ENDIF', loop: 'ENDLOOP', case: 'ENDCASE' };
/** Deepest block nesting and continuation depth: rendering recurses, so deeper text could overflow the stack. */
export const MAX_NESTING = 100;

/**
 * Parses template text into a tree. Lines are trimmed; blank lines and `#` lines are dropped; line numbers
 * (1-based, counting every line of the text) are kept for errors. Errors are collected, not thrown: a
 * malformed line is left out, a stray end is ignored, and an unterminated block is closed at the end.
 */
export function parseTemplate(text: string, file?: string): ParsedTemplate {
  return new TemplateParser(file).parse(text);
}

class TemplateParser {
  private readonly errors = new CErrorReport();
  private readonly stack: Frame[];
  private readonly root: TemplateNode[] = [];
  private line = 0;

  constructor(private readonly file?: string) {
    this.stack = [{ kind: 'root', body: this.root, chain: [] }];
  }

  parse(text: string): ParsedTemplate {
    const lines = text.split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length; i++) {
      this.line = i + 1;
      const line = lines[i].trim();
      if (line === '' || line.startsWith('#')) continue;
      this.statement(line);
    }
    for (let i = this.stack.length - 1; i > 0; i--) {
      const f = this.stack[i] as Exclude<Frame, { kind: 'root' }>;
      this.error(
        'UNTERMINATED_BLOCK',
        `${f.kind.toUpperCase()} opened here has no ${END_OF[f.kind]}`,
        f.node.line,
      );
    }
    return { nodes: this.root, errors: this.errors, file: this.file };
  }

  private error(kind: TemplateErrorKind, details: string, line = this.line): void {
    reportTemplateError(this.errors, kind, details, { file: this.file, line });
  }

  private get top(): Frame {
    return this.stack[this.stack.length - 1];
  }

  /** Adds a node to the current body; a block or keyword line ends any continuation chain. */
  private add(node: TemplateNode): void {
    const f = this.top;
    f.chain = node.type === 'line' ? [node] : [];
    f.label = node.type === 'labelline' ? node : undefined;
    if (f.body) f.body.push(node);
    else if (f.kind === 'case')
      this.error('BEFORE_CASEMATCH', `CASE at line ${f.node.line} has no CASEMATCH above it`);
  }

  private statement(line: string): void {
    if (line.startsWith('-')) {
      this.continuation(line);
      return;
    }
    const m = KEYWORD.exec(line);
    if (!m) {
      const node = this.guardedLine(line, 0);
      if (node) this.add(node);
      else {
        // Its continuation lines go with it (see continuation()).
        this.top.chain = [detached()];
        this.top.label = undefined;
      }
      return;
    }
    const rest = line.slice(m[1].length).trim();
    switch (m[1]) {
      case 'IF':
        this.openIf(rest);
        break;
      case 'ELSE':
        this.elseLine(rest);
        break;
      case 'LOOP':
        this.openLoop(rest);
        break;
      case 'CASE':
        this.openCase(rest);
        break;
      case 'CASEMATCH':
        this.caseMatch(rest);
        break;
      case 'ENDIF':
        this.close('if', rest);
        break;
      case 'ENDLOOP':
        this.close('loop', rest);
        break;
      case 'ENDCASE':
        this.close('case', rest);
        break;
      case 'AT':
        if (rest) this.add({ type: 'at', line: this.line, path: rest });
        else this.error('BAD_STATEMENT', 'AT needs a file path');
        break;
      case 'LABELLINE':
        this.add({ type: 'labelline', line: this.line, pairs: this.labelPairs(rest) });
        break;
    }
  }

  private continuation(line: string): void {
    const depth = /^-+/.exec(line)![0].length;
    const rest = line.slice(depth).trim();
    const f = this.top;
    if (f.label && depth === 1) {
      f.label.pairs.push(...this.labelPairs(rest));
      return;
    }
    if (depth > MAX_NESTING) {
      this.error('TOO_DEEP', `continuation deeper than ${MAX_NESTING} levels`);
      return;
    }
    const parent = f.chain[depth - 1];
    if (!parent) {
      const what = depth === 1 ? 'no line above it' : `no '${'-'.repeat(depth - 1)}' line above it`;
      this.error('ORPHAN_CONTINUATION', `'${line}' has ${what}`);
      return;
    }
    const node = this.guardedLine(rest, depth);
    f.chain.length = depth;
    if (node) parent.children.push(node);
    // A malformed line (already reported) still takes its place, so that its own continuation lines are
    // dropped with it instead of each being reported as an orphan.
    f.chain.push(node ?? detached());
  }

  /** `GUARD TEXT [| ALT]`; undefined (after reporting) when the line is malformed. */
  private guardedLine(line: string, depth: number): LineNode | undefined {
    let guard: Guard;
    let rest: string;
    if (line.startsWith('{')) {
      const close = findClosingBrace(line, 0);
      if (close < 0) return void this.error('BAD_EXPRESSION', `guard '${line}' has no matching '}'`);
      const raw = line.slice(0, close + 1);
      const expr = this.expression(raw.slice(1, -1), raw);
      if (!expr) return undefined;
      guard = { kind: 'expr', expr, raw };
      rest = line.slice(close + 1).trim();
    } else {
      const word = /^\S*/.exec(line)![0];
      if (!word) return void this.error('BAD_GUARD', 'continuation line has nothing after its dashes');
      rest = line.slice(word.length).trim();
      if (NUMBER_GUARD.test(word)) guard = { kind: 'const', value: Number(word) !== 0 };
      else if (VAR_GUARD.test(word)) guard = { kind: 'expr', expr: parseExpression(word), raw: word };
      else
        return void this.error(
          'BAD_GUARD',
          `'${word}' (a line starts with 1, 0, $NAME or {expression}, then the text to output)`,
        );
    }
    const alternative = splitAlternative(rest);
    const text = this.pieces(alternative ? alternative[0] : rest);
    const alt = alternative ? this.pieces(alternative[1]) : undefined;
    if (!text || (alternative && !alt)) return undefined;
    return { type: 'line', line: this.line, depth, guard, text, alt, children: [] };
  }

  private pieces(text: string): Piece[] | undefined {
    try {
      return parsePieces(text);
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      this.error('BAD_EXPRESSION', e.message);
      return undefined;
    }
  }

  private expression(src: string, shown = src): Expr | undefined {
    try {
      return parseExpression(src);
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      this.error('BAD_EXPRESSION', `${shown}: ${e.message}`);
      return undefined;
    }
  }

  /** Whole `{...}` words are unwrapped, so `IF {$A > 1}` and `IF $A > 1` mean the same. */
  private unwrap(src: string): string {
    return src.startsWith('{') && findClosingBrace(src, 0) === src.length - 1 ? src.slice(1, -1) : src;
  }

  private push(frame: Exclude<Frame, { kind: 'root' }>): void {
    if (this.stack.length > MAX_NESTING) {
      // Still parsed, so that its end matches, but never attached: it renders nothing.
      if (this.stack.length === MAX_NESTING + 1)
        this.error('TOO_DEEP', `more than ${MAX_NESTING} nested blocks; this block is left out`);
      this.top.chain = [];
      this.top.label = undefined;
    } else this.add(frame.node);
    this.stack.push(frame);
  }

  private openIf(rest: string): void {
    const node: IfNode = { type: 'if', line: this.line, body: [] };
    if (!rest) this.error('BAD_STATEMENT', 'IF needs a condition');
    else node.cond = this.expression(this.unwrap(rest), rest);
    this.push({ kind: 'if', node, body: node.body, chain: [] });
  }

  private elseLine(rest: string): void {
    if (rest) this.error('BAD_STATEMENT', `unexpected text after ELSE: '${rest}'`);
    const f = this.top;
    if (f.kind !== 'if') {
      this.error('STRAY_ELSE', 'ELSE is not inside an IF block');
      return;
    }
    if (f.node.elseBody) {
      this.error('STRAY_ELSE', `IF at line ${f.node.line} already has an ELSE`);
      return;
    }
    f.node.elseBody = [];
    f.body = f.node.elseBody;
    f.chain = [];
    f.label = undefined;
  }

  private openLoop(rest: string): void {
    const words = splitWords(rest);
    const node: LoopNode = {
      type: 'loop',
      line: this.line,
      variable: words[0] ?? '',
      start: { type: 'int', value: 0 },
      end: { type: 'int', value: -1 },
      body: [],
    };
    if (words.length < 3 || words.length > 4) {
      node.invalid = true;
      this.error('BAD_LOOP', `'LOOP ${rest}' has ${words.length} arguments (LOOP VAR START END [STEP])`);
    } else if (!LOOP_VAR.test(words[0])) {
      node.invalid = true;
      this.error('BAD_LOOP', `loop variable '${words[0]}' must be a plain name (no '$')`);
    } else {
      const [start, end, step] = words.slice(1).map((w) => this.expression(this.unwrap(w), w));
      if (!start || !end || (words.length === 4 && !step)) node.invalid = true;
      else Object.assign(node, { start, end, step });
    }
    this.push({ kind: 'loop', node, body: node.body, chain: [] });
  }

  private openCase(rest: string): void {
    const node: CaseNode = { type: 'case', line: this.line, branches: [] };
    if (!rest) this.error('BAD_STATEMENT', 'CASE needs a value, e.g. CASE $MODE');
    else node.subject = this.pieces(rest);
    this.push({ kind: 'case', node, body: null, chain: [] });
  }

  private caseMatch(rest: string): void {
    const f = this.top;
    if (f.kind !== 'case') {
      this.error('STRAY_CASEMATCH', `CASEMATCH ${rest}`);
      return;
    }
    const branch = { line: this.line, match: this.pieces(rest) ?? [], body: [] as TemplateNode[] };
    f.node.branches.push(branch);
    f.body = branch.body;
    f.chain = [];
    f.label = undefined;
  }

  private close(kind: 'if' | 'loop' | 'case', rest: string): void {
    const word = END_OF[kind];
    if (rest) this.error('BAD_STATEMENT', `unexpected text after ${word}: '${rest}'`);
    let i = this.stack.length - 1;
    while (i > 0 && this.stack[i].kind !== kind) i--;
    if (i === 0) {
      const stray = { if: 'STRAY_ENDIF', loop: 'STRAY_ENDLOOP', case: 'STRAY_ENDCASE' } as const;
      this.error(stray[kind], `${word} has no open ${kind.toUpperCase()}`);
      return;
    }
    while (this.stack.length - 1 > i) {
      const f = this.stack.pop() as Exclude<Frame, { kind: 'root' }>;
      this.error(
        'UNTERMINATED_BLOCK',
        `${f.kind.toUpperCase()} at line ${f.node.line} closed by ${word}`,
        f.node.line,
      );
    }
    this.stack.pop();
    this.top.chain = [];
    this.top.label = undefined;
  }

  private labelPairs(rest: string): LabelLineNode['pairs'] {
    const words = rest.split(/\s+/).filter(Boolean);
    const pairs: LabelLineNode['pairs'] = [];
    if (words.length % 2 !== 0) {
      this.error('BAD_LABELLINE', `odd number of words in '${rest}'`);
      return pairs;
    }
    for (let i = 0; i < words.length; i += 2) {
      const [label, value] = [words[i], words[i + 1]];
      const pieces = label.startsWith('$') ? undefined : this.pieces(value);
      const piece = pieces?.length === 1 ? pieces[0] : undefined;
      if (piece?.kind !== 'var' || piece.quote) {
        this.error('BAD_LABELLINE', `'${label} ${value}' is not LABEL $VALUE`);
        continue;
      }
      pairs.push({ label, value: piece, line: this.line });
    }
    return pairs;
  }
}

function detached(): LineNode {
  return { type: 'line', line: 0, depth: 0, guard: { kind: 'const', value: false }, text: [], children: [] };
}

/** Whitespace-separated words, keeping each `{...}` group whole (`LOOP N 1 {$M - 1}`). */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j])) {
      if (text[j] === '{') {
        const close = findClosingBrace(text, j);
        j = close < 0 ? text.length : close + 1;
      } else j++;
    }
    words.push(text.slice(i, j));
    i = j;
  }
  return words;
}
