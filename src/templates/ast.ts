import type { Expr } from './expr-ast.js';

/** A piece of line text: literal text, a `$NAME.a[.quote]` substitution or a `{expr}` fragment. */
export type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'var'; path: string[]; quote: boolean; raw: string }
  | { kind: 'expr'; expr: Expr; raw: string };

export type Guard = { kind: 'const'; value: boolean } | { kind: 'expr'; expr: Expr; raw: string };

/** An output line with its guard, optional `| alternative`, and `-` continuation children. */
export interface LineNode {
  type: 'line';
  line: number;
  depth: number;
  guard: Guard;
  text: Piece[];
  alt?: Piece[];
  children: LineNode[];
}

export interface IfNode {
  type: 'if';
  line: number;
  /** Undefined when the condition did not parse: the block is kept for structure but renders nothing. */
  cond?: Expr;
  body: TemplateNode[];
  elseBody?: TemplateNode[];
}

export interface LoopNode {
  type: 'loop';
  line: number;
  /** Set when the LOOP line was malformed: the block renders nothing. */
  invalid?: boolean;
  variable: string;
  start: Expr;
  end: Expr;
  step?: Expr;
  body: TemplateNode[];
}

export interface CaseNode {
  type: 'case';
  line: number;
  /** Undefined when the CASE line was malformed: the block renders nothing. */
  subject?: Piece[];
  branches: Array<{ line: number; match: Piece[]; body: TemplateNode[] }>;
}

export interface AtNode {
  type: 'at';
  line: number;
  path: string;
}

export interface LabelLineNode {
  type: 'labelline';
  line: number;
  pairs: Array<{ label: string; value: Extract<Piece, { kind: 'var' }>; line: number }>;
}

export type TemplateNode = LineNode | IfNode | LoopNode | CaseNode | AtNode | LabelLineNode;
