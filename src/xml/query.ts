import { Ccp4Error } from '../errors/ccp4-error.js';
import { localName, type XmlElement } from './element.js';

/**
 * A small path language over parsed XML (a program's program.xml / XMLOUT), a subset of XPath:
 *
 * - `A/B/C`: children named C of children B of children A of the element queried (names match the local
 *   name, so `ccp4:X` matches `X`); a leading `/A` must name the element queried itself.
 * - `//C` or `A//C`: C at any depth below; `*`: any name; `..` is not supported.
 * - predicates: `[2]` (the second of the step's matches under each parent, 1-based), `[last()]`, `[@id]`,
 *   `[@id='x']`, `[Name='text']` (a child's trimmed text).
 * - last step `@attr` or `text()`: values instead of elements (`xmlValues`).
 *
 * A path that does not parse is Ccp4Error `XmlQuery 1` naming it; no match is simply empty.
 */

type Predicate =
  | { kind: 'index'; n: number | 'last' }
  | { kind: 'attr'; name: string; value?: string }
  | { kind: 'child'; name: string; value: string };

interface Step {
  axis: 'child' | 'descendant';
  name: string;
  predicates: Predicate[];
}

interface Query {
  absolute: boolean;
  steps: Step[];
  value?: { kind: 'attr'; name: string } | { kind: 'text' };
}

const NAME = /^[A-Za-z_][\w.:-]*$|^\*$/;
const cache = new Map<string, Query>();

function bad(path: string, why: string): Ccp4Error {
  return new Ccp4Error({ className: 'XmlQuery', code: 1, message: `bad XML path '${path}': ${why}` });
}

function parsePredicate(path: string, p: string): Predicate {
  const t = p.trim();
  if (/^\d+$/.test(t) && Number(t) > 0) return { kind: 'index', n: Number(t) };
  if (t === 'last()') return { kind: 'index', n: 'last' };
  let m = /^@([\w.:-]+)(?:\s*=\s*(?:'([^']*)'|"([^"]*)"))?$/.exec(t);
  if (m) return { kind: 'attr', name: m[1], value: m[2] ?? m[3] };
  m = /^([\w.:-]+)\s*=\s*(?:'([^']*)'|"([^"]*)")$/.exec(t);
  if (m) return { kind: 'child', name: m[1], value: m[2] ?? m[3] ?? '' };
  throw bad(path, `predicate [${p}] is not [n], [last()], [@a], [@a='v'] or [Name='v']`);
}

function parseQuery(path: string): Query {
  const hit = cache.get(path);
  if (hit) return hit;
  if (path.trim() === '') throw bad(path, 'empty');
  const q: Query = { absolute: path.startsWith('/') && !path.startsWith('//'), steps: [] };
  // Split on '/', keeping '//' as a descendant marker and ignoring '/' inside predicates.
  const tokens: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of q.absolute ? path.slice(1) : path) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '/' && depth === 0) {
      tokens.push(cur);
      cur = '';
    } else cur += ch;
  }
  tokens.push(cur);
  let axis: Step['axis'] = 'child';
  tokens.forEach((tok, i) => {
    if (tok === '') {
      if (i === tokens.length - 1) throw bad(path, 'ends with /');
      axis = 'descendant';
      return;
    }
    if (i === tokens.length - 1 && (tok.startsWith('@') || tok === 'text()')) {
      q.value = tok === 'text()' ? { kind: 'text' } : { kind: 'attr', name: tok.slice(1) };
      if (q.value.kind === 'attr' && !NAME.test(q.value.name)) throw bad(path, `bad attribute name ${tok}`);
      return;
    }
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(tok);
    if (!m || !NAME.test(m[1])) throw bad(path, `step '${tok}' is not a name (or *) with predicates`);
    const predicates = [...m[2].matchAll(/\[([^\]]*)\]/g)].map((p) => parsePredicate(path, p[1]));
    q.steps.push({ axis, name: m[1], predicates });
    axis = 'child';
  });
  if (cache.size > 1000) cache.clear();
  cache.set(path, q);
  return q;
}

const nameMatches = (el: XmlElement, name: string) => name === '*' || localName(el) === localName(name);

function descendants(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    out.push(c);
    descendants(c, out);
  }
  return out;
}

function filter(els: XmlElement[], preds: Predicate[]): XmlElement[] {
  let cur = els;
  for (const p of preds) {
    if (p.kind === 'index') {
      const i = p.n === 'last' ? cur.length - 1 : p.n - 1;
      cur = i >= 0 && i < cur.length ? [cur[i]] : [];
    } else if (p.kind === 'attr')
      cur = cur.filter(
        (e) =>
          Object.hasOwn(e.attributes, p.name) && (p.value === undefined || e.attributes[p.name] === p.value),
      );
    else
      cur = cur.filter((e) => e.children.some((c) => localName(c) === p.name && c.text.trim() === p.value));
  }
  return cur;
}

/** The elements a path selects, in document order. */
export function xmlQuery(root: XmlElement, path: string): XmlElement[] {
  const q = parseQuery(path);
  let steps = q.steps;
  let current: XmlElement[] = [root];
  if (q.absolute) {
    const [first, ...rest] = steps;
    if (!first || !nameMatches(root, first.name)) return [];
    current = filter([root], first.predicates);
    steps = rest;
  }
  for (const step of steps) {
    const next: XmlElement[] = [];
    for (const el of current) {
      const candidates = step.axis === 'child' ? el.children : descendants(el);
      next.push(
        ...filter(
          candidates.filter((c) => nameMatches(c, step.name)),
          step.predicates,
        ),
      );
    }
    current = [...new Set(next)];
  }
  return current;
}

/** The values a path selects: attribute values for `.../@a`, else each element's trimmed text. */
export function xmlValues(root: XmlElement, path: string): string[] {
  const q = parseQuery(path);
  const els = xmlQuery(root, path);
  if (q.value?.kind === 'attr') {
    const name = q.value.name;
    return els.filter((e) => Object.hasOwn(e.attributes, name)).map((e) => e.attributes[name]);
  }
  return els.map((e) => e.text.trim());
}

/** The first value a path selects, or undefined. */
export function xmlValue(root: XmlElement, path: string): string | undefined {
  return xmlValues(root, path)[0];
}

/** The first value a path selects as a number; undefined when absent or not a number. */
export function xmlNumber(root: XmlElement, path: string): number | undefined {
  const v = xmlValue(root, path);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
