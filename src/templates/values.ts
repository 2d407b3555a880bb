/**
 * The values a template sees. The engine never touches CData directly: a TemplateScope (built from a
 * CContainer by scopeFromContainer, or from plain objects by scopeFromObject) answers dotted look-ups with
 * these plain values, so the language can be tested and reasoned about on its own.
 */
export type TemplateValue =
  | { kind: 'unset'; objectPath?: string }
  | { kind: 'bool'; value: boolean; objectPath?: string }
  | { kind: 'int'; value: number; objectPath?: string }
  | { kind: 'float'; value: number; objectPath?: string }
  | { kind: 'string'; value: string; objectPath?: string }
  /** A data file; `path` is its full path, '' when unset. */
  /** `unresolved` says why a set file has no full path (unknown project, CCP4I2_TOP not given). */
  | { kind: 'file'; path: string; unresolved?: string; objectPath?: string }
  | { kind: 'list'; items: TemplateValue[]; objectPath?: string }
  /** A composite (CCell, CSpaceGroupCell, a container...). Its fields are reached through the scope. */
  | { kind: 'record'; set: boolean; objectPath?: string };

export interface TemplateScope {
  /**
   * The value at a dotted path (`['CELL', 'a']`), or undefined when no such parameter or field exists
   * (reported as an unknown variable). An existing but unset parameter is `{ kind: 'unset' }`.
   */
  lookup(path: readonly string[]): TemplateValue | undefined;
}

export const UNSET: TemplateValue = { kind: 'unset' };

/** Constructors, mainly for scopes built by hand and for tests. */
export const tv = {
  unset: (): TemplateValue => UNSET,
  bool: (value: boolean): TemplateValue => ({ kind: 'bool', value }),
  int: (value: number): TemplateValue => ({ kind: 'int', value }),
  float: (value: number): TemplateValue => ({ kind: 'float', value }),
  string: (value: string): TemplateValue => ({ kind: 'string', value }),
  file: (path: string): TemplateValue => ({ kind: 'file', path }),
  list: (items: TemplateValue[]): TemplateValue => ({ kind: 'list', items }),
  record: (set: boolean): TemplateValue => ({ kind: 'record', set }),
};

/**
 * Truthiness, for guards, IF and `and`/`or`/`not`. Unset is false; a boolean is its value; a number is
 * true when non-zero (legacy CCP4i2 took Python's bool() of the value, so 0 and 0.0 are false); a string
 * when non-empty; a file when it has a path; a list when non-empty; a record (cell...) when it is set.
 */
export function truthy(v: TemplateValue): boolean {
  switch (v.kind) {
    case 'unset':
      return false;
    case 'bool':
      return v.value;
    case 'int':
    case 'float':
      return v.value !== 0;
    case 'string':
      return v.value.length > 0;
    case 'file':
      // A set file whose path cannot be resolved counts as given, so that using it reports the problem.
      return v.path.length > 0 || v.unresolved !== undefined;
    case 'list':
      return v.items.length > 0;
    case 'record':
      return v.set;
  }
}
