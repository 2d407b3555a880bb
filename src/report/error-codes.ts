import { Severity } from '../errors/severity.js';
import { FILE_CLASS, FILE_ERRORS } from '../files/errors.js';

/** One entry of a class's ERROR_CODES table: what the code means and how bad it is (default ERROR). */
export interface ErrorCodeInfo {
  description: string;
  severity?: Severity;
}

export type ErrorCodeTable = Readonly<Record<number, ErrorCodeInfo>>;

// CCP4i2 error codes are defined per class and inherited: a code looked up on CObsDataFile may come
// from CMiniMtzDataFile, CDataFile or CData. Each class registers its own table and its base class.
const tables = new Map<string, { base?: string; codes: ErrorCodeTable }>();

export function registerErrorCodes(className: string, codes: ErrorCodeTable, base?: string): void {
  tables.set(className, { base, codes });
}

/** The entry for `code` on `className` or the nearest base class that defines it. */
export function lookupErrorCode(className: string, code: number): ErrorCodeInfo | undefined {
  const seen = new Set<string>();
  let name: string | undefined = className;
  while (name && !seen.has(name)) {
    seen.add(name);
    const t = tables.get(name);
    if (!t) return undefined;
    const info = t.codes[code];
    if (info) return info;
    name = t.base;
  }
  return undefined;
}

/** The merged table of a class (own codes override inherited ones). */
export function errorCodesOf(className: string): Record<number, ErrorCodeInfo> {
  const chain: ErrorCodeTable[] = [];
  const seen = new Set<string>();
  let name: string | undefined = className;
  while (name && !seen.has(name)) {
    seen.add(name);
    const t = tables.get(name);
    if (!t) break;
    chain.unshift(t.codes);
    name = t.base;
  }
  return Object.assign({}, ...chain);
}

export function hasErrorCodes(className: string): boolean {
  return tables.has(className);
}

/** Codes of the report machinery itself and of generic conversions from exceptions. */
registerErrorCodes('CErrorReport', {
  1: { description: 'Cannot read the diagnostic file' },
  2: { description: 'The diagnostic file is not an errorReportList' },
  3: { description: 'An error report entry has a missing or non-numeric field' },
  10: { description: 'Unexpected exception', severity: Severity.CRITICAL },
});

// The shared file checks (src/files) sit below this layer: their table is registered here.
registerErrorCodes(
  FILE_CLASS,
  Object.fromEntries(Object.entries(FILE_ERRORS).map(([code, description]) => [code, { description }])),
);
