import type { ErrorCodeInfo } from '../../report/error-codes.js';
import { registerErrorCodes } from '../../report/error-codes.js';
import { CDATA_ERROR_CODES } from './base-codes.js';
import type { ClassSpec, ContentEntry, Qualifiers } from './spec.js';
import { CLASS_TABLE } from './table.js';

/** Which implementation a class uses, decided by the first fundamental class on its base chain. */
export type Kind = 'int' | 'float' | 'string' | 'boolean' | 'list' | 'container' | 'file' | 'composite';

const KIND_ROOTS: Record<string, Kind> = {
  CInt: 'int',
  CFloat: 'float',
  CString: 'string',
  CBoolean: 'boolean',
  CList: 'list',
  CContainer: 'container',
  CDataFile: 'file',
};

const ROOT_SPEC: ClassSpec = {
  base: null,
  qualifiers: { allowUndefined: true, guiDefinition: {}, saveToDb: false },
};

export function classSpec(name: string): ClassSpec | undefined {
  if (name === 'CData') return ROOT_SPEC;
  return Object.hasOwn(CLASS_TABLE, name) ? CLASS_TABLE[name] : undefined;
}

export function isKnownClass(name: string): boolean {
  return classSpec(name) !== undefined;
}

export function knownClassNames(): string[] {
  return ['CData', ...Object.keys(CLASS_TABLE)];
}

const chainCache = new Map<string, string[]>();

/** The class and its bases, nearest first, ending with 'CData'. */
export function classChain(name: string): string[] {
  let chain = chainCache.get(name);
  if (!chain) {
    chain = [];
    for (let n: string | null = name; n && !chain.includes(n); n = classSpec(n)?.base ?? null) chain.push(n);
    chainCache.set(name, chain);
  }
  return chain;
}

export function isSubclassOf(name: string, base: string): boolean {
  return classChain(name).includes(base);
}

export function kindOf(name: string): Kind {
  for (const n of classChain(name)) {
    const k = KIND_ROOTS[n];
    if (k) return k;
  }
  return 'composite';
}

const qualCache = new Map<string, Readonly<Qualifiers>>();

/** Class qualifier defaults merged down the base chain (shared, do not mutate). */
export function classQualifiers(name: string): Readonly<Qualifiers> {
  let q = qualCache.get(name);
  if (!q) {
    const merged: Qualifiers = Object.create(null); // looked up by names from files
    for (const n of [...classChain(name)].reverse()) Object.assign(merged, classSpec(n)?.qualifiers);
    q = Object.freeze(merged);
    qualCache.set(name, q);
  }
  return q;
}

/** Members of a composite class, in order (the nearest class on the chain that lists any). */
export function classContents(name: string): ContentEntry[] {
  for (const n of classChain(name)) {
    const c = classSpec(n)?.contents;
    if (c) return c;
  }
  return [];
}

/** The item class and item qualifiers a list class declares (CList: CString). */
export function classSubItem(name: string): { className: string; qualifiers: Qualifiers } {
  for (const n of classChain(name)) {
    const s = classSpec(n);
    if (s?.subItem) return { className: s.subItem, qualifiers: { ...s.subItemQualifiers } };
  }
  return { className: 'CString', qualifiers: {} };
}

/** Content flags of a file class with their MTZ column signatures, in flag order. */
export function classContentFlags(
  name: string,
): { flag: number; name: string; annotation: string; columns: string[] }[] {
  for (const n of classChain(name)) {
    const f = classSpec(n)?.contentFlags;
    if (f) {
      return Object.entries(f)
        .map(([k, [flag, annotation, columns]]) => ({ flag, name: k, annotation, columns: columns ?? [] }))
        .sort((a, b) => a.flag - b.flag);
    }
  }
  return [];
}

export function classSubTypes(name: string): { value: number; name: string; description: string }[] {
  for (const n of classChain(name)) {
    const s = classSpec(n)?.subTypes;
    if (s) return Object.entries(s).map(([k, [value, description]]) => ({ value, name: k, description }));
  }
  return [];
}

/** Codes ccp4i2-ts adds to CCP4i2's tables (numbers CCP4i2 leaves free). */
const EXTRA_CODES: Record<string, Record<number, ErrorCodeInfo>> = {
  CDataFile: {
    106: { description: 'File content flag is not one the task accepts (requiredContentFlag)' },
    107: { description: 'File sub-type is not one the task accepts (requiredSubType)' },
  },
};

// Every class's own ERROR_CODES, chained to its base for lookups.
registerErrorCodes('CData', CDATA_ERROR_CODES);
for (const [name, spec] of Object.entries(CLASS_TABLE)) {
  const codes: Record<number, ErrorCodeInfo> = {};
  for (const [code, [description, severity]] of Object.entries(spec.errors ?? {})) {
    codes[Number(code)] = severity === undefined ? { description } : { description, severity: severity as 0 };
  }
  Object.assign(codes, EXTRA_CODES[name]);
  registerErrorCodes(name, codes, spec.base ?? 'CData');
}
