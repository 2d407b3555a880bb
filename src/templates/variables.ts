import type { Piece, TemplateNode } from './ast.js';
import type { Expr } from './expr-ast.js';
import type { ParsedTemplate } from './parser.js';

/**
 * Every `$NAME.a.b` a template refers to (substitutions, guards, expressions, CASE and LABELLINE values),
 * whether or not a render would reach it, minus loop variables where they are in scope. Lets a wrapper's
 * test check once that all names exist in its def file (`AT` files are not followed).
 */
export function templateVariables(template: ParsedTemplate): string[][] {
  const found = new Map<string, string[]>();
  const loops: string[] = [];
  const add = (path: string[]) => {
    if (path.length === 1 && loops.includes(path[0])) return;
    found.set(path.join('.'), path);
  };
  const expr = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.type) {
      case 'var':
        add(e.path);
        break;
      case 'list':
        e.items.forEach(expr);
        break;
      case 'call':
        e.args.forEach(expr);
        break;
      case 'unary':
        expr(e.operand);
        break;
      case 'binary':
      case 'logical':
        expr(e.left);
        expr(e.right);
        break;
      case 'compare':
        expr(e.first);
        for (const r of e.rest) expr(r.right);
        break;
    }
  };
  const pieces = (ps: Piece[] | undefined) => {
    for (const p of ps ?? []) {
      if (p.kind === 'var') add(p.path);
      else if (p.kind === 'expr') expr(p.expr);
    }
  };
  const nodes = (ns: TemplateNode[]): void => {
    for (const n of ns) {
      switch (n.type) {
        case 'line':
          if (n.guard.kind === 'expr') expr(n.guard.expr);
          pieces(n.text);
          pieces(n.alt);
          nodes(n.children);
          break;
        case 'if':
          expr(n.cond);
          nodes(n.body);
          nodes(n.elseBody ?? []);
          break;
        case 'loop':
          expr(n.start);
          expr(n.end);
          expr(n.step);
          loops.push(n.variable);
          nodes(n.body);
          loops.pop();
          break;
        case 'case':
          pieces(n.subject);
          for (const b of n.branches) {
            pieces(b.match);
            nodes(b.body);
          }
          break;
        case 'labelline':
          for (const p of n.pairs) add(p.value.path);
          break;
        case 'at':
          break;
      }
    }
  };
  nodes(template.nodes);
  return [...found.values()];
}
