/** Expression tree of the template language's small, Python-like expression syntax. */
export type Expr =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'const'; value: boolean | null }
  /** `$NAME.a.b` (parameter or loop variable with dotted fields). */
  | { type: 'var'; path: string[] }
  /** A bare name: a loop variable. */
  | { type: 'name'; name: string }
  | { type: 'list'; items: Expr[] }
  | { type: 'call'; fn: string; args: Expr[] }
  | { type: 'unary'; op: '-' | '+' | 'not'; operand: Expr }
  | { type: 'binary'; op: ArithmeticOp; left: Expr; right: Expr }
  | { type: 'logical'; op: 'and' | 'or'; left: Expr; right: Expr }
  /** Python chained comparison: `a < b <= c` means `a < b and b <= c`. */
  | { type: 'compare'; first: Expr; rest: Array<{ op: CompareOp; right: Expr }> };

/** Python's arithmetic operators; `%` and `//` floor as Python's do (the result takes the divisor's sign). */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '//' | '%';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

/** Functions an expression may call (nothing else is callable). */
export const FUNCTIONS = ['len', 'int', 'float', 'str', 'abs', 'min', 'max'] as const;
