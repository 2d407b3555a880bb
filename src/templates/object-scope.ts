import type { TemplateScope, TemplateValue } from './values.js';

/** A value in a plain-object scope: a TemplateValue, a JS primitive, an array (list) or an object (record). */
export type ScopeValue =
  | TemplateValue
  | boolean
  | number
  | string
  | null
  | undefined
  | ScopeValue[]
  | ScopeRecord;
export interface ScopeRecord {
  [name: string]: ScopeValue;
}

const KINDS = new Set(['unset', 'bool', 'int', 'float', 'string', 'file', 'list', 'record']);

function isTemplateValue(v: unknown): v is TemplateValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    KINDS.has((v as { kind?: unknown }).kind as string)
  );
}

/**
 * A scope over plain objects, for wrappers that render a template from computed values and for tests:
 * `scopeFromObject({ HEADER: true, NREF: 5, CELL: { a: tv.float(90) } })`. A JS number is an int when it is
 * whole, otherwise a float (use `tv.float(90)` for a whole float); null and undefined are unset; an object is
 * a record whose fields are reached with dotted names, set when any field is.
 */
export function scopeFromObject(root: ScopeRecord): TemplateScope {
  return {
    lookup(path) {
      let cur: ScopeValue = root;
      for (const name of path) {
        if (Array.isArray(cur)) {
          // A list item by index: `$LIST.0`.
          if (!/^\d+$/.test(name) || Number(name) >= cur.length) return undefined;
          cur = cur[Number(name)];
          continue;
        }
        if (isTemplateValue(cur) || typeof cur !== 'object' || cur === null) return undefined;
        if (!Object.hasOwn(cur, name)) return undefined;
        cur = (cur as ScopeRecord)[name];
      }
      return toValue(cur);
    },
  };
}

function toValue(v: ScopeValue): TemplateValue {
  if (v === null || v === undefined) return { kind: 'unset' };
  if (isTemplateValue(v)) return v;
  switch (typeof v) {
    case 'boolean':
      return { kind: 'bool', value: v };
    case 'number':
      return Number.isInteger(v) ? { kind: 'int', value: v } : { kind: 'float', value: v };
    case 'string':
      return { kind: 'string', value: v };
  }
  if (Array.isArray(v)) return { kind: 'list', items: v.map(toValue) };
  return { kind: 'record', set: Object.values(v).some(isSet) };
}

function isSet(v: ScopeValue): boolean {
  const t = toValue(v);
  if (t.kind === 'unset') return false;
  if (t.kind === 'file') return t.path !== '';
  return t.kind !== 'record' || t.set;
}
