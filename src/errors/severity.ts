/** CCP4i2's error severities (CErrorReport), legacy numbering kept because diagnostic.xml files carry it. */
export const Severity = {
  OK: 0,
  UNDEFINED: 1,
  WARNING: 2,
  UNDEFINED_ERROR: 3,
  ERROR: 4,
  CRITICAL: 5,
} as const;

export type Severity = (typeof Severity)[keyof typeof Severity];

const NAMES: Record<Severity, string> = {
  0: 'OK',
  1: 'UNDEFINED',
  2: 'WARNING',
  3: 'UNDEFINED_ERROR',
  4: 'ERROR',
  5: 'CRITICAL',
};

export function severityName(severity: Severity): string {
  return NAMES[severity];
}

export function isSeverity(n: number): n is Severity {
  return Number.isInteger(n) && n >= 0 && n <= 5;
}
