import type { ErrorLocation } from '../../errors/ccp4-error.js';
import { CoordErrorCode, coordError } from './errors.js';

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A decimal number, strictly (no hex, no "Infinity", no trailing junk); `what` names it in the error. */
export function parseDecimal(raw: string, what: string, where: ErrorLocation): number {
  const s = raw.trim();
  if (!DECIMAL.test(s))
    throw coordError(CoordErrorCode.BAD_NUMBER, `${what}: '${raw}' is not a number`, where);
  return Number(s);
}

/** A CIF numeric value: a decimal with an optional standard uncertainty in parentheses, `34.089(3)`. */
export function parseCifNumber(raw: string, what: string, where: ErrorLocation): number {
  return parseDecimal(raw.replace(/\(\d+\)$/, ''), what, where);
}

/** An optional integer field (CRYST1 Z): blank gives undefined. */
export function parseOptionalInt(raw: string, what: string, where: ErrorLocation): number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if (!/^[-+]?\d+$/.test(s))
    throw coordError(CoordErrorCode.BAD_NUMBER, `${what}: '${raw}' is not an integer`, where);
  return Number(s);
}
