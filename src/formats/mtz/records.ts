import { MTZ_ERRORS, mtzError } from './errors.js';

/** Header records are 80 bytes of ASCII; this walks them over a byte range of the file. */
export class RecordCursor {
  pos: number;
  index = 0;
  private readonly buf: Buffer;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly file?: string,
  ) {
    this.pos = start;
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** The next 80-byte record as a string, or undefined at the end of the file. */
  next(): string | undefined {
    if (this.pos + 80 > this.bytes.length) return undefined;
    const s = this.buf.toString('latin1', this.pos, this.pos + 80);
    this.pos += 80;
    this.index++;
    return s;
  }

  /** Raw bytes (batch header binary blocks); a coded error if the file ends first. */
  take(n: number, what: string): Uint8Array {
    if (n < 0 || this.pos + n > this.bytes.length)
      throw mtzError(MTZ_ERRORS.TRUNCATED, `file ends inside ${what}`, this.file, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  rest(): string {
    const s = this.buf.toString('latin1', this.pos, this.bytes.length);
    this.pos = this.bytes.length;
    return s;
  }
}

/** First four characters, upper-cased: how CCP4 and gemmi recognise a record. */
export function keyword(record: string): string {
  return record.slice(0, 4).toUpperCase();
}

/** The record after its keyword and the blanks that follow it. */
export function args(record: string): string {
  return record.replace(/^\S*\s*/, '');
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;

/** Strict number parse of a header token (Fortran D exponents and nan/inf accepted); undefined if not a number. */
export function parseNumber(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  if (NUMBER.test(token)) return Number(token.replace(/[dD]/, 'e'));
  const t = token.toLowerCase();
  if (t === 'nan' || t === '-nan' || t === '+nan') return Number.NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

export function parseInteger(token: string | undefined): number | undefined {
  const n = parseNumber(token);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}
